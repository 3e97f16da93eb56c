"""The upload → preview → confirm pages shared by every spreadsheet import."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tinnhiem.common.errors import ServiceError
from tinnhiem.common.uploads import upload_load, upload_store
from tinnhiem.spreadsheets import Preview
from tinnhiem.spreadsheets.reading import MAX_FILE_BYTES

SHOWN_ROWS = 200


def preview_table(preview: Preview) -> dict[str, Any]:
    """Rows and cells with their problems, for the template (no tuple keys)."""
    by_cell = preview.issues_by_cell()
    by_row = preview.issues_by_row()
    fields = [c.field for c in preview.columns]
    rows = []
    shown = 0
    for row in preview.rows:
        row_issues = by_row.get(row.key, [])
        if shown >= SHOWN_ROWS and not row_issues:
            continue
        shown += 1
        cells = [
            {"text": row.raw.get(f, ""), "issues": by_cell.get((row.sheet, row.number, f), [])}
            for f in fields
        ]
        rows.append(
            {
                "sheet": row.sheet,
                "number": row.number,
                "cells": cells,
                "issues": [i for i in row_issues if i.field is None],
                "bad": any(i.severity.value == "error" for i in row_issues),
            }
        )
    return {
        "columns": preview.columns,
        "rows": rows,
        "hidden": len(preview.rows) - len(rows),
        "total": len(preview.rows),
    }


def handle_import(
    request: HttpRequest,
    *,
    title: str,
    back_url: str,
    preview_fn: Callable[..., Preview],
    apply_fn: Callable[..., Any],
    preview_kwargs: dict[str, Any],
    apply_kwargs: dict[str, Any],
    template_url: str,
    allow_create_missing: bool = False,
    done_message: Callable[[Any], str],
) -> HttpResponse:
    """GET: the upload form. POST with a file: the preview. POST with a digest: apply."""
    context: dict[str, Any] = {
        "title": title,
        "back_url": back_url,
        "template_url": template_url,
        "allow_create_missing": allow_create_missing,
    }
    if request.method != "POST":
        return render(request, "imports/upload.html", context)
    create_missing = allow_create_missing and request.POST.get("create_missing") == "on"
    extra = {"create_missing": create_missing} if allow_create_missing else {}
    digest = request.POST.get("digest", "")
    if digest:
        data = upload_load(digest)
        filename = request.POST.get("filename", "")
        if data is None:
            messages.error(request, _("Tệp đã tải lên không còn; hãy tải lại tệp."))
            return render(request, "imports/upload.html", context)
        preview = preview_fn(data=data, filename=filename, **preview_kwargs, **extra)
        try:
            result = apply_fn(acting_user=request.user, preview=preview, **apply_kwargs)
        except ServiceError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, done_message(result))
            return redirect(back_url)
    else:
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Hãy chọn một tệp XLSX hoặc CSV."))
            return render(request, "imports/upload.html", context)
        if upload.size is not None and upload.size > MAX_FILE_BYTES:
            messages.error(
                request,
                _("Tệp %(f)s quá lớn (tối đa %(mb)s MB).")
                % {"f": upload.name, "mb": MAX_FILE_BYTES // (1024 * 1024)},
            )
            return render(request, "imports/upload.html", context)
        data = upload.read()
        filename = upload.name or ""
        digest = upload_store(data)
        preview = preview_fn(data=data, filename=filename, **preview_kwargs, **extra)
    context.update(
        {
            "preview": preview,
            "table": preview_table(preview),
            "digest": digest,
            "filename": filename,
            "create_missing": create_missing,
        }
    )
    return render(request, "imports/preview.html", context)

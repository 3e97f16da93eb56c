"""Importing a conference's summoned members (thành phần ghi phiếu) from a
spreadsheet, and exporting them.

``voters_import_preview`` reads the file and compares it with the members
already summoned; it writes nothing. ``voters_import_apply`` adds every member
of an accepted preview through :func:`voter_add` (one audit entry each, a
conference summons hundreds at most) in one transaction, after checking the
preview again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from tinnhiem.campaigns.imports import Download, make_download, refuse_errors, refuse_scope
from tinnhiem.common.audit import audit
from tinnhiem.common.errors import ServiceError
from tinnhiem.common.models import AuditEntry
from tinnhiem.conferences.models import Conference, Status, Voter
from tinnhiem.conferences.services import voter_add
from tinnhiem.spreadsheets import (
    VOTERS,
    XLSX_CONTENT_TYPE,
    Issue,
    Preview,
    Severity,
    parse_file,
    same_key,
    template_xlsx,
)

DATABASE = "database"
OPEN_STATUSES = (Status.PREPARING, Status.CHECKIN)


def conference_scope(conference: Conference) -> str:
    return f"conference:{conference.pk}"


@dataclass
class VoterImportResult:
    voters: list[Voter] = field(default_factory=list)
    audit_entry: AuditEntry | None = None


def _check_voters(conference: Conference, preview: Preview) -> Preview:
    scope = conference_scope(conference)
    issues: list[Issue] = []
    if conference.status not in OPEN_STATUSES:
        issues.append(
            Issue(
                "wrong_status",
                Severity.ERROR,
                f"Hội nghị đang ở bước “{conference.get_status_display()}”: không thể thêm"
                " thành phần ghi phiếu.",
                f"The conference is at step “{conference.status}”: members cannot be added.",
                origin=DATABASE,
            )
        )
    existing: dict[str, list[str]] = {}
    for name, position in Voter.objects.filter(conference=conference).values_list(
        "full_name", "position"
    ):
        existing.setdefault(same_key(name), []).append(position)
    for row in preview.rows:
        name = row.text("full_name")
        if not name or same_key(name) not in existing:
            continue
        column = next(
            (c.letter for c in preview.columns if c.sheet == row.sheet and c.field == "full_name"),
            None,
        )
        positions = existing[same_key(name)]
        same = same_key(row.text("position")) in {same_key(p) for p in positions}
        if same:
            issues.append(
                Issue(
                    "already_summoned",
                    Severity.ERROR,
                    f"“{name}” đã có trong thành phần ghi phiếu của hội nghị.",
                    f"“{name}” is already summoned to this conference.",
                    sheet=row.sheet,
                    row=row.number,
                    column=column,
                    field="full_name",
                    origin=DATABASE,
                )
            )
        else:
            shown = "; ".join(p or "không ghi chức vụ" for p in positions)
            issues.append(
                Issue(
                    "namesake_summoned",
                    Severity.WARNING,
                    f"Hội nghị đã có người cùng họ tên ({shown}): kiểm tra lại có phải hai người"
                    " khác nhau.",
                    f"The conference already has someone of the same name ({shown}): check"
                    " that these are two people.",
                    sheet=row.sheet,
                    row=row.number,
                    column=column,
                    field="full_name",
                    origin=DATABASE,
                )
            )
    return preview.with_issues(issues, scope=scope)


def voters_import_preview(
    *, conference: Conference, data: bytes, filename: str, sheet: str | None = None
) -> Preview:
    """Read a list of summoned members and compare it with the conference's. Writes nothing."""
    preview = parse_file(VOTERS, data, filename, sheet=sheet)
    return _check_voters(conference, preview)


@transaction.atomic
def voters_import_apply(
    *, acting_user: Any, conference: Conference, preview: Preview
) -> VoterImportResult:
    """Add every member of an accepted preview, in file order, in one transaction.

    Refused with ``import_has_errors`` (the preview, or the preview checked
    again now, has errors), ``import_other_scope`` or ``import_wrong_kind``."""
    refuse_scope(preview, VOTERS.kind, conference_scope(conference))
    refuse_errors(preview)
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    fresh = _check_voters(conference, preview.without_origin(DATABASE))
    if fresh.has_errors:
        first = "; ".join(e.text_vi for e in fresh.errors[:3])
        raise ServiceError(
            "import_has_errors",
            f"Dữ liệu đã thay đổi từ lúc xem trước, tệp nay có lỗi: {first}. Hãy tải tệp lên lại.",
        )
    result = VoterImportResult()
    for row in preview.rows:
        result.voters.append(
            voter_add(
                acting_user=acting_user,
                conference=conference,
                full_name=row.text("full_name"),
                position=row.text("position"),
            )
        )
    result.audit_entry = audit(
        actor=acting_user,
        action="voters.import",
        obj=conference,
        summary=f"Nhập {len(result.voters)} người ghi phiếu từ tệp {preview.filename}",
        after={
            "file": preview.filename,
            "sha256": preview.sha256,
            "format": preview.file_format,
            "count": len(result.voters),
            "voter_ids": [v.pk for v in result.voters],
        },
    )
    return result


def voters_template() -> Download:
    return Download(template_xlsx(VOTERS), "mau-thanh-phan-ghi-phieu.xlsx", XLSX_CONTENT_TYPE)


def voters_export(*, conference: Conference, fmt: str = "xlsx") -> Download:
    rows: list[dict[str, Any]] = [
        {"full_name": v.full_name, "position": v.position}
        for v in Voter.objects.filter(conference=conference).order_by("order", "id")
    ]
    return make_download(VOTERS, rows, fmt, f"thanh-phan-ghi-phieu-hoi-nghi-{conference.pk}")

"""Sổ đăng ký văn bản mật đi: every download of a Mật document gets the next
number of the year, printed at its foot with who took it; the register page
lists, filters and exports them."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from tests.documents._helpers import pypdf_pages, squash
from tinnhiem.accounts.models import User
from tinnhiem.common.audit import verify_chain
from tinnhiem.common.errors import ServiceError
from tinnhiem.common.models import AuditEntry
from tinnhiem.counting.models import ConfirmedResult
from tinnhiem.delivery.models import SecretRegisterEntry
from tinnhiem.delivery.register import next_number, register_secret

ClientFor = Callable[[User | None], Client]


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for s in doc.sections:
        parts += [p.text for p in s.footer.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return squash("\n".join(parts))


def test_numbers_are_consecutive_in_the_year_and_printed_on_each_copy(
    confirmed: ConfirmedResult,
    head_user: User,
    supervisor_user: User,
    organiser: User,
    client_for: ClientFor,
) -> None:
    conference = confirmed.conference
    year = timezone.localtime().year
    downloads = [
        (head_user, f"/kiem-phieu/{conference.pk}/bao-cao.pdf"),
        (supervisor_user, f"/kiem-phieu/{conference.pk}/bien-ban.docx"),
        (head_user, f"/kiem-phieu/{conference.pk}/bao-cao.docx"),
        (organiser, f"/kiem-phieu/ke-hoach/{conference.round.pk}/thong-ke.pdf"),
        (organiser, f"/kiem-phieu/ke-hoach/{conference.round.pk}/thong-ke.xlsx"),
    ]
    for n, (user, url) in enumerate(downloads, start=1):
        response = client_for(user).get(url)
        assert response.status_code == 200, url
        if url.endswith(".pdf"):
            text = squash(" ".join(pypdf_pages(response.content)))
        elif url.endswith(".docx"):
            text = _docx_text(response.content)
        else:
            wb = load_workbook(io.BytesIO(response.content))
            text = " ".join(str(c.value) for row in wb.worksheets[0].iter_rows() for c in row)
            names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
            assert "xl/charts/chart1.xml" in names  # the native charts survive the stamp
            footer = wb.worksheets[0].oddFooter.center.text
            assert footer is not None
            assert f"{n}/{year}" in footer
        assert f"Số đăng ký văn bản mật đi: {n}/{year}" in text, url
        assert f"bản tải về bởi {user.display_name} ({user.username})" in text, url
    entries = list(SecretRegisterEntry.objects.order_by("number"))
    assert [e.number for e in entries] == [1, 2, 3, 4, 5]
    assert {e.year for e in entries} == {year}
    assert [e.received_by for e in entries] == [u for u, _ in downloads]
    assert entries[0].conference == conference
    assert entries[3].conference is None
    assert all(e.secrecy == "Mật" and len(e.sha256) == 64 for e in entries)
    assert entries[1].document_kind == "Biên bản kiểm phiếu"
    assert AuditEntry.objects.filter(action="register.secret").count() == 5
    assert verify_chain() is None


def test_numbers_restart_each_year_and_a_failed_render_leaves_no_gap(
    confirmed: ConfirmedResult, organiser: User
) -> None:
    vote_round = confirmed.conference.round
    assert next_number(2031) == 1
    assert next_number(2031) == 2
    assert next_number(2032) == 1

    def broken(trace: str) -> bytes:
        raise ServiceError("document_error", "lỗi dàn trang")

    def good(trace: str) -> bytes:
        return trace.encode()

    with pytest.raises(ServiceError):
        register_secret(
            acting_user=organiser,
            render=broken,
            document_kind="Báo cáo thống kê",
            summary="thử",
            filename="a.pdf",
            vote_round=vote_round,
        )
    made = register_secret(
        acting_user=organiser,
        render=good,
        document_kind="Báo cáo thống kê",
        summary="thử",
        filename="a.pdf",
        vote_round=vote_round,
    )
    assert made.entry.number == 1  # the failed one gave its number back
    assert made.content.decode().startswith(f"Số đăng ký văn bản mật đi: 1/{made.entry.year} — ")


def test_the_register_page_filters_and_exports(
    confirmed: ConfirmedResult, head_user: User, organiser: User, client_for: ClientFor
) -> None:
    conference = confirmed.conference
    client_for(head_user).get(f"/kiem-phieu/{conference.pk}/bao-cao.pdf")
    client = client_for(organiser)
    client.get(f"/kiem-phieu/ke-hoach/{conference.round.pk}/thong-ke.xlsx")
    year = timezone.localtime().year

    page = client.get("/van-ban/so-dang-ky/").content.decode()
    assert f"1/{year}" in page
    assert f"2/{year}" in page
    assert "Báo cáo kết quả" in page
    assert "Báo cáo thống kê" in page

    only = client.get(f"/van-ban/so-dang-ky/?conference={conference.pk}").content.decode()
    assert f"1/{year}" in only
    assert f"2/{year}" not in only
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    later = client.get(f"/van-ban/so-dang-ky/?from={tomorrow}").content.decode()
    assert "Chưa có văn bản mật nào được tải về." in later
    bad = client.get("/van-ban/so-dang-ky/?from=31/02/2026").content.decode()
    assert "Từ ngày không hợp lệ: “31/02/2026” (cần dạng năm-tháng-ngày)." in bad

    export = client.get(f"/van-ban/so-dang-ky.xlsx?round={conference.round.pk}")
    assert export.status_code == 200
    ws = load_workbook(io.BytesIO(export.content)).active
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    assert [r[0] for r in rows] == [f"2/{year}", f"1/{year}"]
    assert rows[1][5] == "Mật"
    assert rows[1][7] == f"{head_user.display_name} ({head_user.username})"
    assert rows[1][10] == conference.title
    assert AuditEntry.objects.filter(action="register.export").count() == 1

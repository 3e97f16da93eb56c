"""Official documents from the web application: printed ballots are kept in
the register of serials; every download of a "Mật" report is audited and
names who took it."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from collections.abc import Callable

import pytest
from django.test import Client
from docx import Document
from openpyxl import load_workbook

from tinnhiem.accounts.models import User
from tinnhiem.common.models import AuditEntry
from tinnhiem.conferences.models import Conference
from tinnhiem.counting.documents import issued_serials
from tinnhiem.counting.models import BallotPrint, ConfirmedResult

ClientFor = Callable[[User | None], Client]


def _pdf_text(content: bytes) -> str:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(content)
        f.flush()
        return subprocess.run(
            [pdftotext, f.name, "-"], capture_output=True, text=True, check=True
        ).stdout


def test_printing_ballots_keeps_their_serials_in_the_register(
    checkin_conference: Conference, organiser: User, client_for: ClientFor
) -> None:
    client = client_for(organiser)
    response = client.post(f"/kiem-phieu/{checkin_conference.pk}/in-phieu/", {"count": "4"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    printed = BallotPrint.objects.get(conference=checkin_conference)
    assert printed.count == 4
    assert len(set(printed.serials)) == 4
    assert issued_serials(checkin_conference) == set(printed.serials)
    assert printed.layout["conference"]
    assert AuditEntry.objects.filter(action="ballots.print").count() == 1
    text = _pdf_text(response.content)
    assert "PHIẾU TÍN NHIỆM" in text
    for serial in printed.serials:
        assert f"Mã phiếu: {serial}" in text


def test_a_bad_ballot_count_is_refused_in_vietnamese(
    checkin_conference: Conference, organiser: User, client_for: ClientFor
) -> None:
    client = client_for(organiser)
    response = client.post(
        f"/kiem-phieu/{checkin_conference.pk}/in-phieu/", {"count": "hai"}, follow=True
    )
    assert "Số phiếu cần in phải là số nguyên" in response.content.decode()
    assert not BallotPrint.objects.exists()


@pytest.mark.parametrize(("path", "fmt"), [("bao-cao", "pdf"), ("bien-ban", "docx")])
def test_a_report_download_is_audited_and_names_who_took_it(
    confirmed: ConfirmedResult,
    head_user: User,
    client_for: ClientFor,
    path: str,
    fmt: str,
) -> None:
    conference = confirmed.conference
    client = client_for(head_user)
    response = client.get(f"/kiem-phieu/{conference.pk}/{path}.{fmt}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    if fmt == "pdf":
        text = _pdf_text(response.content)
    else:
        doc = Document(io.BytesIO(response.content))
        text = "\n".join(p.text for p in doc.paragraphs)
        text += "\n".join(s.footer.paragraphs[0].text for s in doc.sections)
        text += "\n".join(
            cell.text for table in doc.tables for row in table.rows for cell in row.cells
        )
    assert f"({head_user.username})" in text
    assert "MẬT" in text
    first = confirmed.result["candidates"][0]
    assert first["name"] in text
    entry = AuditEntry.objects.filter(action="document.download").get()
    assert entry.actor_id == head_user.pk


def test_a_clerk_or_an_outsider_cannot_download_the_report(
    confirmed: ConfirmedResult, clerk1: User, outsider: User, client_for: ClientFor
) -> None:
    url = f"/kiem-phieu/{confirmed.conference.pk}/bao-cao.pdf"
    assert client_for(clerk1).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 403
    assert not AuditEntry.objects.filter(action="document.download").exists()


def test_round_statistics_download_as_xlsx_with_the_confirmed_figures(
    confirmed: ConfirmedResult, organiser: User, client_for: ClientFor
) -> None:
    vote_round = confirmed.conference.round
    response = client_for(organiser).get(f"/kiem-phieu/ke-hoach/{vote_round.pk}/thong-ke.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    cells = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value]
    persons = len(confirmed.result["candidates"])
    assert any(str(persons) == v for v in cells)
    assert AuditEntry.objects.filter(action="document.statistics").count() == 1


def test_the_personal_report_is_prefilled_with_the_persons_name(
    checkin_conference: Conference, organiser: User, client_for: ClientFor
) -> None:
    candidacy = checkin_conference.candidacies.select_related("official").first()
    assert candidacy is not None
    response = client_for(organiser).get(
        f"/kiem-phieu/{checkin_conference.pk}/bao-cao-ca-nhan/{candidacy.pk}/"
    )
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert candidacy.official.full_name in text
    assert "BÁO CÁO" in text

"""The upload → preview → confirm pages: nothing is written before the
confirmation, errors are shown at their cell, the confirmation writes what
was previewed."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from tinnhiem.accounts.models import User
from tinnhiem.campaigns.models import Official
from tinnhiem.campaigns.services import agency_create, block_create, round_create

pytestmark = pytest.mark.django_db

HEADER = ["STT", "Họ và tên", "Chức vụ", "Cơ quan, đơn vị", "Khối", "Ngày bổ nhiệm"]


def _xlsx(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Cán bộ"
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def setup() -> tuple[Client, int]:
    org = User.objects.create_user("org", password="x", is_organiser=True)
    vote_round = round_create(
        acting_user=org,
        number="7-KH/UBND",
        title="Đợt thử nhập danh sách",
        issuing_body="UBND tỉnh",
        issued_on=date(2023, 8, 1),
        vote_year=2023,
        profile_id="qd96-2023",
    )
    block = block_create(acting_user=org, vote_round=vote_round, name="Khối sở, ngành")
    agency_create(acting_user=org, block=block, name="Sở Tư pháp")
    client = Client()
    client.force_login(org)
    return client, vote_round.pk


def test_a_good_file_is_previewed_then_written_on_confirmation(setup: tuple[Client, int]) -> None:
    client, pk = setup
    data = _xlsx(
        [
            HEADER,
            [1, "Khổng Thị Diệu Linh", "Giám đốc", "Sở Tư pháp", "Khối sở, ngành", "12/03/2019"],
            [2, "Mạc Văn Toản", "Phó Giám đốc", "Sở Tư pháp", "Khối sở, ngành", "01/07/2020"],
        ]
    )
    url = f"/ke-hoach/{pk}/nhap-can-bo/"
    page = client.post(url, {"file": SimpleUploadedFile("can-bo.xlsx", data)})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Khổng Thị Diệu Linh" in html
    assert 'id="confirm-import"' in html
    assert Official.objects.count() == 0, "a preview writes nothing"

    digest = page.context["digest"]
    done = client.post(url, {"digest": digest, "filename": "can-bo.xlsx"})
    assert done.status_code == 302
    assert sorted(Official.objects.values_list("full_name", flat=True)) == [
        "Khổng Thị Diệu Linh",
        "Mạc Văn Toản",
    ]


def test_a_file_with_errors_shows_them_at_their_cell_and_cannot_be_confirmed(
    setup: tuple[Client, int],
) -> None:
    client, pk = setup
    data = _xlsx(
        [
            HEADER,
            [1, "Khổng Thị Diệu Linh", "Giám đốc", "Sở Không Có", "Khối sở, ngành", "31/02/2019"],
        ]
    )
    page = client.post(
        f"/ke-hoach/{pk}/nhap-can-bo/", {"file": SimpleUploadedFile("loi.xlsx", data)}
    )
    html = page.content.decode()
    assert 'id="confirm-import"' not in html
    assert "chưa ghi gì" in html
    assert "31/02/2019" in html
    assert Official.objects.count() == 0


def test_a_file_that_is_not_a_spreadsheet_gets_a_clear_message(setup: tuple[Client, int]) -> None:
    client, pk = setup
    page = client.post(
        f"/ke-hoach/{pk}/nhap-can-bo/",
        {"file": SimpleUploadedFile("anh.xlsx", b"\x89PNG\r\n\x1a\nnot a workbook")},
    )
    assert page.status_code == 200
    assert 'role="alert"' in page.content.decode()
    assert Official.objects.count() == 0


def test_the_template_downloads_for_an_organiser(setup: tuple[Client, int]) -> None:
    client, _pk = setup
    response = client.get("/mau/can-bo.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content[:2] == b"PK"

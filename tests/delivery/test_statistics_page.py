"""The statistics page of the demo round shows exactly the Hòa Bình 2018
figures (seed [S0]) of the statistics PDF, with one stacked bar per block
and a histogram of high-confidence shares drawn as inline SVG."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from tests.documents._helpers import pypdf_pages, squash
from tests.documents.test_stats import SEED_FIGURES
from tinnhiem.accounts.models import User
from tinnhiem.campaigns.models import VoteRound
from tinnhiem.common.models import AuditEntry
from tinnhiem.config.demo import HB2018_NUMBER, load_demo
from tinnhiem.delivery.charts import BAR_W
from tinnhiem.demo.province import BLOCK_CENTRAL, BLOCK_GOVERNMENT, BLOCK_PARTY

pytestmark = pytest.mark.django_db(transaction=False)
SVG = "{http://www.w3.org/2000/svg}"
BLOCKS = {BLOCK_PARTY: 41, BLOCK_GOVERNMENT: 90, BLOCK_CENTRAL: 25}  # persons, per the seed


def _text(page: str) -> str:
    return squash(html.unescape(re.sub(r"<[^>]+>", " ", page)))


def _svgs(page: str) -> list[ET.Element]:
    return [ET.fromstring(s) for s in re.findall(r"<svg .*?</svg>", page, flags=re.S)]


def test_the_demo_round_page_shows_the_seed_figures_and_its_charts(client: Client) -> None:
    load_demo()
    vote_round = VoteRound.objects.get(number=HB2018_NUMBER)
    organiser = User.objects.get(username="bantochuc")
    client.force_login(organiser)
    response = client.get(f"/van-ban/ke-hoach/{vote_round.pk}/thong-ke/")
    assert response.status_code == 200
    page = response.content.decode()
    text = _text(page)
    for figure in SEED_FIGURES:
        assert figure in text, figure
    for expected in (
        "145/156 = 92,95%",
        "10/156 = 6,41%",
        "1/156 = 0,64%",
        "56/145 = 38,62%",
        "139/145 = 95,86%",
        "139/156 = 89,10%",
        "Tín nhiệm cao: tổng số 145/156 đồng chí, chiếm 92,95%",
        "Không có người nào thuộc ngưỡng phải xem xét.",
    ):
        assert expected in text, expected

    bars, histogram = _svgs(page)
    # Accessible: a title and a description, referenced by aria-labelledby.
    for svg in (bars, histogram):
        assert svg.get("role") == "img"
        assert svg.find(f"{SVG}title") is not None
        assert svg.find(f"{SVG}desc") is not None
    groups = bars.findall(f"{SVG}g[@class='bar']")
    assert [g.get("data-block") for g in groups] == list(BLOCKS)  # one bar per block
    for g in groups:
        segments = g.findall(f"{SVG}rect[@class='segment']")
        assert sum(int(s.get("data-count", "")) for s in segments) == BLOCKS[g.get("data-block")]
        assert sum(int(s.get("width", "")) for s in segments) == BAR_W
    columns = histogram.findall(f"{SVG}g[@class='column']")
    assert [int(c.find(f"{SVG}rect").get("data-count")) for c in columns] == [56, 73, 10, 6, 0, 0]
    # Each chart has its data table beside it; no inline style (CSP).
    assert 'id="classes-table"' in page
    assert 'id="shares-table"' in page
    assert "style=" not in page
    assert AuditEntry.objects.filter(action="statistics.view", actor_id=organiser.pk).count() == 1

    # The statistics PDF prints the same figures.
    pdf = client.get(f"/kiem-phieu/ke-hoach/{vote_round.pk}/thong-ke.pdf")
    pdf_text = squash(" ".join(pypdf_pages(pdf.content)))
    for figure in ("145/156", "92,95%", "56/145 = 38,62%", "95,86%", "(139/156)"):
        assert figure in pdf_text, figure

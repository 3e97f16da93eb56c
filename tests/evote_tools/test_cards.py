"""``tinnhiem cards``: the printed credential cards, the public list and the void list."""

from __future__ import annotations

import contextlib
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.documents._helpers import assert_not_blank, pypdf_pages, render_page, squash
from tinnhiem.cli.main import main
from tinnhiem.crypto.credentials import credential_keypair
from tinnhiem.crypto.files import (
    Invitation,
    credential_groups,
    parse_card_qr,
    read_credentials,
    read_void,
    write_invitation,
)

UUID = "hoi-nghi-tan-lap-2026"
CONFERENCE = "Hội nghị Ban Chấp hành Đảng bộ xã Tân Lập, khóa XXVI"
COUNT = 12


@dataclass(frozen=True)
class Run:
    out: Path
    pdf: bytes
    listing: bytes
    stdout: str
    qr_texts: tuple[str, ...]


def decode_qr(pdf: bytes, tmp_path: Path, page: int) -> list[str]:
    zxingcpp = pytest.importorskip("zxingcpp")
    numpy = pytest.importorskip("numpy")
    image = render_page(pdf, tmp_path, page=page, dpi=200, png=False)
    array = numpy.frombuffer(image.pixels, dtype=numpy.uint8).reshape(image.height, image.width)
    return [r.text for r in zxingcpp.read_barcodes(array)]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    out = tmp_path_factory.mktemp("cards")
    capture = out / "stdout.txt"
    with capture.open("w", encoding="utf-8") as fh, contextlib.redirect_stdout(fh):
        code = main(
            [
                "cards", "generate", "--count", str(COUNT), "--election-uuid", UUID,
                "--conference", CONFERENCE, "--pdf", str(out / "cards.pdf"),
                "--list", str(out / "credentials.json"),
            ]
        )  # fmt: skip
    assert code == 0
    pdf = (out / "cards.pdf").read_bytes()
    scratch = tmp_path_factory.mktemp("render")
    texts = tuple(decode_qr(pdf, scratch, 1) + decode_qr(pdf, scratch, 2))
    return Run(out, pdf, (out / "credentials.json").read_bytes(), capture.read_text("utf-8"), texts)


def test_the_pdf_prints_the_card_text_with_exact_diacritics(run: Run) -> None:
    pages = pypdf_pages(run.pdf)
    assert len(pages) == 2
    for page in pages:
        assert unicodedata.is_normalized("NFC", page)
    first = squash(pages[0])
    assert first.count(CONFERENCE) == 10
    assert first.count("THẺ BỎ PHIẾU ĐIỆN TỬ") == 10
    assert "Giữ bí mật thẻ này; không cho ai xem hay chụp ảnh." in first
    assert "Quét mã QR tại trang bỏ phiếu (hoặc gõ mã bên trên)." in first
    assert "Mất thẻ thì không cấp lại: hãy bỏ phiếu giấy." in first
    assert "Mã bỏ phiếu:" in first
    for n in range(1, 11):
        assert f"Số thẻ: {n:03d}" in first
    second = squash(pages[1])
    assert "Số thẻ: 011" in second
    assert "Số thẻ: 012" in second
    assert second.count("THẺ BỎ PHIẾU ĐIỆN TỬ") == 2


def test_a_page_renders_non_blank(run: Run, tmp_path: Path) -> None:
    assert_not_blank(render_page(run.pdf, tmp_path, page=1, dpi=50))


def test_every_qr_decodes_to_a_listed_credential(run: Run) -> None:
    assert len(run.qr_texts) == COUNT
    listed = read_credentials(run.listing, UUID)
    assert len(listed) == COUNT
    assert len(set(listed)) == COUNT  # no duplicates (and the reader checks sorted order)
    credentials = [parse_card_qr(text, UUID)[1] for text in run.qr_texts]
    assert len(set(credentials)) == COUNT
    publics = {credential_keypair(UUID, c).public for c in credentials}
    assert publics == set(listed)
    text = squash(" ".join(pypdf_pages(run.pdf)))
    for credential in credentials:  # the readable groups, for typing by hand
        groups = credential_groups(credential)
        assert " ".join(groups[:3]) in text
        assert " ".join(groups[3:]) in text


def test_private_credentials_are_written_nowhere_but_the_pdf(run: Run) -> None:
    credentials = [parse_card_qr(text)[1] for text in run.qr_texts]
    assert sorted(p.name for p in run.out.iterdir()) == [
        "cards.pdf",
        "credentials.json",
        "stdout.txt",
    ]
    assert (run.out / "cards.pdf").stat().st_mode & 0o777 == 0o600
    for credential in credentials:
        assert credential not in run.listing.decode("utf-8")
        assert credential not in run.stdout
    assert "Dấu vân tay danh sách (ghi vào biên bản)" in run.stdout


def test_the_card_number_is_not_in_the_qr(run: Run) -> None:
    for text in run.qr_texts:
        prefix, uuid, credential = text.split(":")
        assert (prefix, uuid, len(credential)) == ("TNC1", UUID, 22)


def test_void_the_unissued_cards(
    run: Run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = run.out / "credentials.json"
    scanned = tmp_path / "scanned.txt"
    scanned.write_text(f"{run.qr_texts[0]}\n\n{run.qr_texts[1]}\n", encoding="utf-8")
    typed = " ".join(credential_groups(parse_card_qr(run.qr_texts[2])[1]))
    out = tmp_path / "void.json"
    args = ["cards", "void", "--list", str(listing), "--out", str(out)]
    assert main([*args, "--scanned", str(scanned), typed]) == 0
    voided = read_void(out.read_bytes(), UUID)
    expected = {credential_keypair(UUID, parse_card_qr(t)[1]).public for t in run.qr_texts[:3]}
    assert set(voided) == expected
    assert "Đã hủy 3 thẻ chưa phát; còn 9 thẻ hiệu lực." in capsys.readouterr().out


@pytest.mark.parametrize(
    ("card", "message"),
    [
        ("TNC1:another-election:" + "2" * 22, "CARD 1: không đọc được mã thẻ"),
        ("2" * 22, "CARD 1: thẻ này không có trong danh sách"),
        ("xin chào", "CARD 1: không đọc được mã thẻ"),
    ],
)
def test_void_refuses_a_card_it_cannot_void(
    run: Run, tmp_path: Path, capsys: pytest.CaptureFixture[str], card: str, message: str
) -> None:
    out = tmp_path / "void.json"
    args = ["cards", "void", "--list", str(run.out / "credentials.json"), "--out", str(out)]
    assert main([*args, card]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert message in err
    assert not out.exists()


def test_void_refuses_a_card_given_twice(
    run: Run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["cards", "void", "--list", str(run.out / "credentials.json")]
    assert main([*args, "--out", str(tmp_path / "v.json"), *run.qr_texts[:1] * 2]) == 2
    assert "CARD 2: thẻ này đã được nhập một lần" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--count", "0", "--election-uuid", UUID, "--conference", "x"], "--count: cần từ 1"),
        (["--count", "2", "--election-uuid", UUID], "cần --invitation, hoặc cả"),
        (["--count", "2", "--election-uuid", "x y", "--conference", "x"], "an election uuid"),
        (["--count", "2", "--election-uuid", UUID, "--conference", " "], "thiếu tên hội nghị"),
        (["--count", "2", "--invitation", "missing.json"], "missing.json: không tìm thấy tệp"),
    ],
)
def test_generate_refuses_bad_input_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    pdf, listing = tmp_path / "c.pdf", tmp_path / "l.json"
    assert main(["cards", "generate", *extra, "--pdf", str(pdf), "--list", str(listing)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert message in err
    assert not pdf.exists()
    assert not listing.exists()


def test_generate_from_an_invitation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    invitation = tmp_path / "invitation.json"
    names = ("Phan Văn Khải", "Đặng Thị Lan")
    invitation.write_bytes(write_invitation(Invitation(UUID, CONFERENCE, 1, 2, names)))
    listing = tmp_path / "l.json"
    args = ["--pdf", str(tmp_path / "c.pdf"), "--list", str(listing), "--lang", "en"]
    assert main(["cards", "generate", "--count", "3", "--invitation", str(invitation), *args]) == 0
    assert len(read_credentials(listing.read_bytes(), UUID)) == 3
    assert "Made 3 cards for election" in capsys.readouterr().out
    assert json.loads(listing.read_text("utf-8"))["format"] == "tinnhiem.evote-credentials/1"

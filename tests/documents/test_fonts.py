"""The fonts ship with the package, with their licence, and are the only ones typst sees."""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest
import typst

from tinnhiem.documents import _typst


def test_four_liberation_serif_faces_and_the_ofl_ship_in_the_package() -> None:
    fonts = resources.files("tinnhiem.documents").joinpath("fonts")
    names = sorted(p.name for p in fonts.iterdir())
    assert names == sorted([*_typst.FONT_FILES, "LICENSE"])
    licence = fonts.joinpath("LICENSE").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "Reserved Font Name Liberation" in licence
    for name in _typst.FONT_FILES:
        assert fonts.joinpath(name).read_bytes()[:4] == b"\x00\x01\x00\x00", "TrueType"


def test_typst_sees_only_the_package_fonts() -> None:
    found = typst.Fonts(
        include_system_fonts=False,
        include_embedded_fonts=False,
        font_paths=[str(_typst.font_dir())],
    )
    assert found.families() == ["Liberation Serif"]
    styles = sorted((f.style, f.weight) for f in found.fonts())
    assert styles == [("italic", 400), ("italic", 700), ("normal", 400), ("normal", 700)]


def test_templates_ship_in_the_package() -> None:
    templates = resources.files("tinnhiem.documents").joinpath("templates")
    names = {p.name for p in templates.iterdir()}
    assert {"common.typ", "ballot_form.typ", "ballots.typ", "report.typ", "statistics.typ"} <= names


def test_every_vietnamese_letter_is_printable() -> None:
    import unicodedata

    vowels = "aăâeêioôơuưy"
    marks = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
    letters = {unicodedata.normalize("NFC", v + m) for v in vowels for m in marks} | {"đ"}
    letters |= {c.upper() for c in letters}
    assert len(letters) == 146
    _typst.check_printable("".join(sorted(letters)) + "…–“”%,./:;()[]#*$")


def test_a_character_the_fonts_lack_is_refused_not_printed_as_a_box(
    small_record: Any,
) -> None:
    from tests.documents.conftest import record_from, small_record_json, tally_of
    from tinnhiem.documents import DocumentError, render_ballots, render_report_pdf

    data = small_record_json()
    data["candidates"][0]["name"] = "Nguyễn Thị 漢"
    record = record_from(data)
    with pytest.raises(DocumentError) as e:
        render_report_pdf(record, tally_of(record))
    assert "U+6F22" in e.value.message_vi
    with pytest.raises(DocumentError):
        render_ballots(record, 1)

"""Printed batches of real ballots for the scanner's tests (invented people only).

Each batch is rendered once per session by :func:`tinnhiem.documents.render_ballots`
with seeded serials; sheets are generated from it by
:class:`tinnhiem.omr.synth.SheetGenerator` (seeded too), so every test sees
the same pixels on every run.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import pytest
from tests.documents.conftest import long_record_json, record_from, small_record_json

from tinnhiem.documents import render_ballots
from tinnhiem.omr.batch import BatchResult, decide
from tinnhiem.omr.layout import Register, parse_register
from tinnhiem.omr.sheet import Reader, SheetReading
from tinnhiem.omr.synth import SheetGenerator, SynthSheet, seeded_serials
from tinnhiem.record import ConferenceRecord

cv2.setNumThreads(1)


@dataclass
class Batch:
    record: ConferenceRecord
    pdf: bytes
    issued: dict[str, Any]
    register: Register
    gen: SheetGenerator
    reader: Reader

    def read(self, sheets: Sequence[SynthSheet]) -> list[SheetReading]:
        return [self.reader.read(s.image(), f"{s.truth.serial}/{s.truth.page}") for s in sheets]

    def decide(self, sheets: Sequence[SynthSheet]) -> BatchResult:
        return decide(self.read(sheets), self.register)


def make_batch(data: dict[str, Any], count: int, seed: int) -> Batch:
    record = record_from(data)
    printed = render_ballots(record, count, serial_source=seeded_serials(seed))
    gen = SheetGenerator(printed.pdf, printed.issued, seed=seed)
    register = parse_register(printed.issued)
    return Batch(record, printed.pdf, printed.issued, register, gen, Reader(register))


def binding_record_json() -> dict[str, Any]:
    data = small_record_json()
    data.update(profile="nq96-2023", kind="binding", id="hdnd-omr")
    data["candidates"] = data["candidates"][:3]
    data["ballots"] = []
    return data


@pytest.fixture(scope="session")
def small_batch() -> Iterator[Batch]:
    data = small_record_json()
    data["ballots"] = []
    batch = make_batch(data, 16, seed=101)
    yield batch
    batch.gen.close()


@pytest.fixture(scope="session")
def long_batch() -> Iterator[Batch]:
    batch = make_batch(long_record_json(persons=30, ballots=0), 16, seed=202)
    yield batch
    batch.gen.close()


@pytest.fixture(scope="session")
def binding_batch() -> Iterator[Batch]:
    batch = make_batch(binding_record_json(), 8, seed=303)
    yield batch
    batch.gen.close()


def silent_errors(sheets: Sequence[SynthSheet], result: BatchResult) -> list[str]:
    """Sheets read whose ballot is not exactly the truth, or that people must see."""
    out = []
    for sheet, got in zip(sheets, result.sheets, strict=True):
        t = sheet.truth
        if got.status == "read" and (got.ballot != t.ballot() or t.must_review or t.signed):
            out.append(f"{t.serial}/{t.page} {t.degradation} read {got.ballot} truth {t.ballot()}")
    return out


def encode(image: np.ndarray[Any, Any], suffix: str = ".png") -> bytes:
    ok, buf = cv2.imencode(suffix, image)
    assert ok
    return bytes(buf.tobytes())


def issued_json(batch: Batch) -> str:
    return json.dumps(batch.issued, ensure_ascii=False)


def write_pdf(path: Any, jpegs: Sequence[bytes]) -> None:
    """A PDF of full-page JPEG images, as a scanner writes one (A4 pages)."""
    import io

    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    w, h = 595.28, 841.89
    for data in jpegs:
        image = pdfium.PdfImage.new(pdf)
        image.load_jpeg(io.BytesIO(data), inline=False)
        image.set_matrix(pdfium.PdfMatrix().scale(w, h))
        page = pdf.new_page(w, h)
        page.insert_obj(image)
        page.gen_content()
    pdf.save(str(path))
    pdf.close()

"""Reading many sheets, on one core or several.

:func:`read_sources` loads and reads every sheet, in order, in this process
(``jobs=1``) or in a pool of ``jobs`` worker processes (started with
``spawn``: no state is shared, each worker builds its own
:class:`~tinnhiem.omr.sheet.Reader` from the register and runs OpenCV on one
thread, so ``jobs`` is the number of cores used). Results come back in the
order of the sources either way.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from tinnhiem.omr import reasons as rc
from tinnhiem.omr.inputs import SheetSource, load
from tinnhiem.omr.layout import parse_register
from tinnhiem.omr.sheet import Reader, SheetReading

_reader: Reader | None = None


def read_one(reader: Reader, source: SheetSource) -> SheetReading:
    """Load and read one sheet; a file that cannot be decoded is ``unreadable_image``."""
    image = load(source)
    if image is None:
        return SheetReading(source.path, reasons=(rc.UNREADABLE_IMAGE,), file_page=source.index)
    return replace(reader.read(image, source.path), file_page=source.index)


def _init(issued: dict[str, Any]) -> None:
    import cv2

    global _reader
    cv2.setNumThreads(1)
    _reader = Reader(parse_register(issued))


def _work(source: SheetSource) -> SheetReading:
    assert _reader is not None
    return read_one(_reader, source)


def iter_sources(
    sources: Sequence[SheetSource], issued: dict[str, Any], jobs: int = 1, chunksize: int = 4
) -> Iterator[SheetReading]:
    """Readings of ``sources`` in their order, as they are ready."""
    if jobs <= 1 or len(sources) <= 1:
        reader = Reader(parse_register(issued))
        for source in sources:
            yield read_one(reader, source)
        return
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(min(jobs, len(sources)), initializer=_init, initargs=(issued,)) as pool:
        yield from pool.imap(_work, sources, chunksize=chunksize)


def read_sources(
    sources: Sequence[SheetSource], issued: dict[str, Any], jobs: int = 1, chunksize: int = 4
) -> list[SheetReading]:
    """Every sheet's reading, in the order of ``sources``."""
    return list(iter_sources(sources, issued, jobs, chunksize))

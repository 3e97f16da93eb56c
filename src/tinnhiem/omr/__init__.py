"""Optical mark reading of Tín Nhiệm ballot papers (pure numpy/OpenCV/zxing, no Django).

Every sheet is either read exactly or sent to people with the reasons why;
the scanner reports what is on the paper, the rules core decides what counts.
See ``docs/decisions/0012-omr.md``.

* :func:`~tinnhiem.omr.layout.parse_register`: ``issued.json`` (serials and layout);
* :class:`~tinnhiem.omr.sheet.Reader`: one grey image → :class:`~tinnhiem.omr.sheet.SheetReading`
  (QR content, every box with its state and confidence, flags, reasons);
* :func:`~tinnhiem.omr.batch.decide`: the batch → read or review per sheet, whole ballots;
* :func:`~tinnhiem.omr.inputs.expand`, :func:`~tinnhiem.omr.inputs.sheets_of`,
  :func:`~tinnhiem.omr.run.read_sources`: files (PNG, JPEG, TIFF, PDF) on one core or several;
* :mod:`tinnhiem.omr.synth`: synthetic scans of real ballots, with ground truth;
* :mod:`tinnhiem.omr.reasons`: the reason codes, in Vietnamese and English.
"""

from tinnhiem.ballotcode import parse_qr_payload as parse_qr
from tinnhiem.omr.batch import BallotRead, BatchResult, SheetResult, decide
from tinnhiem.omr.inputs import InputError, SheetSource, expand, load, sheets_of
from tinnhiem.omr.layout import LayoutError, Register, parse_register
from tinnhiem.omr.run import read_sources
from tinnhiem.omr.sheet import BoxReading, Flag, Reader, SheetReading

__all__ = [
    "BallotRead",
    "BatchResult",
    "BoxReading",
    "Flag",
    "InputError",
    "LayoutError",
    "Reader",
    "Register",
    "SheetReading",
    "SheetResult",
    "SheetSource",
    "decide",
    "expand",
    "load",
    "parse_qr",
    "parse_register",
    "read_sources",
    "sheets_of",
]

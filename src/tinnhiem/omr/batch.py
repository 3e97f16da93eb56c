"""Deciding a batch: join the sheets of each ballot, check the register, read or review.

A sheet is read on its own by :class:`tinnhiem.omr.sheet.Reader`; whether it
can be counted depends on the others and on the register of issued serials:

* its serial must be in the register (``serial_not_issued``) and not already
  in the record from an earlier scan (``already_counted``);
* no other sheet may carry the same serial and page (``duplicate_sheet``:
  every copy goes to review, a person decides which one is real);
* every page 1…n of its ballot must be there (``missing_page``) and read
  (``other_page_in_review``): a ballot is counted whole or not at all.

Only then is the sheet ``read``, and its ballot (all its pages joined) is
ready for the conference record.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from tinnhiem.omr import reasons as rc
from tinnhiem.omr.layout import Register
from tinnhiem.omr.sheet import SheetReading


@dataclass(frozen=True, slots=True)
class SheetResult:
    reading: SheetReading
    status: str
    """``read`` or ``review``."""
    reasons: tuple[str, ...]
    ballot: dict[str, Any] | None
    """For a read sheet: the part of its ballot printed on this page (conference-record form)."""


@dataclass(frozen=True, slots=True)
class BallotRead:
    """A whole ballot, every page read: ready for the conference record."""

    serial: str
    ballot: dict[str, Any]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BatchResult:
    sheets: tuple[SheetResult, ...]
    """In the order the readings were given."""
    ballots: tuple[BallotRead, ...]
    """In the order of their first sheet."""


def page_ballot(reading: SheetReading) -> dict[str, Any]:
    """The part of a ballot one sheet shows, in the conference-record form.

    Only meaningful for a sheet without reasons: a struck name or any writing
    sends the sheet to review, so a read sheet has none of them.
    """
    return {
        "marks": reading.marks(),
        "crossed_out": [],
        "added_names": 0,
        "other_writing": False,
        "issued": True,
    }


def join_ballot(parts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The pages of one ballot as one ballot."""
    marks: dict[str, list[str]] = {}
    crossed: list[str] = []
    for part in parts:
        marks.update(part["marks"])
        crossed.extend(part["crossed_out"])
    return {
        "marks": marks,
        "crossed_out": crossed,
        "added_names": sum(int(p["added_names"]) for p in parts),
        "other_writing": any(bool(p["other_writing"]) for p in parts),
        "issued": all(bool(p["issued"]) for p in parts),
    }


def decide(
    readings: Sequence[SheetReading],
    register: Register,
    already_counted: Collection[str] = frozenset(),
) -> BatchResult:
    """Every sheet's status and reasons, and the ballots that can be counted."""
    pages = register.pages_per_ballot
    reasons: list[set[str]] = [set(r.reasons) for r in readings]
    by_sheet: dict[tuple[str, int], list[int]] = defaultdict(list)
    by_serial: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(readings):
        if r.qr is None or r.qr.conference != register.conference or r.qr.pages != pages:
            continue  # not a sheet of this batch: its own reason says why
        by_sheet[(r.qr.serial, r.qr.page)].append(i)
        by_serial[r.qr.serial].append(i)
        if r.qr.serial not in register.serials:
            reasons[i].add(rc.SERIAL_NOT_ISSUED)
        if r.qr.serial in already_counted:
            reasons[i].add(rc.ALREADY_COUNTED)
    for indices in by_sheet.values():
        if len(indices) > 1:
            for i in indices:
                reasons[i].add(rc.DUPLICATE_SHEET)
    for indices in by_serial.values():
        present = {readings[i].page for i in indices}
        if present != set(range(1, pages + 1)):
            for i in indices:
                reasons[i].add(rc.MISSING_PAGE)
        if any(reasons[i] for i in indices):
            for i in indices:
                if not reasons[i]:
                    reasons[i].add(rc.OTHER_PAGE_IN_REVIEW)
    sheets: list[SheetResult] = []
    for i, r in enumerate(readings):
        if reasons[i]:
            sheets.append(SheetResult(r, "review", rc.sort_reasons(reasons[i]), None))
        else:
            sheets.append(SheetResult(r, "read", (), page_ballot(r)))
    ballots: list[BallotRead] = []
    done: set[str] = set()
    for i, r in enumerate(readings):
        serial = r.serial
        if sheets[i].status != "read" or serial is None or serial in done:
            continue
        done.add(serial)
        ordered = sorted(by_serial[serial], key=lambda j: readings[j].page or 0)
        parts = [sheets[j].ballot for j in ordered]
        ballots.append(
            BallotRead(
                serial,
                join_ballot([p for p in parts if p is not None]),
                tuple(readings[j].source for j in ordered),
            )
        )
    return BatchResult(tuple(sheets), tuple(ballots))

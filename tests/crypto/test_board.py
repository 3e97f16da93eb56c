"""The hash-chained board: phases, chain checks, saved heads."""

from __future__ import annotations

import pytest

from tests.crypto.helpers import finished_archive
from tinnhiem.crypto.board import (
    ARCHIVE_FORMAT,
    Board,
    Kind,
    Phase,
    chain_problems,
    entry_hash,
    extends,
    next_phase,
    read_entries,
)
from tinnhiem.crypto.canonical import digest
from tinnhiem.crypto.errors import BoardError, FormatError


def test_phases() -> None:
    board = Board()
    assert board.head is None
    assert board.phase is Phase.EMPTY
    with pytest.raises(BoardError):
        board.append(Kind.BALLOT, {})
    first = board.append(Kind.SETUP, {"x": 1})
    assert first.parent is None
    assert first.height == 0
    assert board.head == first.hash
    with pytest.raises(BoardError):
        board.append(Kind.SETUP, {})
    second = board.append(Kind.BALLOT, {"b": 1})
    assert second.parent == first.hash
    assert second.hash == entry_hash(1, first.hash, "ballot", digest({"b": 1}))
    board.append(Kind.END_BALLOTS, {})
    with pytest.raises(BoardError):
        board.append(Kind.BALLOT, {})
    board.append(Kind.ENCRYPTED_TALLY, {})
    board.append(Kind.PARTIAL_DECRYPTION, {})
    board.append(Kind.RESULT, {})
    assert board.phase is Phase.FINAL
    for kind in Kind:
        assert next_phase(Phase.FINAL, kind) is None
    again = Board.from_json(board.to_json())
    assert again.head == board.head
    assert again.phase is Phase.FINAL
    assert again.index_of(second.hash) == 1
    assert again.index_of("0" * 64) is None


def test_chain_problems_name_the_broken_entry() -> None:
    archive, _ = finished_archive()
    entries = read_entries(archive)
    assert chain_problems(entries) == []
    archive["entries"][3]["payload"]["signature"][0] = "00" * 32
    problems = chain_problems(read_entries(archive))
    assert problems == [(3, "payload_hash is not the hash of the payload")]
    archive, _ = finished_archive()
    del archive["entries"][2]
    problems = chain_problems(read_entries(archive))
    assert (2, "height 3, expected 2") in problems
    assert (2, "parent is not the hash of the previous entry") in problems
    with pytest.raises(BoardError):
        Board.from_json(archive)
    archive, _ = finished_archive()
    archive["entries"].append(archive["entries"][-1])
    assert any("not allowed" in m for _, m in chain_problems(read_entries(archive)))


def test_a_board_extended_with_stored_entries_continues_its_chain() -> None:
    """What another server process appended is taken in only if it continues the
    chain; otherwise nothing is appended."""
    archive, _ = finished_archive()
    entries = read_entries(archive)
    board = Board.from_json({"format": ARCHIVE_FORMAT, "entries": archive["entries"][:3]})
    board.extend(entries[3:6])
    assert (board.height, board.head) == (6, entries[5].hash)
    board.extend([])
    assert board.height == 6
    whole = Board.from_json(archive)
    board.extend(entries[6:])
    assert (board.head, board.phase) == (whole.head, whole.phase)

    start = Board.from_json({"format": ARCHIVE_FORMAT, "entries": archive["entries"][:3]})
    for broken, message in (
        (entries[4:6], "entry 3: height 4, expected 3"),  # one missing
        (entries[2:4], "entry 3: height 2, expected 3"),  # one repeated
    ):
        with pytest.raises(BoardError, match=message):
            start.extend(broken)
        assert start.height == 3
    archive["entries"][3]["payload"]["signature"][0] = "00" * 32
    with pytest.raises(BoardError, match="payload_hash"):
        start.extend(read_entries(archive)[3:5])
    assert (start.height, start.head) == (3, entries[2].hash)


def test_saved_heads() -> None:
    archive, _ = finished_archive()
    entries = read_entries(archive)
    mid = entries[3].hash
    assert extends(entries, mid)
    assert extends(entries, mid, 3)
    assert not extends(entries, mid, 4)
    assert not extends(entries[:3], mid)


@pytest.mark.parametrize(
    "archive",
    [
        [],
        {"format": ARCHIVE_FORMAT},
        {"format": "other/1", "entries": []},
        {"format": ARCHIVE_FORMAT, "entries": [{"height": 0}]},
        {"format": ARCHIVE_FORMAT, "entries": {}, "x": 1},
    ],
)
def test_malformed_archives(archive: object) -> None:
    with pytest.raises(FormatError):
        read_entries(archive)

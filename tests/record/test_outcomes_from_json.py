"""Statistics read a frozen result back exactly as the tally made it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tinnhiem.record import loads_record, tally_result_to_json
from tinnhiem.record.tally_result import outcomes_from_json
from tinnhiem.rules import PersonOutcome, VoteKind, get_profile, tally

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hoa-binh-thads-2023.json"


@pytest.mark.parametrize("profile_id", ["qd96-2023", "qd262-2014", "nq96-2023"])
def test_outcomes_read_from_the_stored_json_equal_those_of_the_tally(profile_id: str) -> None:
    record = loads_record(EXAMPLE.read_text(encoding="utf-8"))
    result = tally(record.conference, get_profile(profile_id))
    expected = [
        PersonOutcome.from_result(c, block="Khối thử", agency="Cục thử") for c in result.candidates
    ]
    stored = tally_result_to_json(result, "vi")
    assert outcomes_from_json(stored, block="Khối thử", agency="Cục thử") == expected
    assert all(o.kind is VoteKind.POLL for o in expected)

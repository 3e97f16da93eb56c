"""The election document and the level encoding."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinnhiem.crypto.canonical import dumps, loads
from tinnhiem.crypto.election import STANDARD_LEVELS, Election, Person, standard_levels
from tinnhiem.crypto.errors import DecryptionError, FormatError
from tinnhiem.crypto.group import G

ELECTION = Election(
    uuid="election-tests-1",
    title="Kỳ họp thứ 6",
    kind="poll",
    levels=standard_levels("poll"),
    base=501,
    n_max=500,
    t_min=10,
    persons=tuple(Person(f"p{i}", f"Người {i}") for i in range(3)),
    public_key=G,
    trustees_hash="0" * 64,
    credentials_hash="1" * 64,
)


def test_level_values() -> None:
    assert ELECTION.value_set.values == (0, 1, 501)
    assert ELECTION.value_of("thap") == 0
    assert ELECTION.value_of("tin_nhiem") == 1
    assert ELECTION.value_of("cao") == 501
    blank = replace(ELECTION, levels=standard_levels("poll", True))
    assert blank.value_set.values == (0, 1, 501, 501**2)
    assert blank.allows_blank
    assert replace(
        ELECTION, kind="binding", levels=STANDARD_LEVELS[("binding", False)]
    ).value_set.values == (0, 1)
    with pytest.raises(FormatError):
        ELECTION.value_of("khong_tin_nhiem")
    with pytest.raises(ValueError, match="kind"):
        standard_levels("referendum")


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(sorted(STANDARD_LEVELS)),
    st.lists(st.integers(min_value=0, max_value=3), min_size=0, max_size=500),
)
def test_totals_decode_to_the_counts(key: tuple[str, bool], choices: list[int]) -> None:
    kind, _ = key
    election = replace(ELECTION, kind=kind, levels=STANDARD_LEVELS[key])
    k = len(election.levels)
    picks = [election.levels[c % k] for c in choices]
    total = sum(election.value_of(level) for level in picks)
    expected = {level: picks.count(level) for level in election.levels}
    assert election.decode_total(total, len(picks)) == expected
    assert total <= election.dlog_bound(len(picks))


def test_impossible_totals_are_refused() -> None:
    with pytest.raises(DecryptionError):
        ELECTION.decode_total(7 + 501, 3)  # 7 "tín nhiệm" among 3 ballots
    with pytest.raises(DecryptionError):
        ELECTION.decode_total(501 * 501, 500)  # a "cao" digit above N_max
    binding = replace(ELECTION, kind="binding", levels=standard_levels("binding"))
    with pytest.raises(DecryptionError):
        binding.decode_total(4, 3)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"uuid": "short"}, "uuid"),
        ({"kind": "other"}, "kind"),
        ({"levels": ("cao", "tin_nhiem", "thap")}, "standard"),
        ({"base": 500}, "exceed"),
        ({"n_max": 0}, "n_max"),
        ({"t_min": 501}, "t_min"),
        ({"persons": ()}, "person"),
        ({"persons": (Person("a", "A"), Person("a", "B"))}, "distinct"),
    ],
)
def test_malformed_elections(change: dict[str, object], message: str) -> None:
    with pytest.raises(FormatError, match=message):
        replace(ELECTION, **change)  # type: ignore[arg-type]


def test_json_round_trip_and_strictness() -> None:
    doc = loads(dumps(ELECTION.to_json()))
    assert Election.from_json(doc) == ELECTION
    assert Election.from_json(doc).fingerprint == ELECTION.fingerprint
    for key, value in [
        ("group", "P-256"),
        ("protocol", "tinnhiem/v2"),
        ("version", 2),
        ("public_key", "00" * 32),
        ("base", 1.5),
        ("extra", 1),
    ]:
        bad = dict(doc)
        bad[key] = value
        with pytest.raises(FormatError):
            Election.from_json(bad)
    assert replace(ELECTION, title="Kỳ họp thứ 7").fingerprint != ELECTION.fingerprint

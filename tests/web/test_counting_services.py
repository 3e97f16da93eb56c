"""Counting services: independent double entry, reconciliation, the committee's
decisions, confirmation, amendments and the entry log."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from tests.web.builders import enter
from tests.web.fixtures import BALLOTS, PRESENT, SUMMONED
from tinnhiem.accounts.models import User
from tinnhiem.common.errors import ServiceError
from tinnhiem.conferences.models import Conference, Status
from tinnhiem.counting.models import BallotEntry, ConfirmedResult, EntryLogEntry, Resolution
from tinnhiem.counting.selectors import reconcile
from tinnhiem.counting.services import (
    entry_delete,
    entry_save,
    resolution_save,
    result_amend,
    results_confirm,
)
from tinnhiem.record import tally_result_to_json
from tinnhiem.rules import Ballot, Candidate, Level, VoteKind, get_profile, tally
from tinnhiem.rules import Conference as CoreConference

HIGH, CONF, LOW = Level.HIGH, Level.CONFIDENCE, Level.LOW


def _codes(fn: object, /, **kwargs: object) -> str:
    with pytest.raises(ServiceError) as e:
        fn(**kwargs)  # type: ignore[operator]
    return e.value.code


# --- double entry --------------------------------------------------------------


def test_two_passes_that_agree_reconcile_without_disagreement(
    entered_conference: Conference,
) -> None:
    recon = reconcile(entered_conference)
    assert (recon.first_count, recon.second_count) == (12, 12)
    assert recon.disagreements == ()
    assert recon.complete
    assert [b["digits"] for b in recon.ballots][:3] == ["111", "112", "121"]


def test_a_disagreement_is_listed_with_the_differing_positions(
    counting_conference: Conference, clerk1: User, clerk2: User
) -> None:
    enter(clerk1, counting_conference, 1, 1, "123")
    enter(clerk2, counting_conference, 2, 1, "133")
    enter(clerk1, counting_conference, 1, 2, "111", signed=True)
    enter(clerk2, counting_conference, 2, 2, "111")
    enter(clerk1, counting_conference, 1, 3, "222")  # pass 2 has no ballot 3

    rows = {r.number: r for r in reconcile(counting_conference).disagreements}
    assert sorted(rows) == [1, 2, 3]
    assert rows[1].differing_positions() == [2]
    assert rows[2].differing_positions() == []  # only the signature differs
    assert (rows[2].first or {})["signed"] is True
    assert rows[3].second is None


def test_creating_a_ballot_number_twice_in_one_pass_is_refused_and_keeps_the_first(
    counting_conference: Conference, clerk1: User
) -> None:
    enter(clerk1, counting_conference, 1, 1, "111")
    with pytest.raises(ServiceError) as e:
        enter(clerk1, counting_conference, 1, 1, "333")
    assert e.value.code == "entry_exists"
    assert "Phiếu số 1 đã được nhập" in e.value.message
    assert BallotEntry.objects.get(conference=counting_conference, entry_pass=1).digits == "111"


def test_an_edit_of_a_stale_version_is_refused(
    counting_conference: Conference, clerk1: User
) -> None:
    first = enter(clerk1, counting_conference, 1, 1, "111")
    enter(clerk1, counting_conference, 1, 1, "112", expected_version=first.version)
    with pytest.raises(ServiceError) as e:
        enter(clerk1, counting_conference, 1, 1, "113", expected_version=first.version)
    assert e.value.code == "entry_conflict"
    stored = BallotEntry.objects.get(conference=counting_conference, entry_pass=1, number=1)
    assert (stored.digits, stored.version) == ("112", 2)


def test_an_edit_of_a_ballot_deleted_elsewhere_is_a_conflict(
    counting_conference: Conference, clerk1: User
) -> None:
    with pytest.raises(ServiceError) as e:
        enter(clerk1, counting_conference, 1, 7, "111", expected_version=1)
    assert e.value.code == "entry_conflict"


def test_saving_the_same_content_again_is_not_a_new_version(
    counting_conference: Conference, clerk1: User
) -> None:
    first = enter(clerk1, counting_conference, 1, 1, "111")
    again = enter(clerk1, counting_conference, 1, 1, "111", expected_version=1)
    assert again.version == first.version == 1
    assert counting_conference.entry_log.count() == 1


@pytest.mark.parametrize(
    ("user", "entry_pass"),
    [("clerk1", 2), ("clerk2", 1), ("head_user", 1), ("member_user", 2), ("organiser", 1)],
)
def test_only_the_clerk_of_a_pass_may_enter_it(
    request: pytest.FixtureRequest, counting_conference: Conference, user: str, entry_pass: int
) -> None:
    with pytest.raises(ServiceError) as e:
        enter(request.getfixturevalue(user), counting_conference, entry_pass, 1, "111")
    assert e.value.code == "not_your_pass"
    assert not BallotEntry.objects.filter(conference=counting_conference).exists()


@pytest.mark.parametrize(
    ("number", "payload", "code"),
    [
        (1, {"digits": "11"}, "wrong_length"),
        (1, {"digits": "1111"}, "wrong_length"),
        (1, {"digits": "14 1"}, "bad_digit"),
        (1, {"digits": "1a1"}, "bad_digit"),
        (1, {"digits": "111", "crossed_out": ["4"]}, "bad_crossed_out"),
        (1, {"digits": "111", "crossed_out": ["x"]}, "bad_crossed_out"),
        (1, {"digits": "111", "crossed_out": [None]}, "bad_crossed_out"),
        (1, {"digits": "111", "added_names": -1}, "bad_added_names"),
        (1, {"digits": "111", "added_names": 100}, "bad_added_names"),
        (0, {"digits": "111"}, "bad_number"),
        (-3, {"digits": "111"}, "bad_number"),
        (2**31, {"digits": "111"}, "bad_number"),
    ],
)
def test_a_ballot_that_cannot_be_on_the_paper_is_refused(
    counting_conference: Conference,
    clerk1: User,
    number: int,
    payload: dict[str, object],
    code: str,
) -> None:
    with pytest.raises(ServiceError) as e:
        entry_save(
            acting_user=clerk1,
            conference=counting_conference,
            entry_pass=1,
            number=number,
            payload=payload,
        )
    assert e.value.code == code
    assert not BallotEntry.objects.exists()


def test_spaces_in_the_typed_digits_and_crossed_out_numbers_are_canonicalised(
    counting_conference: Conference, clerk1: User
) -> None:
    saved = enter(clerk1, counting_conference, 1, 1, " 1 2 3 ", crossed_out=["3", " 1", "3"])
    assert saved.payload()["digits"] == "123"
    assert saved.payload()["crossed_out"] == ["1", "3"]


def test_ballots_are_entered_only_while_counting(
    checkin_conference: Conference, clerk1: User
) -> None:
    with pytest.raises(ServiceError) as e:
        enter(clerk1, checkin_conference, 1, 1, "111")
    assert e.value.code == "not_counting"


def test_a_clerk_deletes_a_ballot_of_their_pass_naming_its_version(
    counting_conference: Conference, clerk1: User, clerk2: User
) -> None:
    entry = enter(clerk1, counting_conference, 1, 1, "111")
    kwargs: dict[str, Any] = {"conference": counting_conference, "entry_pass": 1, "number": 1}
    assert (
        _codes(entry_delete, acting_user=clerk2, expected_version=entry.version, **kwargs)
        == "not_your_pass"
    )
    assert _codes(entry_delete, acting_user=clerk1, expected_version=9, **kwargs) == (
        "entry_conflict"
    )
    entry_delete(acting_user=clerk1, expected_version=entry.version, **kwargs)
    assert not BallotEntry.objects.filter(conference=counting_conference).exists()


# --- the entry log -----------------------------------------------------------


def test_the_entry_log_has_a_row_for_every_create_update_delete_and_resolve(
    counting_conference: Conference, clerk1: User, clerk2: User, head_user: User
) -> None:
    enter(clerk1, counting_conference, 1, 1, "111")
    enter(clerk1, counting_conference, 1, 1, "112", expected_version=1)
    enter(clerk2, counting_conference, 2, 1, "113")
    enter(clerk1, counting_conference, 1, 2, "222")
    entry_delete(
        acting_user=clerk1,
        conference=counting_conference,
        entry_pass=1,
        number=2,
        expected_version=1,
    )
    resolution_save(
        acting_user=head_user,
        conference=counting_conference,
        number=1,
        reason="Ban kiểm phiếu xem phiếu gốc: người số 3 tín nhiệm thấp",
        payload={"digits": "113"},
    )
    log = list(counting_conference.entry_log.order_by("id"))
    assert [(e.action, e.entry_pass, e.number, e.user) for e in log] == [
        ("create", 1, 1, clerk1),
        ("update", 1, 1, clerk1),
        ("create", 2, 1, clerk2),
        ("create", 1, 2, clerk1),
        ("delete", 1, 2, clerk1),
        ("resolve", None, 1, head_user),
    ]
    assert log[1].before["digits"] == "111"
    assert log[1].after["digits"] == "112"
    assert log[4].before["digits"] == "222"
    assert log[4].after is None
    assert (log[5].after["exists"], log[5].after["digits"]) == (True, "113")
    assert log[5].reason.startswith("Ban kiểm phiếu xem phiếu gốc")


# --- the committee's decisions --------------------------------------------------


def test_only_the_head_resolves_a_disagreement(
    counting_conference: Conference,
    clerk1: User,
    clerk2: User,
    member_user: User,
    organiser: User,
) -> None:
    enter(clerk1, counting_conference, 1, 1, "111")
    enter(clerk2, counting_conference, 2, 1, "112")
    for someone in (clerk1, clerk2, member_user, organiser):
        with pytest.raises(ServiceError) as e:
            resolution_save(
                acting_user=someone,
                conference=counting_conference,
                number=1,
                reason="Theo phiếu gốc",
                payload={"digits": "112"},
            )
        assert e.value.code == "not_head"
    assert not Resolution.objects.exists()


def test_a_decision_needs_a_reason(
    counting_conference: Conference, clerk1: User, head_user: User
) -> None:
    enter(clerk1, counting_conference, 1, 1, "111")
    with pytest.raises(ServiceError) as e:
        resolution_save(
            acting_user=head_user,
            conference=counting_conference,
            number=1,
            reason="  ",
            payload={"digits": "111"},
        )
    assert e.value.code == "reason_required"


def test_the_heads_decision_settles_the_ballot_and_can_strike_a_number(
    counting_conference: Conference, clerk1: User, clerk2: User, head_user: User
) -> None:
    enter(clerk1, counting_conference, 1, 1, "111")
    enter(clerk2, counting_conference, 2, 1, "112")
    enter(clerk1, counting_conference, 1, 2, "333")  # typed twice by pass 1 only
    resolution_save(
        acting_user=head_user,
        conference=counting_conference,
        number=1,
        reason="Phiếu gốc: người số 3 tín nhiệm",
        payload={"digits": "112"},
    )
    resolution_save(
        acting_user=head_user,
        conference=counting_conference,
        number=2,
        reason="Không có phiếu số 2: nhập thừa",
        payload=None,
    )
    recon = reconcile(counting_conference)
    assert recon.complete
    assert [b["digits"] for b in recon.ballots] == ["112"]


# --- confirmation ---------------------------------------------------------------


def test_confirmation_is_refused_while_disagreements_remain(
    entered_conference: Conference, clerk1: User, head_user: User
) -> None:
    enter(clerk1, entered_conference, 1, 5, "333", expected_version=1)
    enter(clerk1, entered_conference, 1, 13, "111")
    with pytest.raises(ServiceError) as e:
        results_confirm(acting_user=head_user, conference=entered_conference)
    assert e.value.code == "unresolved"
    assert "Còn 2 phiếu" in e.value.message
    assert "số 5, 13" in e.value.message
    assert Conference.objects.get(pk=entered_conference.pk).status == Status.COUNTING
    assert not ConfirmedResult.objects.exists()


def test_only_the_head_confirms(entered_conference: Conference, clerk1: User) -> None:
    with pytest.raises(ServiceError) as e:
        results_confirm(acting_user=clerk1, conference=entered_conference)
    assert e.value.code == "not_head"


def test_nothing_to_confirm_without_ballots(
    counting_conference: Conference, head_user: User
) -> None:
    with pytest.raises(ServiceError) as e:
        results_confirm(acting_user=head_user, conference=counting_conference)
    assert e.value.code == "no_ballots"


def _core_ballot(digits: str, **flags: object) -> Ballot:
    """The paper ballot, written independently of the application's decoder:
    a ``9`` line is written as two marked boxes (the application writes all three;
    both are void)."""
    table = {"1": (HIGH,), "2": (CONF,), "3": (LOW,), "9": (HIGH, LOW)}
    marks = {str(i): table[d] for i, d in enumerate(digits, start=1) if d != "0"}
    return Ballot(marks=marks, **flags)  # type: ignore[arg-type]


def test_the_confirmed_result_is_the_rules_core_tally_of_the_same_ballots(
    confirmed: ConfirmedResult, entered_conference: Conference
) -> None:
    cands = list(entered_conference.candidacies.select_related("official"))
    core = CoreConference(
        kind=VoteKind.POLL,
        summoned=SUMMONED,
        present=PRESENT,
        ballots_issued=PRESENT,
        candidates=tuple(
            Candidate(str(c.order), c.official.full_name, c.printed_position) for c in cands
        ),
        ballots=tuple(
            _core_ballot(b) if isinstance(b, str) else _core_ballot(b[0], **b[1]) for b in BALLOTS
        ),
    )
    expected = tally_result_to_json(tally(core, get_profile("qd96-2023")), "vi")
    assert confirmed.result == expected
    first = confirmed.result["candidates"][0]
    assert first["counts"] == {"cao": 7, "tin_nhiem": 4, "thap": 1}
    assert first["percent"] == {"cao": "58.33", "tin_nhiem": "33.33", "thap": "8.33"}
    assert confirmed.result["candidates"][1]["invalid"] == 1  # the "9" of ballot 12


def test_confirmation_freezes_the_record_and_the_result_under_their_digest(
    confirmed: ConfirmedResult, entered_conference: Conference, head_user: User
) -> None:
    body = json.dumps(
        {"record": confirmed.record, "result": confirmed.result},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    ).encode("utf-8")
    assert confirmed.sha256 == hashlib.sha256(body).hexdigest()
    assert (confirmed.version, confirmed.is_current, confirmed.confirmed_by) == (1, True, head_user)
    conference = Conference.objects.get(pk=entered_conference.pk)
    assert conference.status == Status.CONFIRMED
    assert conference.counting_finished_at is not None
    assert len(confirmed.record["ballots"]) == 12


def test_a_confirmed_conference_takes_no_more_entries_or_decisions(
    confirmed: ConfirmedResult, entered_conference: Conference, clerk1: User, head_user: User
) -> None:
    with pytest.raises(ServiceError) as e:
        enter(clerk1, entered_conference, 1, 13, "111")
    assert e.value.code == "not_counting"
    with pytest.raises(ServiceError) as e:
        resolution_save(
            acting_user=head_user,
            conference=entered_conference,
            number=1,
            reason="Sửa",
            payload={"digits": "333"},
        )
    assert e.value.code == "not_counting"
    with pytest.raises(ServiceError) as e:
        results_confirm(acting_user=head_user, conference=entered_conference)
    assert e.value.code == "not_counting"


# --- amendments ---------------------------------------------------------------


def test_an_amendment_is_version_2_with_its_reason_and_version_1_is_kept(
    confirmed: ConfirmedResult, entered_conference: Conference, head_user: User
) -> None:
    reason = "Biên bản kiểm phiếu: phiếu số 10 người số 1 đánh dấu tín nhiệm cao"
    amended = result_amend(
        acting_user=head_user,
        conference=entered_conference,
        number=10,
        payload={"digits": "113"},
        reason=reason,
    )
    assert (amended.version, amended.reason, amended.is_current) == (2, reason, True)
    v1 = ConfirmedResult.objects.get(pk=confirmed.pk)
    assert (v1.version, v1.is_current, v1.result, v1.sha256) == (
        1,
        False,
        confirmed.result,
        confirmed.sha256,
    )
    assert amended.result["candidates"][0]["counts"] == {"cao": 8, "tin_nhiem": 4, "thap": 0}
    assert amended.sha256 != confirmed.sha256
    assert Conference.objects.get(pk=entered_conference.pk).status == Status.CONFIRMED
    last = entered_conference.entry_log.order_by("id").last()
    assert last is not None
    assert (last.action, last.number, last.reason) == ("resolve", 10, reason)


def test_an_amendment_can_remove_a_ballot_or_add_one(
    confirmed: ConfirmedResult, entered_conference: Conference, head_user: User
) -> None:
    removed = result_amend(
        acting_user=head_user,
        conference=entered_conference,
        number=12,
        payload=None,
        reason="Phiếu số 12 là phiếu mẫu để trong hòm, không phải phiếu bầu",
    )
    assert removed.result["ballots"]["collected"] == 11
    added = result_amend(
        acting_user=head_user,
        conference=entered_conference,
        number=13,
        payload={"digits": "333"},
        reason="Tìm thấy thêm một phiếu trong hòm phiếu",
    )
    assert (added.version, added.result["ballots"]["collected"]) == (3, 12)
    assert list(entered_conference.results.values_list("version", "is_current")) == [
        (3, True),
        (2, False),
        (1, False),
    ]


def test_an_amendment_needs_the_head_a_reason_and_a_confirmed_result(
    entered_conference: Conference, head_user: User, clerk1: User
) -> None:
    kwargs = {"conference": entered_conference, "number": 1, "payload": {"digits": "111"}}
    assert _codes(result_amend, acting_user=head_user, reason="Sớm", **kwargs) == "not_confirmed"
    results_confirm(acting_user=head_user, conference=entered_conference)
    assert _codes(result_amend, acting_user=clerk1, reason="Sửa", **kwargs) == "not_head"
    assert _codes(result_amend, acting_user=head_user, reason=" ", **kwargs) == "reason_required"
    bad = {**kwargs, "payload": {"digits": "1"}}
    assert _codes(result_amend, acting_user=head_user, reason="Sửa", **bad) == "wrong_length"
    assert entered_conference.results.count() == 1
    assert Conference.objects.get(pk=entered_conference.pk).status == Status.CONFIRMED


def test_the_double_entry_fixture_types_every_ballot_twice(
    entered_conference: Conference, clerk1: User, clerk2: User
) -> None:
    """Sanity of the fixture the other tests rely on."""
    by_pass = {
        p: list(
            BallotEntry.objects.filter(conference=entered_conference, entry_pass=p).values_list(
                "entered_by", flat=True
            )
        )
        for p in (1, 2)
    }
    assert by_pass == {1: [clerk1.pk] * 12, 2: [clerk2.pk] * 12}
    assert EntryLogEntry.objects.filter(conference=entered_conference).count() == 24

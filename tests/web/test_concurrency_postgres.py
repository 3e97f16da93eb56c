"""Two clerks, one ballot, the same moment, on PostgreSQL: never a duplicate,
never a lost entry.

Each thread has its own database connection (Django's connections are per
thread), opens it before the start, and waits at a barrier so that every
transaction starts together. The test database is really committed to
(``transaction=True``), as in production.

These tests run in the PostgreSQL pass of the suite:
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres uv run pytest tests/web``.
SQLite serialises writers by design (IMMEDIATE transactions) and proves nothing here.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.db import IntegrityError, connection, connections, transaction

from tests.web.builders import build_counting_conference, enter, make_agency
from tinnhiem.accounts.models import User
from tinnhiem.campaigns.models import VoteRound
from tinnhiem.common.audit import audit, verify_chain
from tinnhiem.common.errors import ServiceError
from tinnhiem.common.models import AuditEntry, AuditHead
from tinnhiem.conferences.models import Conference
from tinnhiem.counting.models import BallotEntry, EntryLogEntry
from tinnhiem.counting.selectors import reconcile
from tinnhiem.counting.services import entry_delete

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="runs in the PostgreSQL pass: set DATABASE_URL=postgres://…",
    ),
    pytest.mark.django_db(transaction=True),
]

THREADS = 8


def race(work: list[Callable[[], Any]]) -> list[tuple[str, Any]]:
    """Run every callable in its own thread and connection, all released at once.

    Each outcome is ("ok", value), ("refused", ServiceError code) or
    ("crash", repr) — a crash fails the tests that look at outcomes."""
    barrier = threading.Barrier(len(work))
    outcomes: list[tuple[str, Any]] = [("crash", "did not run")] * len(work)

    def run(i: int) -> None:
        try:
            connection.ensure_connection()
            barrier.wait(timeout=30)
            outcomes[i] = ("ok", work[i]())
        except ServiceError as e:
            outcomes[i] = ("refused", e.code)
        except BaseException as e:
            outcomes[i] = ("crash", repr(e))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(work))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    return outcomes


def test_the_database_is_postgresql_with_real_transactions(db: None) -> None:
    assert connection.vendor == "postgresql"
    assert not connection.in_atomic_block


def test_the_same_new_ballot_saved_at_once_is_stored_once_and_the_others_told_it_exists(
    counting_conference: Conference, clerk1: User
) -> None:
    def save(digits: str) -> str:
        return enter(clerk1, counting_conference, 1, 1, digits).digits

    digits = ["111", "112", "113", "121", "122", "123", "131", "132"][:THREADS]
    outcomes = race([partial(save, d) for d in digits])
    kinds = Counter(kind for kind, _ in outcomes)
    assert kinds == {"ok": 1, "refused": THREADS - 1}, outcomes
    assert {code for kind, code in outcomes if kind == "refused"} == {"entry_exists"}
    winner = next(value for kind, value in outcomes if kind == "ok")

    stored = BallotEntry.objects.get(conference=counting_conference)
    assert (stored.entry_pass, stored.number, stored.digits, stored.version) == (1, 1, winner, 1)
    log = list(EntryLogEntry.objects.filter(conference=counting_conference))
    assert [(e.action, e.after["digits"]) for e in log] == [("create", winner)]
    assert AuditEntry.objects.filter(action="entry.create").count() == 1
    assert verify_chain() is None


def test_the_two_passes_saving_the_same_numbers_at_once_both_keep_every_ballot(
    counting_conference: Conference, clerk1: User, clerk2: User
) -> None:
    numbers = range(1, 21)

    def typing(clerk: User, entry_pass: int) -> int:
        for n in numbers:
            enter(clerk, counting_conference, entry_pass, n, "123")
        return len(numbers)

    outcomes = race([lambda: typing(clerk1, 1), lambda: typing(clerk2, 2)])
    assert outcomes == [("ok", 20), ("ok", 20)]
    recon = reconcile(counting_conference)
    assert (recon.first_count, recon.second_count) == (20, 20)
    assert recon.complete
    assert EntryLogEntry.objects.filter(conference=counting_conference).count() == 40
    assert verify_chain() is None


def test_concurrent_edits_of_one_version_let_one_win_and_tell_the_others_of_the_conflict(
    counting_conference: Conference, clerk1: User
) -> None:
    enter(clerk1, counting_conference, 1, 1, "111")

    def edit(digits: str) -> str:
        return enter(clerk1, counting_conference, 1, 1, digits, expected_version=1).digits

    digits = ["222", "223", "232", "233", "322", "323", "332", "333"][:THREADS]
    outcomes = race([partial(edit, d) for d in digits])
    kinds = Counter(kind for kind, _ in outcomes)
    assert kinds == {"ok": 1, "refused": THREADS - 1}, outcomes
    assert {code for kind, code in outcomes if kind == "refused"} == {"entry_conflict"}
    winner = next(value for kind, value in outcomes if kind == "ok")

    stored = BallotEntry.objects.get(conference=counting_conference)
    assert (stored.digits, stored.version) == (winner, 2)
    log = list(EntryLogEntry.objects.filter(conference=counting_conference).order_by("id"))
    assert [(e.action, (e.before or {}).get("digits"), e.after["digits"]) for e in log] == [
        ("create", None, "111"),
        ("update", "111", winner),
    ]
    assert AuditEntry.objects.filter(action="entry.update").count() == 1
    assert verify_chain() is None


def test_an_edit_racing_a_delete_never_resurrects_or_loses_silently(
    counting_conference: Conference, clerk1: User
) -> None:
    enter(clerk1, counting_conference, 1, 1, "111")
    outcomes = race(
        [
            lambda: enter(clerk1, counting_conference, 1, 1, "333", expected_version=1).version,
            lambda: entry_delete(
                acting_user=clerk1,
                conference=counting_conference,
                entry_pass=1,
                number=1,
                expected_version=1,
            ),
        ]
    )
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
    assert [code for kind, code in outcomes if kind == "refused"] == ["entry_conflict"]
    log = [e.action for e in EntryLogEntry.objects.filter(conference=counting_conference)]
    edited = outcomes[0][0] == "ok"
    assert log == (["create", "update"] if edited else ["create", "delete"])
    assert BallotEntry.objects.filter(conference=counting_conference).exists() == edited


def test_the_unique_constraint_is_the_last_word_when_two_creations_race(
    counting_conference: Conference, clerk1: User
) -> None:
    """Below the service's locks: two bare inserts of one (conference, pass,
    number) cannot both commit."""

    def insert() -> str:
        try:
            with transaction.atomic():
                BallotEntry.objects.create(
                    conference=counting_conference,
                    entry_pass=1,
                    number=1,
                    entered_by=clerk1,
                    digits="111",
                )
        except IntegrityError:
            return "refused by the constraint"
        return "stored"

    outcomes = race([insert, insert])
    assert sorted(outcomes) == [("ok", "refused by the constraint"), ("ok", "stored")]
    assert BallotEntry.objects.filter(conference=counting_conference).count() == 1


def test_clerks_of_two_conferences_typing_at_once_leave_one_unbroken_audit_chain(
    organiser: User,
    head_user: User,
    clerk1: User,
    clerk2: User,
    vote_round: VoteRound,
    counting_conference: Conference,
) -> None:
    """The conferences do not share a row lock; the audit head serialises them."""
    other = build_counting_conference(
        organiser=organiser,
        head=head_user,
        clerk1=clerk1,
        clerk2=clerk2,
        agency=make_agency(organiser, vote_round, name="Sở Xây dựng"),
        candidates=3,
        summoned=6,
        present=6,
        seed=404,
    )

    def typing(conference: Conference, clerk: User, entry_pass: int) -> int:
        for n in range(1, 11):
            enter(clerk, conference, entry_pass, n, "321")
        return 10

    outcomes = race(
        [
            lambda: typing(counting_conference, clerk1, 1),
            lambda: typing(counting_conference, clerk2, 2),
            lambda: typing(other, clerk1, 1),
            lambda: typing(other, clerk2, 2),
        ]
    )
    assert outcomes == [("ok", 10)] * 4
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert AuditEntry.objects.filter(action="entry.create").count() == 40
    assert verify_chain() is None


def test_the_first_two_audit_entries_appended_at_once_are_chained(
    db: None, organiser: User
) -> None:
    AuditEntry.objects.all().delete()
    AuditHead.objects.all().delete()

    def append(i: int) -> int:
        with transaction.atomic():
            return audit(actor=organiser, action="test.append", summary=str(i)).seq

    outcomes = race([partial(append, i) for i in range(THREADS)])
    assert sorted(value for _kind, value in outcomes) == list(range(1, THREADS + 1)), outcomes
    assert verify_chain() is None

"""The dossier services refuse bad days and bad input with stable codes, write
nothing when they refuse, and leave an audit entry naming who acted."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.dossiers.conftest import VOTE_DAY
from tinnhiem.accounts.models import User
from tinnhiem.common.audit import verify_chain
from tinnhiem.common.errors import ServiceError
from tinnhiem.common.models import AuditEntry
from tinnhiem.conferences.dossiers import (
    dossier_item_record,
    question_answer,
    question_forward,
    question_record,
)
from tinnhiem.conferences.models import (
    Candidacy,
    Conference,
    DossierItem,
    DossierKind,
    WrittenQuestion,
)

pytestmark = pytest.mark.django_db

D = VOTE_DAY


def before(days: int) -> date:
    return D - timedelta(days=days)


@pytest.fixture
def candidacy(conference: Conference) -> Candidacy:
    return conference.candidacies.get(order=1)


@pytest.fixture
def question(organiser: User, candidacy: Candidacy) -> WrittenQuestion:
    return question_record(
        acting_user=organiser,
        candidacy=candidacy,
        asked_by="  Một người ghi phiếu ",
        received_on=before(12),
        text="Đề nghị làm rõ việc chậm tiến độ dự án.",
    )


def _refused(code: str, action: object, **kwargs: object) -> None:
    entries = AuditEntry.objects.count()
    with pytest.raises(ServiceError) as e:
        action(**kwargs)  # type: ignore[operator]
    assert e.value.code == code
    assert e.value.message
    assert AuditEntry.objects.count() == entries


def test_a_dossier_item_is_recorded_with_an_audit_entry(
    organiser: User, candidacy: Candidacy
) -> None:
    item = dossier_item_record(
        acting_user=organiser,
        candidacy=candidacy,
        kind=DossierKind.ASSET_DECLARATION,
        received_on=before(21),
        note="Bản gốc, có ký xác nhận",
    )
    assert (item.received_on, item.recorded_by) == (before(21), organiser)
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None
    assert (entry.action, entry.actor_id, entry.object_id) == (
        "dossier_item.record",
        organiser.pk,
        str(item.pk),
    )
    assert entry.before is None
    assert entry.after is not None
    assert entry.after["received_on"] == "2023-06-06"
    assert entry.after["person"] == candidacy.official.full_name


def test_recording_the_same_item_again_corrects_it_and_keeps_the_old_day_in_the_log(
    organiser: User, candidacy: Candidacy
) -> None:
    dossier_item_record(
        acting_user=organiser, candidacy=candidacy, kind="report", received_on=before(21)
    )
    dossier_item_record(
        acting_user=organiser, candidacy=candidacy, kind="report", received_on=before(22)
    )
    assert DossierItem.objects.filter(candidacy=candidacy).count() == 1
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None
    assert entry.before is not None
    assert entry.after is not None
    assert (entry.before["received_on"], entry.after["received_on"]) == (
        "2023-06-06",
        "2023-06-05",
    )
    assert verify_chain() is None


@pytest.mark.parametrize(
    ("kind", "received_on", "code"),
    [
        ("report", D + timedelta(days=1), "after_vote"),
        ("curriculum_vitae", before(20), "unknown_kind"),
    ],
)
def test_a_dossier_item_is_refused_with_a_code(
    organiser: User, candidacy: Candidacy, kind: str, received_on: date, code: str
) -> None:
    _refused(
        code,
        dossier_item_record,
        acting_user=organiser,
        candidacy=candidacy,
        kind=kind,
        received_on=received_on,
    )
    assert not DossierItem.objects.exists()


def test_a_day_still_to_come_is_refused(
    organiser: User, conference: Conference, candidacy: Candidacy
) -> None:
    today = timezone.localdate()
    Conference.objects.filter(pk=conference.pk).update(date=today + timedelta(days=40))
    candidacy.refresh_from_db()
    _refused(
        "in_future",
        dossier_item_record,
        acting_user=organiser,
        candidacy=candidacy,
        kind="report",
        received_on=today + timedelta(days=1),
    )


@pytest.mark.parametrize(
    ("asked_by", "text", "received_on", "code"),
    [
        ("  ", "Nội dung", before(12), "empty_asker"),
        ("Cấp có thẩm quyền", " ", before(12), "empty_text"),
        ("Cấp có thẩm quyền", "Nội dung", D + timedelta(days=2), "after_vote"),
    ],
)
def test_a_question_is_refused_with_a_code(
    organiser: User,
    candidacy: Candidacy,
    asked_by: str,
    text: str,
    received_on: date,
    code: str,
) -> None:
    _refused(
        code,
        question_record,
        acting_user=organiser,
        candidacy=candidacy,
        asked_by=asked_by,
        text=text,
        received_on=received_on,
    )
    assert not WrittenQuestion.objects.exists()


def test_a_question_goes_forward_then_is_answered_each_step_audited(
    organiser: User, question: WrittenQuestion
) -> None:
    assert question.asked_by == "Một người ghi phiếu"
    question_forward(acting_user=organiser, question=question, forwarded_on=before(10))
    question_answer(
        acting_user=organiser, question=question, answered_on=before(4), note="Đã giải trình"
    )
    question.refresh_from_db()
    assert (question.forwarded_on, question.answered_on, question.answer_note) == (
        before(10),
        before(4),
        "Đã giải trình",
    )
    actions = list(
        AuditEntry.objects.filter(
            object_type="conferences.writtenquestion", object_id=str(question.pk)
        )
        .order_by("seq")
        .values_list("action", "actor_id")
    )
    assert actions == [
        ("question.record", organiser.pk),
        ("question.forward", organiser.pk),
        ("question.answer", organiser.pk),
    ]
    assert verify_chain() is None


def test_forwarding_and_answering_refuse_impossible_days(
    organiser: User, question: WrittenQuestion
) -> None:
    _refused(
        "not_forwarded",
        question_answer,
        acting_user=organiser,
        question=question,
        answered_on=before(4),
    )
    _refused(
        "before_received",
        question_forward,
        acting_user=organiser,
        question=question,
        forwarded_on=before(13),
    )
    _refused(
        "after_vote",
        question_forward,
        acting_user=organiser,
        question=question,
        forwarded_on=D + timedelta(days=1),
    )
    question_forward(acting_user=organiser, question=question, forwarded_on=before(10))
    _refused(
        "before_forwarded",
        question_answer,
        acting_user=organiser,
        question=question,
        answered_on=before(11),
    )
    _refused(
        "after_vote",
        question_answer,
        acting_user=organiser,
        question=question,
        answered_on=D + timedelta(days=1),
    )
    question_answer(acting_user=organiser, question=question, answered_on=before(3))
    _refused(
        "already_answered",
        question_forward,
        acting_user=organiser,
        question=question,
        forwarded_on=before(9),
    )
    question.refresh_from_db()
    assert (question.forwarded_on, question.answered_on) == (before(10), before(3))

"""Timeline and dossiers of a conference: what is due before the vote, and when
it was done.

Quy định 96-QĐ/TW Điều 9 (Bước 1) and KH 240/KH-UBND [S3] §C.III.3–4, §C.IV
and Phụ lục 1: each polled person sends a dossier — (1) báo cáo của người được
lấy phiếu, (2) bản kê khai tài sản, thu nhập, (3) báo cáo giải trình (nếu có);
the office sends the dossiers to the ballot-fillers "trước 15 ngày"; written
questions come "chậm nhất là 10 ngày trước" and go to the person "trước 10
ngày"; the person answers "chậm nhất 03 ngày trước ngày lấy phiếu". Nghị quyết
96/2023/QH15 Điều 10–11: 45 / 30 / 25 / 20 days before the session opens.

Services record what the personnel office received and on which day; each one
runs in a transaction and appends an audit entry. Selectors set those days
against the deadlines of the round's profile (with the round's overrides,
``deadline.<code>``): the rules core (:func:`tinnhiem.rules.compute_deadlines`
and :meth:`tinnhiem.rules.Deadline.status`) computes every due day and every
status. This module only says which deadline each step is judged against
(:data:`STEP_DEADLINES`), never a number of days.

The anchor day is the conference's date: the vote day (ngày lấy phiếu) for the
party profiles; for the Assembly and HĐND profiles the date the conference
carries stands for the session's opening day (ngày khai mạc kỳ họp).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tinnhiem.campaigns.models import VoteRound
from tinnhiem.campaigns.services import round_profile
from tinnhiem.common.audit import audit
from tinnhiem.common.errors import ServiceError
from tinnhiem.conferences.models import (
    Candidacy,
    Conference,
    DossierItem,
    DossierKind,
    Status,
    WrittenQuestion,
)
from tinnhiem.rules import Deadline, DeadlineStatus, Profile, compute_deadlines
from tinnhiem.rules.numbers import format_date_short_vi

# --------------------------------------------------------------------- steps


class Step(StrEnum):
    """A dated step of one person's file that a deadline applies to."""

    REPORT = DossierKind.REPORT.value
    ASSET_DECLARATION = DossierKind.ASSET_DECLARATION.value
    EXPLANATION = DossierKind.EXPLANATION.value
    QUESTION_RECEIVED = "question_received"
    """The written question reached the office (người ghi phiếu, cấp có thẩm quyền)."""
    QUESTION_FORWARDED = "question_forwarded"
    """The office sent it to the polled person."""
    QUESTION_ANSWERED = "question_answered"
    """The polled person's answer (báo cáo, giải trình) reached the office."""


STEP_DEADLINES: Mapping[Step, tuple[str, ...]] = {
    # The polled person's own step: Hải Dương's 20 days under 96 (UNVERIFIED in
    # the profile, overridable); the 30 days of NQ 96/2023/QH15 Điều 10.
    Step.REPORT: ("dossier_submitted", "report_submitted"),
    Step.ASSET_DECLARATION: ("dossier_submitted", "report_submitted"),
    # Phụ lục 1 mục 3: "Báo cáo giải trình … theo yêu cầu của cấp có thẩm quyền
    # hoặc của người ghi phiếu (nếu có)", due "chậm nhất 03 ngày trước" (§C.III.3).
    Step.EXPLANATION: ("answers", "report_submitted"),
    Step.QUESTION_RECEIVED: ("questions_from_voters",),
    Step.QUESTION_FORWARDED: ("questions_to_official",),
    Step.QUESTION_ANSWERED: ("answers",),
}
"""Which deadline of the profile each step is judged against: the first code
the profile has. A step whose codes the profile lacks has no deadline there
(e.g. written questions under NQ 96/2023/QH15, whose deadlines are UNVERIFIED)."""

STEP_LABELS: Mapping[Step, Promise] = {
    Step.REPORT: DossierKind.REPORT.label,
    Step.ASSET_DECLARATION: DossierKind.ASSET_DECLARATION.label,
    Step.EXPLANATION: DossierKind.EXPLANATION.label,
    Step.QUESTION_RECEIVED: gettext_lazy("Nhận yêu cầu làm rõ"),
    Step.QUESTION_FORWARDED: gettext_lazy("Gửi yêu cầu cho người được lấy phiếu"),
    Step.QUESTION_ANSWERED: gettext_lazy("Nhận báo cáo giải trình"),
}

REQUIRED_ITEMS = (DossierKind.REPORT, DossierKind.ASSET_DECLARATION)
"""Every person's dossier has these; the explanation is "nếu có" (Phụ lục 1 mục 3)."""

STATUS_LABELS: Mapping[DeadlineStatus, Promise] = {
    DeadlineStatus.ON_TIME: gettext_lazy("Đúng hạn"),
    DeadlineStatus.LATE: gettext_lazy("Trễ hạn"),
    DeadlineStatus.PENDING: gettext_lazy("Chưa đến hạn"),
    DeadlineStatus.OVERDUE: gettext_lazy("Quá hạn"),
}

STATUS_BADGES: Mapping[DeadlineStatus, str] = {
    DeadlineStatus.ON_TIME: "ok",
    DeadlineStatus.LATE: "warn",
    DeadlineStatus.PENDING: "",
    DeadlineStatus.OVERDUE: "bad",
}

OPEN_STATUSES = (Status.PREPARING, Status.CHECKIN)
"""Conferences whose vote has not taken place: the dashboard looks at these."""

DUE_SOON_DAYS = 7
"""The dashboard's default horizon: what falls due within this many days."""


def _deadline_for(step: Step, deadlines: Mapping[str, Deadline]) -> Deadline | None:
    for code in STEP_DEADLINES[step]:
        if code in deadlines:
            return deadlines[code]
    return None


# ------------------------------------------------------------------ services


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip())


def _short(day: date) -> str:
    return format_date_short_vi(day)


def _check_day(day: date, conference: Conference, what: str) -> None:
    """A day the office records must be neither after the vote nor in the future."""
    if day > conference.date:
        raise ServiceError(
            "after_vote",
            _("%(what)s: ngày %(day)s sau ngày lấy phiếu (%(vote)s).")
            % {"what": what, "day": _short(day), "vote": _short(conference.date)},
        )
    if day > timezone.localdate():
        raise ServiceError(
            "in_future",
            _("%(what)s: ngày %(day)s chưa đến.") % {"what": what, "day": _short(day)},
        )


def _item_snapshot(item: DossierItem) -> dict[str, Any]:
    return {
        "person": item.candidacy.official.full_name,
        "kind": item.kind,
        "received_on": item.received_on,
        "note": item.note,
    }


def _question_snapshot(q: WrittenQuestion) -> dict[str, Any]:
    return {
        "person": q.candidacy.official.full_name,
        "asked_by": q.asked_by,
        "received_on": q.received_on,
        "text": q.text,
        "forwarded_on": q.forwarded_on,
        "answered_on": q.answered_on,
        "answer_note": q.answer_note,
    }


@transaction.atomic
def dossier_item_record(
    *,
    acting_user: Any,
    candidacy: Candidacy,
    kind: str,
    received_on: date,
    note: str = "",
) -> DossierItem:
    """Record that the office received one item of a person's dossier.

    Recording the same kind again corrects the day or the note (the audit entry
    keeps the previous values). Refused with ``unknown_kind``, ``after_vote``
    (received after the vote day) or ``in_future``."""
    if kind not in DossierKind.values:
        raise ServiceError("unknown_kind", _("Loại hồ sơ không hợp lệ."))
    label = str(DossierKind(kind).label)
    _check_day(received_on, candidacy.conference, label)
    item = (
        DossierItem.objects.select_for_update()
        .filter(candidacy=candidacy, kind=kind)
        .order_by("pk")
        .first()
    )
    before = _item_snapshot(item) if item is not None else None
    if item is None:
        item = DossierItem(candidacy=candidacy, kind=kind)
    item.received_on = received_on
    item.note = note.strip()
    item.recorded_by = acting_user if getattr(acting_user, "pk", None) else None
    item.save()
    audit(
        actor=acting_user,
        action="dossier_item.record",
        obj=item,
        summary=f"{label}: {candidacy.official.full_name}",
        before=before,
        after=_item_snapshot(item),
    )
    return item


@transaction.atomic
def question_record(
    *,
    acting_user: Any,
    candidacy: Candidacy,
    asked_by: str,
    received_on: date,
    text: str,
) -> WrittenQuestion:
    """Record a written question (yêu cầu làm rõ bằng văn bản) about a person.

    Refused with ``empty_asker``, ``empty_text``, ``after_vote`` or ``in_future``."""
    asked_by, text = _nfc(asked_by), _nfc(text)
    if not asked_by:
        raise ServiceError(
            "empty_asker", _("Hãy ghi người ghi phiếu hoặc cấp có thẩm quyền đặt yêu cầu.")
        )
    if not text:
        raise ServiceError("empty_text", _("Hãy ghi nội dung cần làm rõ."))
    _check_day(received_on, candidacy.conference, _("Yêu cầu làm rõ"))
    question = WrittenQuestion.objects.create(
        candidacy=candidacy,
        asked_by=asked_by,
        received_on=received_on,
        text=text,
        recorded_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    audit(
        actor=acting_user,
        action="question.record",
        obj=question,
        summary=f"{asked_by} → {candidacy.official.full_name}",
        after=_question_snapshot(question),
    )
    return question


@transaction.atomic
def question_forward(
    *, acting_user: Any, question: WrittenQuestion, forwarded_on: date
) -> WrittenQuestion:
    """Record the day the office sent the question to the polled person.

    Refused with ``already_answered``, ``before_received``, ``after_vote`` or
    ``in_future``; a day recorded earlier may be corrected until the answer."""
    question = WrittenQuestion.objects.select_for_update().get(pk=question.pk)
    if question.answered_on is not None:
        raise ServiceError(
            "already_answered", _("Yêu cầu đã có báo cáo giải trình: không sửa ngày gửi.")
        )
    if forwarded_on < question.received_on:
        raise ServiceError(
            "before_received",
            _("Ngày gửi (%(day)s) trước ngày nhận yêu cầu (%(received)s).")
            % {"day": _short(forwarded_on), "received": _short(question.received_on)},
        )
    _check_day(forwarded_on, question.candidacy.conference, _("Gửi yêu cầu làm rõ"))
    before = _question_snapshot(question)
    question.forwarded_on = forwarded_on
    question.save(update_fields=["forwarded_on", "updated_at"])
    audit(
        actor=acting_user,
        action="question.forward",
        obj=question,
        summary=f"{question.asked_by} → {question.candidacy.official.full_name}",
        before=before,
        after=_question_snapshot(question),
    )
    return question


@transaction.atomic
def question_answer(
    *, acting_user: Any, question: WrittenQuestion, answered_on: date, note: str = ""
) -> WrittenQuestion:
    """Record the day the person's answer (báo cáo, giải trình) reached the office.

    Refused with ``not_forwarded``, ``before_forwarded``, ``after_vote`` or
    ``in_future``; recording it again corrects the day or the note."""
    question = WrittenQuestion.objects.select_for_update().get(pk=question.pk)
    if question.forwarded_on is None:
        raise ServiceError(
            "not_forwarded",
            _("Yêu cầu chưa được gửi cho người được lấy phiếu: hãy ghi ngày gửi trước."),
        )
    if answered_on < question.forwarded_on:
        raise ServiceError(
            "before_forwarded",
            _("Ngày nhận giải trình (%(day)s) trước ngày gửi yêu cầu (%(sent)s).")
            % {"day": _short(answered_on), "sent": _short(question.forwarded_on)},
        )
    _check_day(answered_on, question.candidacy.conference, _("Báo cáo giải trình"))
    before = _question_snapshot(question)
    question.answered_on = answered_on
    question.answer_note = note.strip()
    question.save(update_fields=["answered_on", "answer_note", "updated_at"])
    audit(
        actor=acting_user,
        action="question.answer",
        obj=question,
        summary=f"{question.asked_by} → {question.candidacy.official.full_name}",
        before=before,
        after=_question_snapshot(question),
    )
    return question


# ----------------------------------------------------------------- selectors


@dataclass(frozen=True)
class StepCheck:
    """One dated step of one person, set against its deadline by the rules core."""

    step: Step
    deadline: Deadline | None
    """None: the profile sets no deadline for this step."""
    done_on: date | None
    status: DeadlineStatus | None
    """None when there is no deadline, or for an optional item not given."""
    required: bool = True
    note: str = ""

    @property
    def label(self) -> str:
        return str(STEP_LABELS[self.step])

    @property
    def due(self) -> date | None:
        return self.deadline.due if self.deadline is not None else None

    @property
    def done(self) -> bool:
        return self.done_on is not None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status]) if self.status is not None else ""

    @property
    def badge(self) -> str:
        return STATUS_BADGES[self.status] if self.status is not None else ""


def _check(
    step: Step,
    deadlines: Mapping[str, Deadline],
    done_on: date | None,
    today: date,
    *,
    required: bool = True,
    note: str = "",
) -> StepCheck:
    deadline = _deadline_for(step, deadlines)
    status = None
    if deadline is not None and (required or done_on is not None):
        status = deadline.status(done_on=done_on, today=today)
    return StepCheck(step, deadline, done_on, status, required, note)


@dataclass(frozen=True)
class QuestionRow:
    question: WrittenQuestion
    received: StepCheck
    forwarded: StepCheck
    answered: StepCheck

    @property
    def checks(self) -> tuple[StepCheck, ...]:
        return (self.received, self.forwarded, self.answered)


@dataclass(frozen=True)
class PersonRow:
    candidacy: Candidacy
    items: tuple[StepCheck, ...]
    """Báo cáo, bản kê khai tài sản, thu nhập, báo cáo giải trình (in that order)."""
    questions: tuple[QuestionRow, ...]

    @property
    def checks(self) -> tuple[StepCheck, ...]:
        return self.items + tuple(c for q in self.questions for c in q.checks)

    def item(self, kind: str) -> StepCheck:
        return next(c for c in self.items if c.step == kind)


@dataclass(frozen=True)
class TimelineDeadline:
    """One deadline of the profile for this conference, with what it applies to."""

    deadline: Deadline
    days_left: int
    """Due day minus today: negative once the day has passed."""
    steps: tuple[StepCheck, ...]
    """Every person's step judged against this deadline."""
    status: DeadlineStatus | None
    """Of the steps as a whole: done when all are done (on time when the last
    one was); None when no step of this conference is judged against it."""
    tracked: bool
    """Whether any kind of step is judged against it; False for a step of the
    whole conference whose day the system does not record (e.g. sending the
    dossiers to the ballot-fillers)."""

    @property
    def code(self) -> str:
        return self.deadline.rule.code

    @property
    def due(self) -> date:
        return self.deadline.due

    @property
    def done(self) -> int:
        return sum(1 for s in self.steps if s.done)

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def late(self) -> int:
        return sum(1 for s in self.steps if s.status == DeadlineStatus.LATE)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status]) if self.status is not None else ""

    @property
    def badge(self) -> str:
        return STATUS_BADGES[self.status] if self.status is not None else ""


@dataclass(frozen=True)
class Timeline:
    conference: Conference
    profile: Profile
    today: date
    deadlines: tuple[TimelineDeadline, ...]
    """Earliest first."""
    people: tuple[PersonRow, ...]
    """In ballot order."""

    def deadline(self, code: str) -> TimelineDeadline:
        """The deadline with ``code``; KeyError if the profile has none."""
        for d in self.deadlines:
            if d.code == code:
                return d
        raise KeyError(code)

    def person(self, candidacy: Candidacy) -> PersonRow:
        return next(p for p in self.people if p.candidacy.pk == candidacy.pk)


def _person_row(candidacy: Candidacy, deadlines: Mapping[str, Deadline], today: date) -> PersonRow:
    items = {i.kind: i for i in candidacy.dossier_items.all()}
    checks = []
    for kind in DossierKind:
        item = items.get(kind.value)
        checks.append(
            _check(
                Step(kind.value),
                deadlines,
                item.received_on if item is not None else None,
                today,
                required=kind in REQUIRED_ITEMS,
                note=item.note if item is not None else "",
            )
        )
    questions = tuple(
        QuestionRow(
            q,
            _check(Step.QUESTION_RECEIVED, deadlines, q.received_on, today),
            _check(Step.QUESTION_FORWARDED, deadlines, q.forwarded_on, today),
            _check(Step.QUESTION_ANSWERED, deadlines, q.answered_on, today, note=q.answer_note),
        )
        for q in sorted(candidacy.questions.all(), key=lambda q: (q.received_on, q.pk))
    )
    return PersonRow(candidacy, tuple(checks), questions)


def _timeline(
    conference: Conference, profile: Profile, candidacies: Iterable[Candidacy], today: date
) -> Timeline:
    computed = compute_deadlines(profile, conference.date)
    by_code = {d.rule.code: d for d in computed}
    people = tuple(_person_row(c, by_code, today) for c in candidacies)
    tracked = {d.rule.code for step in Step if (d := _deadline_for(step, by_code)) is not None}
    rows = []
    for d in computed:
        steps = tuple(
            s
            for p in people
            for s in p.checks
            if s.deadline is not None
            and s.deadline.rule.code == d.rule.code
            and s.status is not None
        )
        status = None
        if steps:
            days = [s.done_on for s in steps if s.done_on is not None]
            done_on = max(days) if len(days) == len(steps) else None
            status = d.status(done_on=done_on, today=today)
        rows.append(
            TimelineDeadline(d, (d.due - today).days, steps, status, d.rule.code in tracked)
        )
    return Timeline(conference, profile, today, tuple(rows), people)


def _candidacies() -> Any:
    return Candidacy.objects.select_related("official").prefetch_related(
        "dossier_items", "questions"
    )


def conference_timeline(conference: Conference, today: date) -> Timeline:
    """Every deadline of the round's profile for this conference, with its due
    day and status on ``today``, and per person the status of each dossier item
    and written question against its deadline."""
    return _timeline(
        conference,
        round_profile(conference.round),
        _candidacies().filter(conference=conference).order_by("order"),
        today,
    )


@dataclass(frozen=True)
class DashboardRow:
    """Something due: one person's step, or (``candidacy`` None) a step of the
    whole conference that the system does not track person by person."""

    conference: Conference
    candidacy: Candidacy | None
    label: str
    deadline: Deadline
    status: DeadlineStatus
    days_left: int
    question: WrittenQuestion | None = None

    @property
    def due(self) -> date:
        return self.deadline.due

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def badge(self) -> str:
        return STATUS_BADGES[self.status]


@dataclass(frozen=True)
class Dashboard:
    today: date
    within_days: int
    conferences: tuple[Conference, ...]
    """The conferences looked at: those of the round whose vote has not taken place."""
    overdue: tuple[DashboardRow, ...]
    """Not done, due day passed; earliest due first."""
    due_soon: tuple[DashboardRow, ...]
    """Not done, due today or within ``within_days``; earliest due first."""


def _sort_key(row: DashboardRow) -> tuple[date, date, int, int]:
    order = row.candidacy.order if row.candidacy is not None else 0
    return (row.due, row.conference.date, row.conference.pk, order)


def round_dashboard(
    vote_round: VoteRound,
    today: date,
    *,
    within_days: int = DUE_SOON_DAYS,
    conferences: Sequence[Conference] | None = None,
) -> Dashboard:
    """What is overdue and what falls due within ``within_days`` across the
    round's conferences still before their vote (or those of ``conferences``
    among them, e.g. the ones a supervisor may see), sorted by due day.

    Done steps (on time or late) are left out. A deadline of the whole
    conference that no person's step is judged against (sending the dossiers to
    the ballot-fillers, say) is listed when it falls due soon, never as
    overdue: the system does not know whether it was done."""
    profile = round_profile(vote_round)
    qs = vote_round.conferences.filter(status__in=OPEN_STATUSES)
    if conferences is not None:
        qs = qs.filter(pk__in=[c.pk for c in conferences])
    chosen = list(
        qs.select_related("agency")
        .prefetch_related(Prefetch("candidacies", queryset=_candidacies().order_by("order")))
        .order_by("date", "id")
    )
    overdue: list[DashboardRow] = []
    due_soon: list[DashboardRow] = []

    def place(row: DashboardRow) -> None:
        if row.status == DeadlineStatus.OVERDUE:
            overdue.append(row)
        elif row.status == DeadlineStatus.PENDING and row.days_left <= within_days:
            due_soon.append(row)

    for conference in chosen:
        timeline = _timeline(conference, profile, conference.candidacies.all(), today)
        for person in timeline.people:
            for check in person.items:
                if check.deadline is not None and check.status is not None:
                    place(
                        DashboardRow(
                            conference,
                            person.candidacy,
                            check.label,
                            check.deadline,
                            check.status,
                            (check.deadline.due - today).days,
                        )
                    )
            for q in person.questions:
                for check in q.checks:
                    if check.deadline is not None and check.status is not None:
                        place(
                            DashboardRow(
                                conference,
                                person.candidacy,
                                check.label,
                                check.deadline,
                                check.status,
                                (check.deadline.due - today).days,
                                question=q.question,
                            )
                        )
        for row in timeline.deadlines:
            if not row.tracked and row.days_left >= 0:
                place(
                    DashboardRow(
                        conference,
                        None,
                        row.deadline.rule.description_vi,
                        row.deadline,
                        DeadlineStatus.PENDING,
                        row.days_left,
                    )
                )
    return Dashboard(
        today,
        within_days,
        tuple(chosen),
        tuple(sorted(overdue, key=_sort_key)),
        tuple(sorted(due_soon, key=_sort_key)),
    )

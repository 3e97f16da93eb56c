"""Writes to vote rounds, blocks, agencies and officials. Each service runs in
a transaction and appends an audit entry naming who acted."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from tinnhiem.campaigns.models import Agency, Block, Grant, GrantKind, Official, VoteRound
from tinnhiem.common.audit import audit
from tinnhiem.common.errors import ServiceError
from tinnhiem.rules import InvalidParameterError, Profile, get_profile
from tinnhiem.rules.errors import UnknownProfileError


def _snapshot(obj: Any) -> dict[str, Any]:
    return {k: v for k, v in model_to_dict(obj).items() if k != "id"}


def round_profile(vote_round: VoteRound) -> Profile:
    """The round's regulation profile with its parameter overrides applied."""
    return get_profile(vote_round.profile_id).with_overrides(vote_round.parameter_overrides or {})


def _check_profile(profile_id: str, overrides: dict[str, Any]) -> None:
    try:
        get_profile(profile_id).with_overrides(overrides)
    except UnknownProfileError as e:
        raise ServiceError("unknown_profile", e.message_vi) from None
    except InvalidParameterError as e:
        raise ServiceError("invalid_parameter", e.message_vi) from None


@transaction.atomic
def round_create(
    *,
    acting_user: Any,
    number: str,
    title: str,
    issuing_body: str,
    issued_on: date,
    vote_year: int,
    profile_id: str,
    parameter_overrides: dict[str, Any] | None = None,
    scope: str = "",
) -> VoteRound:
    overrides = dict(parameter_overrides or {})
    _check_profile(profile_id, overrides)
    vote_round = VoteRound(
        number=number.strip(),
        title=title.strip(),
        issuing_body=issuing_body.strip(),
        issued_on=issued_on,
        vote_year=vote_year,
        profile_id=profile_id,
        parameter_overrides=overrides,
        scope=scope,
    )
    vote_round.full_clean()
    vote_round.save()
    audit(
        actor=acting_user,
        action="round.create",
        obj=vote_round,
        summary=str(vote_round),
        after=_snapshot(vote_round),
    )
    if acting_user is not None and not (
        getattr(acting_user, "is_superuser", False) or getattr(acting_user, "is_organiser", False)
    ):
        # Whoever creates a round organises it.
        grant = Grant.objects.create(
            kind=GrantKind.ROUND_ORGANISER, user=acting_user, round=vote_round
        )
        audit(
            actor=acting_user,
            action="grant.add",
            obj=grant,
            after={"kind": grant.kind, "user": acting_user.username, "round": vote_round.number},
        )
    return vote_round


@transaction.atomic
def round_set_parameters(
    *, acting_user: Any, vote_round: VoteRound, overrides: dict[str, Any]
) -> VoteRound:
    """Change the round's named parameter overrides (before any confirmation)."""
    if vote_round.conferences.filter(status="confirmed").exists():
        raise ServiceError(
            "round_has_results",
            _("Đợt đã có kết quả được xác nhận: không thể thay đổi tham số."),
        )
    _check_profile(vote_round.profile_id, overrides)
    before = dict(vote_round.parameter_overrides)
    vote_round.parameter_overrides = dict(overrides)
    vote_round.save(update_fields=["parameter_overrides", "updated_at"])
    audit(
        actor=acting_user,
        action="round.parameters",
        obj=vote_round,
        before=before,
        after=vote_round.parameter_overrides,
    )
    return vote_round


@transaction.atomic
def block_create(*, acting_user: Any, vote_round: VoteRound, name: str, order: int = 0) -> Block:
    if Block.objects.filter(round=vote_round, name=name.strip()).exists():
        raise ServiceError("duplicate_block", _("Khối “%(name)s” đã có.") % {"name": name})
    block = Block.objects.create(round=vote_round, name=name.strip(), order=order)
    audit(actor=acting_user, action="block.create", obj=block, after={"name": block.name})
    return block


@transaction.atomic
def agency_create(*, acting_user: Any, block: Block, name: str, order: int = 0) -> Agency:
    if Agency.objects.filter(round=block.round, name=name.strip()).exists():
        raise ServiceError(
            "duplicate_agency", _("Cơ quan, đơn vị “%(name)s” đã có.") % {"name": name}
        )
    agency = Agency.objects.create(round=block.round, block=block, name=name.strip(), order=order)
    audit(
        actor=acting_user,
        action="agency.create",
        obj=agency,
        after={"name": agency.name, "block": block.name},
    )
    return agency


@transaction.atomic
def official_create(
    *,
    acting_user: Any,
    agency: Agency,
    full_name: str,
    position: str,
    appointed_or_elected_on: date | None = None,
    reappointed_same_post: bool = False,
    retirement_notice: bool = False,
    illness_leave_since: date | None = None,
    medical_certificate: bool = False,
    in_post_since: date | None = None,
) -> Official:
    import unicodedata

    official = Official(
        round=agency.round,
        agency=agency,
        full_name=unicodedata.normalize("NFC", full_name.strip()),
        position=unicodedata.normalize("NFC", position.strip()),
        appointed_or_elected_on=appointed_or_elected_on,
        reappointed_same_post=reappointed_same_post,
        retirement_notice=retirement_notice,
        illness_leave_since=illness_leave_since,
        medical_certificate=medical_certificate,
        in_post_since=in_post_since,
    )
    official.full_clean()
    official.save()
    audit(
        actor=acting_user,
        action="official.create",
        obj=official,
        summary=str(official),
        after=_snapshot(official),
    )
    return official


@transaction.atomic
def grant_add(
    *,
    acting_user: Any,
    vote_round: VoteRound,
    kind: str,
    username: str,
    agency: Agency | None = None,
) -> Grant:
    """Give an account a role for one organisation of the round (phân quyền):
    the round's organising department, or the office of one agency."""
    from tinnhiem.accounts.models import User

    if kind not in GrantKind.values:
        raise ServiceError("grant_kind", _("Vai trò không hợp lệ."))
    user = User.objects.filter(username=username.strip(), is_active=True).first()
    if user is None:
        raise ServiceError(
            "unknown_account",
            _("Không có tài khoản đang hoạt động có tên đăng nhập “%(u)s”.")
            % {"u": username.strip()},
        )
    if kind == GrantKind.AGENCY_ORGANISER:
        if agency is None or agency.round_id != vote_round.pk:
            raise ServiceError("grant_agency", _("Hãy chọn một cơ quan, đơn vị của kế hoạch này."))
    else:
        agency = None
    if Grant.objects.filter(kind=kind, user=user, round=vote_round, agency=agency).exists():
        raise ServiceError("grant_exists", _("Tài khoản này đã có vai trò đó."))
    grant = Grant.objects.create(kind=kind, user=user, round=vote_round, agency=agency)
    audit(
        actor=acting_user,
        action="grant.add",
        obj=grant,
        after={
            "kind": kind,
            "user": user.username,
            "round": vote_round.number,
            "agency": agency.name if agency else None,
        },
    )
    return grant


@transaction.atomic
def grant_remove(*, acting_user: Any, grant: Grant) -> None:
    """Take a role back."""
    before = {
        "kind": grant.kind,
        "user": grant.user.username,
        "round": grant.round.number,
        "agency": grant.agency.name if grant.agency else None,
    }
    audit(actor=acting_user, action="grant.remove", obj=grant, before=before)
    grant.delete()

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tinnhiem.accounts.models import User
from tinnhiem.campaigns.models import Agency, VoteRound
from tinnhiem.conferences.models import CommitteeRole, Conference, Kind, PlaceKind, Voter


class ConferenceForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Cơ quan, đơn vị"), queryset=Agency.objects.none())
    title = forms.CharField(label=_("Tên hội nghị"), max_length=300)
    date = forms.DateField(label=_("Ngày hội nghị"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Hình thức"), choices=Kind.choices, initial=Kind.POLL)
    place_kind = forms.ChoiceField(
        label=_("Nơi lấy phiếu"), choices=PlaceKind.choices, initial=PlaceKind.WORKPLACE
    )
    location = forms.CharField(label=_("Địa điểm"), required=False, max_length=200)
    chair = forms.CharField(label=_("Chủ trì"), required=False, max_length=150)
    supervisors = forms.CharField(
        label=_("Giám sát"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    members_total = forms.IntegerField(
        label=_("Tổng số ủy viên (đại biểu)"), required=False, min_value=0
    )

    def __init__(self, *args: Any, vote_round: VoteRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = vote_round.agencies.select_related("block")  # type: ignore[attr-defined]


class VotersForm(forms.Form):
    lines = forms.CharField(
        label=_("Thành phần ghi phiếu (mỗi dòng: Họ và tên; chức vụ)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Thêm “; tên đăng nhập” nếu người này có tài khoản để xem kết quả hội nghị "
            "sau khi xác nhận."
        ),
    )


class AccountField(forms.CharField):
    """An active account, typed as its login name. A text field, not a list of
    every account: a province has hundreds."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 150)
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def clean(self, value: Any) -> Any:
        username = (super().clean(value) or "").strip()
        if not username:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("Không có tài khoản đang hoạt động có tên đăng nhập “%(u)s”."),
                params={"u": username},
            )
        return user


class CommitteeForm(forms.Form):
    voter = forms.ModelChoiceField(label=_("Thành viên"), queryset=Voter.objects.none())
    role = forms.ChoiceField(label=_("Vai trò"), choices=CommitteeRole.choices)
    user = AccountField(
        label=_("Tài khoản"),
        required=False,
        help_text=_("Tên đăng nhập của người này, nếu họ nhập phiếu hoặc xác nhận kết quả."),
    )
    entry_pass = forms.TypedChoiceField(
        label=_("Lượt nhập phiếu"),
        choices=[("", "—"), ("1", _("Lượt 1")), ("2", _("Lượt 2"))],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args: Any, conference: Conference, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["voter"].queryset = conference.voters.all()  # type: ignore[attr-defined]


class OpenVotingForm(forms.Form):
    ballots_issued = forms.IntegerField(label=_("Số phiếu phát ra"), min_value=0)

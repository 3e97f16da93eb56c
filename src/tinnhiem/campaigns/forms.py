"""Forms check the shape of input; services decide."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tinnhiem.campaigns.models import PROFILE_CHOICES, Agency, Block, GrantKind, VoteRound


def errors_text(form: forms.BaseForm) -> str:
    """A form's errors for a message, each under its field's label:
    "Ngày hội nghị: Trường này là bắt buộc." (not the field's code name)."""
    parts = []
    for name, errors in form.errors.items():
        text = " ".join(str(e) for e in errors)
        field = form.fields.get(name)
        parts.append(f"{field.label}: {text}" if field is not None and field.label else text)
    return "; ".join(parts)


class RoundForm(forms.Form):
    number = forms.CharField(label=_("Số kế hoạch"), max_length=64)
    title = forms.CharField(label=_("Tên kế hoạch"), max_length=300)
    issuing_body = forms.CharField(label=_("Cơ quan ban hành"), max_length=200)
    issued_on = forms.DateField(
        label=_("Ngày ban hành"), widget=forms.DateInput(attrs={"type": "date"})
    )
    vote_year = forms.IntegerField(label=_("Năm lấy phiếu"), min_value=2000, max_value=2100)
    profile_id = forms.ChoiceField(label=_("Quy định áp dụng"), choices=PROFILE_CHOICES)
    parameter_overrides = forms.CharField(
        label=_("Tham số điều chỉnh (JSON, có thể để trống)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": '{"percentage_base": "issued"}'}),
    )
    scope = forms.CharField(
        label=_("Phạm vi, đối tượng"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_parameter_overrides(self) -> dict[str, Any]:
        raw = (self.cleaned_data.get("parameter_overrides") or "").strip()
        if not raw:
            return {}
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as e:
            raise forms.ValidationError(
                _("JSON không hợp lệ ở dòng %(line)s, cột %(col)s."),
                params={"line": e.lineno, "col": e.colno},
            ) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(_('Cần một đối tượng JSON: {"tên": giá trị}.'))
        return value


class BlockForm(forms.Form):
    name = forms.CharField(label=_("Tên khối"), max_length=200)


class AgencyForm(forms.Form):
    block = forms.ModelChoiceField(label=_("Khối"), queryset=Block.objects.none())
    name = forms.CharField(label=_("Tên cơ quan, đơn vị"), max_length=200)

    def __init__(self, *args: Any, vote_round: VoteRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["block"].queryset = vote_round.blocks.all()  # type: ignore[attr-defined]


class OfficialForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Cơ quan, đơn vị"), queryset=Agency.objects.none())
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    position = forms.CharField(label=_("Chức vụ"), max_length=200)
    appointed_or_elected_on = forms.DateField(
        label=_("Ngày bổ nhiệm, bầu cử"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    retirement_notice = forms.BooleanField(
        label=_("Đã có thông báo nghỉ công tác chờ nghỉ hưu"), required=False
    )
    illness_leave_since = forms.DateField(
        label=_("Nghỉ điều trị bệnh hiểm nghèo từ ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    medical_certificate = forms.BooleanField(label=_("Có xác nhận của cơ sở y tế"), required=False)
    in_post_since = forms.DateField(
        label=_("Đảm nhiệm chức vụ liên tục từ"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, vote_round: VoteRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = vote_round.agencies.select_related("block")  # type: ignore[attr-defined]


class ImportRecordForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Cơ quan, đơn vị"), queryset=Agency.objects.none())
    file = forms.FileField(label=_("Tệp hồ sơ hội nghị (tinnhiem.conference-record/1, JSON)"))

    def __init__(self, *args: Any, vote_round: VoteRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = vote_round.agencies.select_related("block")  # type: ignore[attr-defined]


class GrantForm(forms.Form):
    """Phân quyền: an account, a role, and for an agency's office the agency."""

    username = forms.CharField(label=_("Tên đăng nhập"), max_length=150)
    kind = forms.ChoiceField(label=_("Vai trò"), choices=GrantKind.choices)
    agency = forms.ModelChoiceField(
        label=_("Cơ quan, đơn vị"),
        queryset=Agency.objects.none(),
        required=False,
        help_text=_("Chỉ cho bộ phận tổ chức của cơ quan, đơn vị."),
    )

    def __init__(self, *args: Any, vote_round: VoteRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = vote_round.agencies.order_by("order", "id")  # type: ignore[attr-defined]

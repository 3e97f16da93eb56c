"""Forms of the electronic-voting pages (errors are shown beside their field)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from tinnhiem.conferences.models import CommitteeMember, Conference

MAX_FILE_BYTES = 64 * 1024 * 1024
"""The largest file a ceremony, card or decryption step takes (an archive of 480 × 44 is ~12 MB)."""


def read_upload(form: forms.Form, name: str, required: bool = True) -> bytes | None:
    """The bytes of an uploaded file, or ``None`` with a field error added."""
    upload: UploadedFile | None = form.cleaned_data.get(name)
    if upload is None:
        if required:
            form.add_error(name, _("Chọn một tệp."))
        return None
    if upload.size is not None and upload.size > MAX_FILE_BYTES:
        form.add_error(name, _("Tệp quá lớn (tối đa 64 MB)."))
        return None
    return bytes(upload.read())


class CreateForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label=_("Thành viên Ban kiểm phiếu giữ khóa"),
        queryset=CommitteeMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    threshold = forms.IntegerField(
        label=_("Số thành viên cần có mặt để giải mã"),
        min_value=1,
        help_text=_("Khuyến nghị: quá nửa số người giữ khóa (2 trong 3, 3 trong 5)."),
    )

    def __init__(self, *args: Any, conference: Conference, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["members"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = conference.committee.select_related("voter")


class TrusteeFileForm(forms.Form):
    trustee = forms.TypedChoiceField(label=_("Người giữ khóa"), coerce=int)
    file = forms.FileField(label=_("Tệp từ thiết bị của người giữ khóa"), required=False)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["trustee"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = choices


class FileForm(forms.Form):
    file = forms.FileField(label=_("Tệp"), required=False)


class CloseIssuanceForm(forms.Form):
    codes = forms.CharField(
        label=_("Mã các thẻ chưa phát (quét hoặc gõ, mỗi dòng một thẻ)"),
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off", "spellcheck": "false"}),
        required=False,
    )
    file = forms.FileField(label=_("Hoặc tệp danh sách thẻ hủy"), required=False)
    lost = forms.IntegerField(
        label=_("Số thẻ đã phát bị mất (ghi vào biên bản)"),
        min_value=0,
        initial=0,
        required=False,
        help_text=_("Người làm mất thẻ nhận phiếu giấy; thẻ mất không hủy được."),
    )

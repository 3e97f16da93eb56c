"""What each list holds: its columns, the header texts each column is known by,
the kind of value, whether it is required, and the notes of the template."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from tinnhiem.spreadsheets.text import header_key


class Kind(StrEnum):
    NAME = "name"  # a person's name: letters only
    TEXT = "text"
    DATE = "date"
    BOOL = "bool"


@dataclass(frozen=True)
class Field:
    key: str
    label_vi: str
    label_en: str
    kind: Kind
    aliases: tuple[str, ...] = ()
    required: bool = False
    max_length: int | None = None
    note_vi: str = ""
    note_en: str = ""
    example: str | date | bool | None = None
    # In the template and in exports (False: recognised on import only).
    exported: bool = True


class Ignored:
    """A known column that is not imported (STT, Ghi chú): no warning for it."""


IGNORED = Ignored()


@dataclass(frozen=True)
class Schema:
    kind: str
    title_vi: str
    title_en: str
    fields: tuple[Field, ...]
    ignored_headers: tuple[str, ...] = ()
    _exact: dict[str, Field] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for f in self.fields:
            for alias in (f.label_vi, *f.aliases):
                self._exact.setdefault(header_key(alias), f)

    def field_by_key(self, key: str) -> Field:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)

    @property
    def required(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.required)

    @property
    def exported(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.exported)

    def match(self, header: str) -> Field | Ignored | None:
        """The column a header names: exact key first, then the longest known
        header that the header starts with (``Họ và tên cán bộ`` → Họ và tên)."""
        key = header_key(header)
        if not key:
            return None
        if key in self._exact:
            return self._exact[key]
        ignored = {header_key(h) for h in self.ignored_headers}
        if key in ignored:
            return IGNORED
        # Prefix matches only for headers of two words or more: "Tên" must not
        # take "Tên đơn vị".
        best: Field | None = None
        best_len = 0
        for alias, f in self._exact.items():
            if " " in alias and key.startswith(alias + " ") and len(alias) > best_len:
                best, best_len = f, len(alias)
        if best is not None:
            return best
        if any(" " in h and key.startswith(h + " ") for h in ignored):
            return IGNORED
        return None


_STT = ("STT", "Số TT", "TT", "Số thứ tự", "Ghi chú")
_DATE_NOTE_VI = "Ngày/tháng/năm, ví dụ 15/03/2021 (hoặc ô định dạng Ngày)."
_DATE_NOTE_EN = "Day/month/year, e.g. 15/03/2021 (or a cell formatted as a date)."
_BOOL_NOTE_VI = "Ghi “x” nếu có; để trống nếu không."
_BOOL_NOTE_EN = "“x” for yes; leave empty for no."
EXAMPLE_NAME = "Nguyễn Văn Mẫu"

FULL_NAME = Field(
    "full_name",
    "Họ và tên",
    "Full name",
    Kind.NAME,
    aliases=(
        "Họ tên",
        "Họ, tên",
        "Họ và tên cán bộ",
        "Họ và tên người được lấy phiếu",
        "Họ và tên đại biểu",
        "Tên",
        "Họ và tên khai sinh",
    ),
    required=True,
    max_length=150,
    note_vi="Bắt buộc. Họ và tên đầy đủ, có dấu (Unicode).",
    note_en="Required. Full name with diacritics (Unicode).",
    example=EXAMPLE_NAME,
)

OFFICIALS = Schema(
    "officials",
    "Cán bộ",
    "Officials",
    (
        FULL_NAME,
        Field(
            "position",
            "Chức vụ",
            "Position",
            Kind.TEXT,
            aliases=("Chức danh", "Chức vụ, chức danh", "Chức vụ hiện tại", "Chức vụ hiện nay"),
            required=True,
            max_length=200,
            note_vi="Bắt buộc. Chức vụ được lấy phiếu, ví dụ “Phó Giám đốc”.",
            note_en="Required. The post voted on, e.g. “Phó Giám đốc”.",
            example="Phó Giám đốc",
        ),
        Field(
            "agency",
            "Cơ quan, đơn vị",
            "Agency",
            Kind.TEXT,
            aliases=(
                "Cơ quan",
                "Đơn vị",
                "Cơ quan đơn vị",
                "Cơ quan/đơn vị",
                "Tên cơ quan, đơn vị",
                "Tên cơ quan",
                "Tên đơn vị",
                "Đơn vị công tác",
                "Cơ quan, đơn vị công tác",
                "Nơi công tác",
            ),
            required=True,
            max_length=200,
            note_vi="Bắt buộc. Tên cơ quan, đơn vị như trong kế hoạch, ví dụ “Sở Tư pháp”.",
            note_en="Required. The agency as named in the plan, e.g. “Sở Tư pháp”.",
            example="Sở Tư pháp",
        ),
        Field(
            "block",
            "Khối",
            "Block",
            Kind.TEXT,
            aliases=("Tên khối", "Khối cơ quan", "Thuộc khối"),
            max_length=200,
            note_vi=(
                "Không bắt buộc. Khối của cơ quan; cần khi cơ quan chưa có trong kế hoạch"
                " và được tạo mới."
            ),
            note_en="Optional. The agency's block; needed when the agency is new.",
            example="Khối chính quyền",
        ),
        Field(
            "appointed_or_elected_on",
            "Ngày bổ nhiệm, bầu cử",
            "Appointed or elected on",
            Kind.DATE,
            aliases=(
                "Ngày bổ nhiệm",
                "Ngày bầu cử",
                "Ngày bầu",
                "Ngày được bầu",
                "Ngày bổ nhiệm hoặc bầu cử",
                "Ngày bổ nhiệm/bầu cử",
                "Ngày bầu cử, bổ nhiệm",
                "Ngày được bầu, bổ nhiệm",
                "Ngày được bổ nhiệm",
            ),
            note_vi=_DATE_NOTE_VI,
            note_en=_DATE_NOTE_EN,
            example=date(2021, 3, 15),
        ),
        Field(
            "reappointed_same_post",
            "Bổ nhiệm lại cùng chức vụ",
            "Reappointed to the same post",
            Kind.BOOL,
            aliases=("Bổ nhiệm lại", "Được bổ nhiệm lại"),
            note_vi=_BOOL_NOTE_VI,
            note_en=_BOOL_NOTE_EN,
            example=False,
        ),
        Field(
            "retirement_notice",
            "Đã có thông báo nghỉ hưu",
            "Retirement notice given",
            Kind.BOOL,
            aliases=(
                "Đã có thông báo nghỉ công tác chờ nghỉ hưu",
                "Có thông báo nghỉ hưu",
                "Thông báo nghỉ hưu",
                "Chờ nghỉ hưu",
                "Nghỉ công tác chờ nghỉ hưu",
            ),
            note_vi="Ghi “x” nếu đã có thông báo nghỉ công tác chờ nghỉ hưu.",
            note_en="“x” if notified of leaving work pending retirement.",
            example=False,
        ),
        Field(
            "illness_leave_since",
            "Nghỉ điều trị bệnh từ ngày",
            "On sick leave since",
            Kind.DATE,
            aliases=(
                "Nghỉ điều trị bệnh hiểm nghèo từ ngày",
                "Nghỉ ốm từ ngày",
                "Nghỉ bệnh từ ngày",
                "Nghỉ điều trị bệnh",
            ),
            note_vi="Ngày bắt đầu nghỉ điều trị bệnh hiểm nghèo, nếu có. " + _DATE_NOTE_VI,
            note_en="First day of leave for serious illness, if any. " + _DATE_NOTE_EN,
        ),
        Field(
            "medical_certificate",
            "Có xác nhận của cơ sở y tế",
            "Medical certificate",
            Kind.BOOL,
            aliases=("Xác nhận y tế", "Có xác nhận y tế", "Xác nhận của cơ sở y tế"),
            note_vi=_BOOL_NOTE_VI,
            note_en=_BOOL_NOTE_EN,
            example=False,
        ),
        Field(
            "in_post_since",
            "Đảm nhiệm chức vụ liên tục từ",
            "In post continuously since",
            Kind.DATE,
            aliases=(
                "Đảm nhiệm chức vụ từ",
                "Đảm nhiệm chức vụ liên tục từ ngày",
                "Đảm nhiệm chức vụ từ ngày",
                "Giữ chức vụ từ",
                "Giữ chức vụ từ ngày",
                "Ngày đảm nhiệm chức vụ",
            ),
            note_vi=_DATE_NOTE_VI,
            note_en=_DATE_NOTE_EN,
            example=date(2021, 3, 15),
        ),
        Field(
            "birth_date",
            "Ngày sinh",
            "Date of birth",
            Kind.DATE,
            aliases=("Ngày, tháng, năm sinh", "Ngày tháng năm sinh", "Sinh ngày"),
            note_vi="Không bắt buộc, không được lưu: chỉ dùng để phân biệt người trùng họ tên.",
            note_en="Optional, not stored: only tells apart people with the same name.",
            exported=False,
        ),
    ),
    ignored_headers=_STT,
)

VOTERS = Schema(
    "voters",
    "Thành phần ghi phiếu",
    "Summoned members",
    (
        FULL_NAME,
        Field(
            "position",
            "Chức vụ, đơn vị",
            "Position and unit",
            Kind.TEXT,
            aliases=(
                "Chức vụ",
                "Chức danh",
                "Chức vụ, đơn vị công tác",
                "Chức vụ, chức danh",
                "Chức vụ, nơi công tác",
            ),
            max_length=250,
            note_vi="Không bắt buộc. Ví dụ “Ủy viên Ban Thường vụ, Trưởng Ban Tổ chức”.",
            note_en="Optional. E.g. “Ủy viên Ban Thường vụ, Trưởng Ban Tổ chức”.",
            example="Ủy viên Ban Chấp hành",
        ),
        Field(
            "unit",
            "Đơn vị",
            "Unit",
            Kind.TEXT,
            aliases=("Cơ quan, đơn vị", "Cơ quan", "Đơn vị công tác", "Nơi công tác"),
            max_length=200,
            note_vi=(
                "Không bắt buộc. Nếu có cả cột Chức vụ và cột Đơn vị, hai giá trị được ghép"
                " thành “chức vụ, đơn vị”."
            ),
            note_en="Optional. Joined to the position as “position, unit”.",
            exported=False,
        ),
    ),
    ignored_headers=_STT,
)

AGENCIES = Schema(
    "agencies",
    "Cơ quan, đơn vị",
    "Agencies",
    (
        Field(
            "block",
            "Khối",
            "Block",
            Kind.TEXT,
            aliases=("Tên khối", "Khối cơ quan", "Thuộc khối"),
            required=True,
            max_length=200,
            note_vi="Bắt buộc. Khối của cơ quan trong thống kê của kế hoạch.",
            note_en="Required. The agency's block in the plan's statistics.",
            example="Khối chính quyền",
        ),
        Field(
            "agency",
            "Cơ quan, đơn vị",
            "Agency",
            Kind.TEXT,
            aliases=(
                "Cơ quan",
                "Đơn vị",
                "Cơ quan đơn vị",
                "Cơ quan/đơn vị",
                "Tên cơ quan, đơn vị",
                "Tên cơ quan",
                "Tên đơn vị",
            ),
            required=True,
            max_length=200,
            note_vi="Bắt buộc. Tên cơ quan, đơn vị, ví dụ “Sở Tư pháp”.",
            note_en="Required. The agency's name, e.g. “Sở Tư pháp”.",
            example="Sở Tư pháp",
        ),
    ),
    ignored_headers=_STT,
)

SCHEMAS = {s.kind: s for s in (OFFICIALS, VOTERS, AGENCIES)}

"""Regulation profiles: the four legal regimes as versioned, frozen data.

======================  ==========================================  =========
profile id              instrument                                   regime
======================  ==========================================  =========
``qd96-2023``           Quy định 96-QĐ/TW ngày 02/02/2023            P23
``nq96-2023``           Nghị quyết 96/2023/QH15 ngày 23/6/2023       Q23
``qd262-2014``          Quy định 262-QĐ/TW ngày 08/10/2014           P14
``nq85-2014``           Nghị quyết 85/2014/QH13 ngày 28/11/2014      Q14
======================  ==========================================  =========

Nothing in the rules branches on a profile's id: every difference between
regimes is a value here. Each value carries a :class:`Source` naming its
instrument and article and whether a source confirms it. A rule that no source
confirms (``UNVERIFIED`` in ``shared/docs/regulations.md``) is a *named
parameter* (:class:`Parameters`) with a documented default, and a vote round
may override it (:meth:`Profile.with_overrides`).

Source keys in brackets (``[KTX]``, ``[S3]`` …) are those of regulations.md.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum, StrEnum
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from tinnhiem.rules.errors import InvalidParameterError, UnknownProfileError
from tinnhiem.rules.levels import VoteKind


@dataclass(frozen=True, slots=True)
class Source:
    """Where a rule comes from.

    ``verified`` is False for what regulations.md marks UNVERIFIED: such a
    rule is always a named parameter that a vote round can override.
    """

    instrument: str
    article: str
    reference: str = ""
    verified: bool = True

    def legal(self) -> str:
        """Article and instrument only, for people: "Điều 3 khoản 2 Quy định 96-QĐ/TW"."""
        if self.article in ("", "—"):
            return self.instrument
        return f"{self.article} {self.instrument}"

    def cite(self) -> str:
        mark = "" if self.verified else " (UNVERIFIED)"
        ref = f" — {self.reference}" if self.reference else ""
        where = (
            self.instrument if self.article in ("", "—") else f"{self.article} {self.instrument}"
        )
        return f"{where}{ref}{mark}"


class Basis(StrEnum):
    """Cơ sở tính tỷ lệ %: the denominator of every percentage and threshold."""

    COLLECTED = "collected"
    """Tổng số phiếu thu về — Quy định 96-QĐ/TW Điều 6 khoản 3."""
    ISSUED = "issued"
    """Tổng số phiếu phát ra (an option for Q23's undefined "tổng số phiếu")."""
    MEMBERS_TOTAL = "members_total"
    """Tổng số đại biểu Quốc hội / Hội đồng nhân dân — NQ 85/2014 khoản 1 Điều 17."""

    @property
    def label_vi(self) -> str:
        return {
            Basis.COLLECTED: "tổng số phiếu thu về",
            Basis.ISSUED: "tổng số phiếu phát ra",
            Basis.MEMBERS_TOTAL: "tổng số thành viên (đại biểu)",
        }[self]

    @property
    def label_en(self) -> str:
        return {
            Basis.COLLECTED: "ballots collected",
            Basis.ISSUED: "ballots issued",
            Basis.MEMBERS_TOTAL: "total members (deputies)",
        }[self]


class QuorumBasis(StrEnum):
    """What the quorum fraction is taken of."""

    SUMMONED = "summoned"
    """Số người được triệu tập — Quy định 96-QĐ/TW Điều 3 khoản 2."""
    MEMBERS_TOTAL = "members_total"
    """Tổng số thành viên (đại biểu) of the body."""


class Band(StrEnum):
    """Ngưỡng: the legal band a person's adverse count falls in."""

    NONE = "none"
    """Below every threshold: no mandatory consequence."""
    OVER_HALF_LOW = "over_half_low"
    """Trên 50% (quá nửa) nhưng dưới 2/3 số phiếu tín nhiệm thấp."""
    TWO_THIRDS_LOW = "two_thirds_low"
    """Từ 2/3 số phiếu tín nhiệm thấp trở lên (trên 2/3 under 262-QĐ/TW)."""
    OVER_HALF_NO_CONFIDENCE = "over_half_no_confidence"
    """Quá nửa tổng số phiếu đánh giá "không tín nhiệm" (binding vote)."""

    @property
    def label_vi(self) -> str:
        return _BAND_LABELS_VI[self]

    @property
    def label_en(self) -> str:
        return _BAND_LABELS_EN[self]

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_vi


_BAND_LABELS_VI = {
    Band.NONE: "Không thuộc ngưỡng",
    Band.OVER_HALF_LOW: "Trên 50% đến dưới 2/3 tín nhiệm thấp",
    Band.TWO_THIRDS_LOW: "Từ 2/3 tín nhiệm thấp trở lên",
    Band.OVER_HALF_NO_CONFIDENCE: "Quá nửa không tín nhiệm",
}
_BAND_LABELS_EN = {
    Band.NONE: "Below thresholds",
    Band.OVER_HALF_LOW: "Over half but under two thirds low",
    Band.TWO_THIRDS_LOW: "Two thirds low or more",
    Band.OVER_HALF_NO_CONFIDENCE: "Over half no confidence",
}


class PlaceKind(StrEnum):
    """Nơi lấy phiếu: where a person holding several posts is polled."""

    PARTY_COMMITTEE = "party_committee"
    """Trong cấp ủy cao nhất (the highest party committee the person sits on)."""
    PEOPLES_COUNCIL = "peoples_council"
    """Tại Hội đồng nhân dân."""
    WORKPLACE = "workplace"
    """Nơi cán bộ đang công tác và sinh hoạt."""

    @property
    def label_vi(self) -> str:
        return {
            PlaceKind.PARTY_COMMITTEE: "Cấp ủy cao nhất",
            PlaceKind.PEOPLES_COUNCIL: "Hội đồng nhân dân",
            PlaceKind.WORKPLACE: "Nơi công tác",
        }[self]


class Body(StrEnum):
    """The elected body that holds a binding vote (bỏ phiếu tín nhiệm)."""

    NATIONAL_ASSEMBLY = "national_assembly"
    """Quốc hội."""
    PEOPLES_COUNCIL = "peoples_council"
    """Hội đồng nhân dân."""


@dataclass(frozen=True, slots=True)
class Threshold:
    """``count / base`` compared with ``numerator / denominator``, in integers.

    ``inclusive`` True reads "từ … trở lên" / "ít nhất" (≥); False reads
    "trên" / "quá" (>): regulations.md §0.2.
    """

    numerator: int
    denominator: int
    inclusive: bool

    def reached(self, count: int, base: int) -> bool:
        lhs = count * self.denominator
        rhs = self.numerator * base
        return lhs >= rhs if self.inclusive else lhs > rhs

    def minimum_count(self, base: int) -> int:
        """The smallest count that reaches the threshold for this base."""
        q, r = divmod(self.numerator * base, self.denominator)
        if self.inclusive:
            return q + (1 if r else 0)
        return q + 1

    def describe_vi(self) -> str:
        frac = f"{self.numerator}/{self.denominator}"
        return f"từ {frac} trở lên" if self.inclusive else f"trên {frac}"


@dataclass(frozen=True, slots=True)
class BandRule:
    """One legal tier: when a person's adverse count reaches ``threshold``."""

    band: Band
    threshold: Threshold
    consequence_vi: str
    consequence_en: str
    source: Source


@dataclass(frozen=True, slots=True)
class Disclosure:
    """Công khai kết quả: who may see a confirmed result.

    ``public`` True: published (mass media, the provincial portal) once
    confirmed — positions elected or approved by the Assembly or an HĐND.
    Otherwise the result is "Mật" and known only to ``audiences``.
    """

    public: bool
    audiences: tuple[str, ...]
    source: Source


@dataclass(frozen=True, slots=True)
class DeadlineRule:
    """A step that must be done at the latest ``days_before`` the anchor day.

    The anchor is the vote day (ngày lấy phiếu) for party profiles and the
    opening day of the session (ngày khai mạc kỳ họp) for Assembly/HĐND
    profiles. An item dated on the due day itself is on time ("chậm nhất …").
    """

    code: str
    days_before: int
    actor_vi: str
    description_vi: str
    description_en: str
    source: Source


@dataclass(frozen=True, slots=True)
class Parameters:
    """The named, overridable parameters of a profile.

    Each one is a rule that regulations.md either marks UNVERIFIED or that
    provinces are known to apply differently. ``PARAMETER_DOCS`` documents
    them; a profile's ``parameter_sources`` says where its default comes from.
    """

    percentage_base: Basis
    quorum_fraction: Fraction
    quorum_inclusive: bool
    quorum_basis: QuorumBasis
    unissued_counts_as_collected: bool
    unissued_voids_ballot: bool
    crossed_out_voids_ballot: bool
    added_names_void_ballot: bool
    other_writing_voids_ballot: bool
    signature_voids_ballot: bool
    line_defect_voids_ballot: bool
    two_thirds_tier: bool
    two_thirds_inclusive: bool
    binding_resign_option: bool
    classification: str
    exclude_retirement_notice: bool
    exclude_appointed_in_vote_year: bool
    reappointment_counts_as_new: bool
    serious_illness_min_months: int
    min_months_in_post: int
    max_places: int
    place_priority: tuple[PlaceKind, ...]


PARAMETER_DOCS: Mapping[str, str] = MappingProxyType(
    {
        "percentage_base": "Denominator of percentages and thresholds: "
        "collected | issued | members_total.",
        "quorum_fraction": "Share of the quorum basis that must be present, e.g. 2/3.",
        "quorum_inclusive": "true: at least the fraction ('ít nhất'); false: more than it.",
        "quorum_basis": "What the quorum fraction is of: summoned | members_total.",
        "unissued_counts_as_collected": "A ballot not issued by the committee but found in "
        "the box counts in 'phiếu thu về' (regulations.md §7 scenario 14).",
        "unissued_voids_ballot": "A ballot not issued by the counting committee is void as a "
        "whole.",
        "crossed_out_voids_ballot": "A printed name crossed out voids the whole ballot "
        "(true) or only that person's line (false).",
        "added_names_void_ballot": "Names written in void the whole ballot (true) or only "
        "the added part (false).",
        "other_writing_voids_ballot": "Other writing (a signature excepted) voids the "
        "whole ballot.",
        "signature_voids_ballot": "A signed ballot is void as a whole.",
        "line_defect_voids_ballot": "A line with no box or several boxes marked voids the "
        "whole ballot (literal reading of 262-QĐ/TW khoản 7.2 Điều 7).",
        "two_thirds_tier": "The profile has a two-thirds tier above 'over half'.",
        "two_thirds_inclusive": "The two-thirds tier reads 'từ 2/3 trở lên' (true, ≥) or "
        "'trên 2/3' (false, >).",
        "binding_resign_option": "After losing a binding vote the person may resign first.",
        "classification": "Rule placing a person in 'tín nhiệm cao / tín nhiệm / tín nhiệm "
        "thấp' for statistics: plurality | high_majority.",
        "exclude_retirement_notice": "A person with a retirement notice is not polled.",
        "exclude_appointed_in_vote_year": "A person appointed or elected in the vote year "
        "is not polled.",
        "reappointment_counts_as_new": "A re-appointment to the same post in the vote year "
        "counts as an appointment for the exclusion.",
        "serious_illness_min_months": "Months of continuous serious-illness leave (with a "
        "medical certificate) that exclude a person; 0 = no such exclusion.",
        "min_months_in_post": "Months continuously in post, counted to the session's "
        "opening, below which a person is not polled; 0 = no such exclusion.",
        "max_places": "Most places where one person is polled.",
        "place_priority": "Order in which places are kept when a person holds posts in more "
        "places than allowed (comma-separated: party_committee, peoples_council, workplace).",
    }
)

_BOOL_TRUE = {"true", "1", "yes", "có", "co"}
_BOOL_FALSE = {"false", "0", "no", "không", "khong"}
_CLASSIFICATIONS = ("plurality", "high_majority")


def parameter_text(value: Any) -> str:
    """A parameter value as typed after ``--param NAME=``; the inverse of the
    override parser (``true``, ``2/3``, ``issued``, ``party_committee,workplace``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, list | tuple):
        return ",".join(parameter_text(v) for v in value)
    return str(value)


def _parse_parameter(name: str, raw: Any, current: Any) -> Any:
    """Coerce an override value (native or from text) to the parameter's type."""

    def bad(expected_vi: str, expected_en: str) -> InvalidParameterError:
        return InvalidParameterError(
            name,
            f"tham số {name}: giá trị {raw!r} không hợp lệ, cần {expected_vi}",
            f"parameter {name}: invalid value {raw!r}, expected {expected_en}",
        )

    if isinstance(current, bool):
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.strip().lower() in _BOOL_TRUE | _BOOL_FALSE:
            return raw.strip().lower() in _BOOL_TRUE
        raise bad("true hoặc false", "true or false")
    if isinstance(current, Enum):
        enum_type = type(current)
        try:
            return enum_type(raw)
        except ValueError:
            choices = " | ".join(str(m.value) for m in enum_type)
            raise bad(choices, choices) from None
    if isinstance(current, tuple):
        items = raw.split(",") if isinstance(raw, str) else raw
        try:
            places = tuple(PlaceKind(str(x).strip()) for x in items)
        except (ValueError, TypeError):
            places = ()
        if not places or len(set(places)) != len(places):
            choices = ", ".join(k.value for k in PlaceKind)
            raise bad(
                f"danh sách nơi không trùng nhau, lấy từ: {choices}",
                f"a list of distinct places from: {choices}",
            )
        return places
    if isinstance(current, Fraction):
        if isinstance(raw, bool):
            raise bad("một phân số trong (0, 1], ví dụ 2/3", "a fraction in (0, 1], e.g. 2/3")
        try:
            value = Fraction(raw) if not isinstance(raw, float) else None
        except (ValueError, ZeroDivisionError, TypeError):
            value = None
        if value is None or not (0 < value <= 1):
            raise bad("một phân số trong (0, 1], ví dụ 2/3", "a fraction in (0, 1], e.g. 2/3")
        return value
    if isinstance(current, int):
        try:
            value_i = int(raw) if not isinstance(raw, float | bool) else None
        except (ValueError, TypeError):
            value_i = None
        if value_i is None or value_i < 0:
            raise bad("một số nguyên không âm", "a non-negative integer")
        return value_i
    if name == "classification":
        if raw not in _CLASSIFICATIONS:
            raise bad(" | ".join(_CLASSIFICATIONS), " | ".join(_CLASSIFICATIONS))
        return raw
    raise bad("một giá trị đúng kiểu", "a value of the right type")  # pragma: no cover


@dataclass(frozen=True)
class Profile:
    """One regulation regime, frozen. Create variants with :meth:`with_overrides`."""

    id: str
    version: int
    short_name_vi: str
    instrument_vi: str
    title_en: str
    issued_on: date
    effective_from: date
    superseded_by: str | None
    kinds: tuple[VoteKind, ...]
    params: Parameters
    parameter_sources: Mapping[str, Source]
    fixed_sources: Mapping[str, Source]
    over_half: BandRule
    two_thirds: BandRule
    binding_over_half: BandRule
    binding_consequence_resign_vi: str
    binding_consequence_resign_en: str
    no_consequence_vi: str
    no_consequence_en: str
    deadline_anchor_vi: str
    deadlines: tuple[DeadlineRule, ...]
    petition_thresholds: Mapping[Body, Threshold]
    disclosure: Disclosure
    overrides: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def place_priority(self) -> tuple[PlaceKind, ...]:
        """Nơi lấy phiếu in priority order (named parameter ``place_priority``)."""
        return self.params.place_priority

    # ----------------------------------------------------------------- bands
    def band_rules(self, kind: VoteKind) -> tuple[BandRule, ...]:
        """The tiers for ``kind``, most severe first."""
        if kind is VoteKind.BINDING:
            rule = self.binding_over_half
            if self.params.binding_resign_option:
                rule = dataclasses.replace(
                    rule,
                    consequence_vi=self.binding_consequence_resign_vi,
                    consequence_en=self.binding_consequence_resign_en,
                )
            return (rule,)
        tiers: list[BandRule] = []
        if self.params.two_thirds_tier:
            t = self.two_thirds
            tiers.append(
                dataclasses.replace(
                    t,
                    threshold=Threshold(
                        t.threshold.numerator,
                        t.threshold.denominator,
                        self.params.two_thirds_inclusive,
                    ),
                )
            )
        tiers.append(self.over_half)
        return tuple(tiers)

    def band_for(self, kind: VoteKind, adverse: int, base: int) -> BandRule | None:
        """The most severe tier reached by ``adverse`` out of ``base``, if any."""
        if base <= 0:
            return None
        for rule in self.band_rules(kind):
            if rule.threshold.reached(adverse, base):
                return rule
        return None

    def consequence(self, kind: VoteKind, band: Band, lang: str = "vi") -> str:
        if band is Band.NONE:
            if kind is VoteKind.BINDING:
                return _NO_CONSEQUENCE_BINDING_EN if lang == "en" else _NO_CONSEQUENCE_BINDING_VI
            return self.no_consequence_en if lang == "en" else self.no_consequence_vi
        for rule in self.band_rules(kind):
            if rule.band is band:
                return rule.consequence_en if lang == "en" else rule.consequence_vi
        raise ValueError(f"band {band.value} does not exist for {kind.value} in {self.id}")

    # ------------------------------------------------------------ overrides
    def with_overrides(self, overrides: Mapping[str, Any]) -> Profile:
        """A copy with some named parameters (or ``deadline.<code>`` days) changed.

        Values may be native (``True``, ``Fraction(1, 2)``, ``"issued"``) or
        text as typed on a command line (``"false"``, ``"1/2"``).
        """
        if not overrides:
            return self
        changes: dict[str, Any] = {}
        deadlines = list(self.deadlines)
        for name, raw in overrides.items():
            if name.startswith("deadline."):
                code = name.removeprefix("deadline.")
                idx = next((i for i, d in enumerate(deadlines) if d.code == code), None)
                if idx is None:
                    known = ", ".join("deadline." + d.code for d in deadlines)
                    raise InvalidParameterError(
                        name,
                        f"không có thời hạn '{code}' trong {self.id}; có: {known}",
                        f"no deadline '{code}' in {self.id}; known: {known}",
                    )
                days = _parse_parameter(name, raw, 0)
                deadlines[idx] = dataclasses.replace(deadlines[idx], days_before=days)
                continue
            if name not in PARAMETER_DOCS:
                known = ", ".join(PARAMETER_DOCS)
                raise InvalidParameterError(
                    name,
                    f"không có tham số '{name}'; các tham số: {known}",
                    f"unknown parameter '{name}'; parameters: {known}",
                )
            changes[name] = _parse_parameter(name, raw, getattr(self.params, name))
        merged = dict(self.overrides)
        merged.update(overrides)
        return dataclasses.replace(
            self,
            params=dataclasses.replace(self.params, **changes),
            deadlines=tuple(deadlines),
            overrides=MappingProxyType(merged),
        )

    def parameter_table(self) -> list[tuple[str, Any, Source]]:
        """Every named parameter with its value in force and its source."""
        return [
            (name, getattr(self.params, name), self.parameter_sources[name])
            for name in PARAMETER_DOCS
        ]


# =========================================================================
# The four profiles
# =========================================================================

_QD96 = "Quy định 96-QĐ/TW"
_NQ96 = "Nghị quyết 96/2023/QH15"
_QD262 = "Quy định 262-QĐ/TW"
_NQ85 = "Nghị quyết 85/2014/QH13"

_HALF = Threshold(1, 2, inclusive=False)
"""'trên 50%' / 'quá nửa': strictly more than half (regulations.md §0.2)."""
_TWO_THIRDS = Threshold(2, 3, inclusive=True)
"""'từ 2/3 … trở lên': at least two thirds (regulations.md §0.2)."""

_NO_CONSEQUENCE_VI = "Không thuộc trường hợp phải xem xét theo ngưỡng tín nhiệm thấp."
_NO_CONSEQUENCE_EN = "No mandatory consequence."
_NO_CONSEQUENCE_BINDING_VI = "Không quá nửa số phiếu không tín nhiệm: không có hệ quả bắt buộc."
_NO_CONSEQUENCE_BINDING_EN = "Not over half no confidence: no mandatory consequence."


_QD96_PARAMS = Parameters(
    percentage_base=Basis.COLLECTED,
    quorum_fraction=Fraction(2, 3),
    quorum_inclusive=True,
    quorum_basis=QuorumBasis.SUMMONED,
    unissued_counts_as_collected=True,
    crossed_out_voids_ballot=True,
    added_names_void_ballot=False,
    other_writing_voids_ballot=False,
    signature_voids_ballot=False,
    line_defect_voids_ballot=False,
    two_thirds_tier=True,
    two_thirds_inclusive=True,
    binding_resign_option=False,
    classification="plurality",
    exclude_retirement_notice=True,
    exclude_appointed_in_vote_year=True,
    reappointment_counts_as_new=True,
    serious_illness_min_months=0,
    min_months_in_post=0,
    max_places=2,
    unissued_voids_ballot=True,
    place_priority=(PlaceKind.PARTY_COMMITTEE, PlaceKind.PEOPLES_COUNCIL, PlaceKind.WORKPLACE),
)

_QD96_SOURCES: dict[str, Source] = {
    "percentage_base": Source(_QD96, "Điều 6 khoản 3", "[KTX]; [S3] Phụ lục 4"),
    "quorum_fraction": Source(_QD96, "Điều 3 khoản 2", "[BTN][S1][BT]"),
    "quorum_inclusive": Source(_QD96, "Điều 3 khoản 2", "'ít nhất 2/3' [BTN]"),
    "quorum_basis": Source(_QD96, "Điều 3 khoản 2", "'số người được triệu tập' [BTN]"),
    "unissued_counts_as_collected": Source(
        _QD96, "Điều 6 khoản 3", "regulations.md §7 sc. 14", verified=False
    ),
    "crossed_out_voids_ballot": Source(
        _QD96, "Điều 6 khoản 3", "[KTX]; literal reading, §1.4", verified=False
    ),
    "added_names_void_ballot": Source(_QD96, "Điều 6 khoản 3", "[KTX]; [S3] §C.II.2"),
    "other_writing_voids_ballot": Source(
        _QD96, "Điều 6 khoản 3", "not listed as a defect [KTX]", verified=False
    ),
    "signature_voids_ballot": Source(_QD96, "Điều 6 khoản 1", "'có thể ký tên' [KTX][S3]"),
    "line_defect_voids_ballot": Source(
        _QD96, "Điều 6 khoản 3", "per-person valid counts in Phụ lục 4 [S3]"
    ),
    "two_thirds_tier": Source(_QD96, "Điều 11", "[CPDL]; [S3] §C.VI.3"),
    "two_thirds_inclusive": Source(_QD96, "Điều 11", "'từ 2/3 … trở lên' [S3][S4]"),
    "binding_resign_option": Source(_QD96, "—", "binding votes follow NQ 96/2023", False),
    "classification": Source(
        "Báo cáo tổng hợp (Hòa Bình)", "—", "[S0]; regulations.md §5.4", verified=False
    ),
    "exclude_retirement_notice": Source(_QD96, "Điều 3 khoản 1", "[S3] fn. 3; [BT]"),
    "exclude_appointed_in_vote_year": Source(_QD96, "Điều 3 khoản 1", "[S3] fn. 3; [S2]"),
    "reappointment_counts_as_new": Source(
        _QD96, "Điều 3 khoản 1", "regulations.md §1.1", verified=False
    ),
    "serious_illness_min_months": Source(_QD96, "Điều 3 khoản 1", "not an exclusion in 96"),
    "min_months_in_post": Source(_QD96, "Điều 3 khoản 1", "not an exclusion in 96"),
    "max_places": Source(_QD96, "Nguyên tắc 3", "'tối đa ở 2 nơi' [V123]"),
    "unissued_voids_ballot": Source(_QD96, "Điều 6 khoản 3", "[KTX]; [S3] §C.II.2"),
    "place_priority": Source(
        "Kế hoạch Hải Dương (thực hiện 96-QĐ/TW)", "—", "[S1]; §1.1", verified=False
    ),
}

_QD96_DEADLINES = (
    DeadlineRule(
        "dossier_submitted",
        20,
        "Người được lấy phiếu",
        "Gửi hồ sơ, báo cáo đến bộ phận tham mưu về công tác cán bộ",
        "Polled person sends the dossier and report to the personnel office",
        Source("Kế hoạch Hải Dương (thực hiện 96-QĐ/TW)", "—", "[BHD]", verified=False),
    ),
    DeadlineRule(
        "dossier_to_voters",
        15,
        "Bộ phận tham mưu",
        "Gửi báo cáo, hồ sơ của người được lấy phiếu cho người ghi phiếu",
        "Dossiers sent to the ballot-fillers",
        Source(_QD96, "Điều 9 (Bước 1)", "[LAWNET96-9]; [S3] §C.IV"),
    ),
    DeadlineRule(
        "questions_from_voters",
        10,
        "Người ghi phiếu",
        "Đặt yêu cầu làm rõ bằng văn bản đối với người được lấy phiếu",
        "Ballot-fillers send written questions",
        Source(_QD96, "Điều 9", "[S3] §C.III.4 'chậm nhất là 10 ngày'"),
    ),
    DeadlineRule(
        "questions_to_official",
        10,
        "Bộ phận tham mưu",
        "Gửi các nội dung cần làm rõ cho người được lấy phiếu",
        "Questions forwarded to the polled person",
        Source(_QD96, "Điều 9 (Bước 1)", "[S3] §C.IV 'trước 10 ngày'"),
    ),
    DeadlineRule(
        "answers",
        3,
        "Người được lấy phiếu",
        "Báo cáo, giải trình, cung cấp thông tin bổ sung",
        "Polled person answers the questions",
        Source(_QD96, "Điều 9", "[S3] §C.III.3 'chậm nhất 03 ngày'"),
    ),
)

QD96_2023 = Profile(
    id="qd96-2023",
    version=1,
    short_name_vi="Quy định 96-QĐ/TW",
    instrument_vi="Quy định số 96-QĐ/TW ngày 02/02/2023 của Bộ Chính trị về việc lấy phiếu "
    "tín nhiệm đối với các chức danh, chức vụ lãnh đạo, quản lý trong hệ thống chính trị",
    title_en="Politburo Regulation 96-QĐ/TW (2023) on confidence polls in the political system",
    issued_on=date(2023, 2, 2),
    effective_from=date(2023, 2, 2),
    superseded_by=None,
    kinds=(VoteKind.POLL, VoteKind.BINDING),
    params=_QD96_PARAMS,
    parameter_sources=MappingProxyType(_QD96_SOURCES),
    fixed_sources=MappingProxyType(
        {
            "levels": Source(_QD96, "Điều 6 khoản 1", "[KTX]"),
            "line_validity": Source(_QD96, "Điều 6 khoản 3", "[KTX]; [S3] §C.II.2"),
            "two_places_review": Source(_QD96, "Điều 11", "[S1]; [S3] §C.VI.4"),
        }
    ),
    over_half=BandRule(
        Band.OVER_HALF_LOW,
        _HALF,
        "Cấp có thẩm quyền quản lý cán bộ đưa ra khỏi quy hoạch các chức vụ cao hơn; xem xét "
        "cho thôi giữ chức vụ đang đảm nhiệm, bố trí công tác khác hoặc cho từ chức hoặc tiến "
        "hành bỏ phiếu tín nhiệm theo quy định.",
        "The managing authority removes the person from planning for higher posts and considers "
        "relief from the post, reassignment, resignation or a binding confidence vote.",
        Source(_QD96, "Điều 11", "[CPDL]; [S3] §C.VI.2; [S4]"),
    ),
    two_thirds=BandRule(
        Band.TWO_THIRDS_LOW,
        _TWO_THIRDS,
        "Cấp có thẩm quyền quản lý cán bộ thực hiện miễn nhiệm chức vụ đang đảm nhiệm và bố trí "
        "công tác khác (thấp hơn) mà không chờ đến hết nhiệm kỳ, hết thời hạn bổ nhiệm.",
        "The managing authority dismisses the person from the post and assigns lower work "
        "without waiting for the end of the term or appointment.",
        Source(_QD96, "Điều 11", "[CPDL]; [S3] §C.VI.3; [S4]"),
    ),
    binding_over_half=BandRule(
        Band.OVER_HALF_NO_CONFIDENCE,
        _HALF,
        "Quá nửa tổng số phiếu đánh giá “không tín nhiệm”: cấp có thẩm quyền xem xét miễn nhiệm "
        "chức vụ đang đảm nhiệm.",
        "Over half no confidence: the competent authority considers dismissal from the post.",
        Source(_QD96, "Điều 11", "binding vote consequence not read in 96", verified=False),
    ),
    binding_consequence_resign_vi="Quá nửa tổng số phiếu đánh giá “không tín nhiệm”: có thể "
    "xin từ chức; trường hợp không xin từ chức thì cấp có thẩm quyền xem xét miễn nhiệm.",
    binding_consequence_resign_en="Over half no confidence: may resign; otherwise the competent "
    "authority considers dismissal.",
    no_consequence_vi=_NO_CONSEQUENCE_VI,
    no_consequence_en=_NO_CONSEQUENCE_EN,
    deadline_anchor_vi="ngày lấy phiếu tín nhiệm",
    deadlines=_QD96_DEADLINES,
    petition_thresholds=MappingProxyType({}),
    disclosure=Disclosure(
        public=False,
        audiences=(
            "Thành phần tham gia ghi phiếu tín nhiệm",
            "Cấp có thẩm quyền trực tiếp quản lý cán bộ",
            "Cá nhân người được lấy phiếu tín nhiệm",
        ),
        source=Source(_QD96, "—", '[S3] §C.V; [S1]; minutes kept "theo chế độ mật"'),
    ),
)

# ---------------------------------------------------------------- NQ 96/2023

_NQ96_PARAMS = dataclasses.replace(
    _QD96_PARAMS,
    crossed_out_voids_ballot=True,
    serious_illness_min_months=6,
    max_places=1,
    place_priority=(PlaceKind.PEOPLES_COUNCIL,),
)
_NQ96_SOURCES: dict[str, Source] = {
    "percentage_base": Source(_NQ96, "Điều 12", "'tổng số phiếu' [CP-0307]; §0.1", False),
    "quorum_fraction": Source(_NQ96, "—", "no special quorum found, §2.3", verified=False),
    "quorum_inclusive": Source(_NQ96, "—", "§2.3", verified=False),
    "quorum_basis": Source(_NQ96, "—", "§2.3", verified=False),
    "unissued_counts_as_collected": Source(_NQ96, "—", "§7 sc. 14", verified=False),
    "crossed_out_voids_ballot": Source(_NQ96, "—", "invalid rules not confirmed §2.4", False),
    "added_names_void_ballot": Source(_NQ96, "—", "§2.4", verified=False),
    "other_writing_voids_ballot": Source(_NQ96, "—", "§2.4", verified=False),
    "signature_voids_ballot": Source(_NQ96, "—", "secret ballot; §2.4", verified=False),
    "line_defect_voids_ballot": Source(_NQ96, "—", "NQ 35/2012 precedent [VOV-2013]", False),
    "two_thirds_tier": Source(_NQ96, "Điều 12", "[CP-0307]", verified=False),
    "two_thirds_inclusive": Source(_NQ96, "Điều 12", "'từ hai phần ba … trở lên' [CP-0307]"),
    "binding_resign_option": Source(_NQ96, "Điều 14", "[CP-0407]; §0 note 6", verified=False),
    "classification": _QD96_SOURCES["classification"],
    "exclude_retirement_notice": Source(_NQ96, "Điều 2", "[BTH]"),
    "exclude_appointed_in_vote_year": Source(_NQ96, "Điều 2", "[BTH]"),
    "reappointment_counts_as_new": Source(_NQ96, "Điều 2", "§1.1", verified=False),
    "serious_illness_min_months": Source(_NQ96, "Điều 2 khoản 5", "[VN-TUNG]"),
    "min_months_in_post": Source(_NQ96, "Điều 2", "not an exclusion in NQ 96"),
    "max_places": Source(_NQ96, "Điều 2", "'một lần đối với các chức vụ đó' [LAWNET-2]"),
    "unissued_voids_ballot": Source(_NQ96, "—", "NQ 35/2012 precedent [VOV-2013]", False),
    "place_priority": Source(_NQ96, "Điều 2", "polled once, at the elected body"),
}

NQ96_2023 = Profile(
    id="nq96-2023",
    version=1,
    short_name_vi="Nghị quyết 96/2023/QH15",
    instrument_vi="Nghị quyết số 96/2023/QH15 ngày 23/6/2023 của Quốc hội về việc lấy phiếu "
    "tín nhiệm, bỏ phiếu tín nhiệm đối với người giữ chức vụ do Quốc hội, Hội đồng nhân dân "
    "bầu hoặc phê chuẩn",
    title_en="National Assembly Resolution 96/2023/QH15 on confidence polls and votes",
    issued_on=date(2023, 6, 23),
    effective_from=date(2023, 7, 1),
    superseded_by=None,
    kinds=(VoteKind.POLL, VoteKind.BINDING),
    params=_NQ96_PARAMS,
    parameter_sources=MappingProxyType(_NQ96_SOURCES),
    fixed_sources=MappingProxyType(
        {
            "levels": Source(_NQ96, "Điều 3", "[VNX-4669029]; [CP-0407]"),
            "publication": Source(_NQ96, "Điều 19 khoản 6", "[VP-giaoduc]"),
        }
    ),
    over_half=BandRule(
        Band.OVER_HALF_LOW,
        _HALF,
        "Có thể xin từ chức; trường hợp không xin từ chức thì Ủy ban Thường vụ Quốc hội trình "
        "Quốc hội, Thường trực Hội đồng nhân dân trình Hội đồng nhân dân tiến hành bỏ phiếu tín "
        "nhiệm tại kỳ họp đó hoặc kỳ họp gần nhất.",
        "May resign; otherwise the Standing Committee (or the HĐND Standing Board) submits a "
        "binding confidence vote at that session or the next one.",
        Source(_NQ96, "Điều 12", "[CP-0307]", verified=False),
    ),
    two_thirds=BandRule(
        Band.TWO_THIRDS_LOW,
        _TWO_THIRDS,
        "Cơ quan hoặc người có thẩm quyền giới thiệu người đó để Quốc hội, Hội đồng nhân dân "
        "bầu hoặc phê chuẩn có trách nhiệm trình Quốc hội, Hội đồng nhân dân miễn nhiệm hoặc "
        "phê chuẩn đề nghị miễn nhiệm tại kỳ họp đó hoặc kỳ họp gần nhất.",
        "The body or person that nominated the person submits dismissal (or approval of a "
        "dismissal proposal) at that session or the next one.",
        Source(_NQ96, "Điều 12", "[CP-0307]", verified=False),
    ),
    binding_over_half=BandRule(
        Band.OVER_HALF_NO_CONFIDENCE,
        _HALF,
        "Cơ quan hoặc người có thẩm quyền giới thiệu người đó để Quốc hội, Hội đồng nhân dân "
        "bầu hoặc phê chuẩn có trách nhiệm trình Quốc hội, Hội đồng nhân dân miễn nhiệm hoặc "
        "phê chuẩn đề nghị miễn nhiệm.",
        "The nominating body or person submits dismissal or approval of a dismissal proposal.",
        Source(_NQ96, "Điều 14", "[CP-0407]", verified=False),
    ),
    binding_consequence_resign_vi="Có thể xin từ chức; trường hợp không xin từ chức thì cơ "
    "quan hoặc người có thẩm quyền giới thiệu người đó trình Quốc hội, Hội đồng nhân dân miễn "
    "nhiệm hoặc phê chuẩn đề nghị miễn nhiệm.",
    binding_consequence_resign_en="May resign; otherwise the nominating body or person submits "
    "dismissal.",
    no_consequence_vi=_NO_CONSEQUENCE_VI,
    no_consequence_en=_NO_CONSEQUENCE_EN,
    deadline_anchor_vi="ngày khai mạc kỳ họp",
    deadlines=(
        DeadlineRule(
            "provisional_list",
            45,
            "Ủy ban Thường vụ Quốc hội / Thường trực HĐND",
            "Dự kiến danh sách người được lấy phiếu, đề nghị gửi báo cáo và bản kê khai tài sản",
            "Provisional list fixed; reports and asset declarations requested",
            Source(_NQ96, "Điều 10, Điều 11", "[LAWNET-10]"),
        ),
        DeadlineRule(
            "report_submitted",
            30,
            "Người được lấy phiếu",
            "Gửi báo cáo và bản kê khai tài sản, thu nhập",
            "Polled person sends the report and asset declaration",
            Source(_NQ96, "Điều 10", "[LAWNET-10]; HĐND (Điều 11) assumed alike", False),
        ),
        DeadlineRule(
            "front_opinions",
            25,
            "Ủy ban Mặt trận Tổ quốc",
            "Gửi ý kiến cử tri, Nhân dân về người được lấy phiếu (nếu có)",
            "Fatherland Front sends voters' opinions (if any)",
            Source(_NQ96, "Điều 10", "[LAWNET-10]; HĐND assumed alike", False),
        ),
        DeadlineRule(
            "reports_to_deputies",
            20,
            "Ủy ban Thường vụ Quốc hội / Thường trực HĐND",
            "Gửi báo cáo và tổng hợp ý kiến đến đại biểu",
            "Reports and the Front's summary sent to deputies",
            Source(_NQ96, "Điều 10", "[LAWNET-10][VNX-4666812]; HĐND assumed alike", False),
        ),
    ),
    petition_thresholds=MappingProxyType(
        {
            Body.NATIONAL_ASSEMBLY: Threshold(1, 5, inclusive=True),
            Body.PEOPLES_COUNCIL: Threshold(1, 3, inclusive=True),
        }
    ),
    disclosure=Disclosure(
        public=True,
        audiences=("Công khai trên các phương tiện thông tin đại chúng",),
        source=Source(_NQ96, "Điều 19 khoản 6", "[VP-giaoduc]; [VNX-4666812]"),
    ),
)

# ---------------------------------------------------------------- QĐ 262/2014

_QD262_PARAMS = dataclasses.replace(
    _QD96_PARAMS,
    added_names_void_ballot=True,
    other_writing_voids_ballot=True,
    line_defect_voids_ballot=True,
    two_thirds_tier=True,
    two_thirds_inclusive=False,
)
_QD262_SOURCES: dict[str, Source] = {
    "percentage_base": Source(_QD262, "—", "denominator UNVERIFIED §3", verified=False),
    "quorum_fraction": Source(_QD262, "—", "likely 2/3 as in 96, §3", verified=False),
    "quorum_inclusive": Source(_QD262, "—", "§3", verified=False),
    "quorum_basis": Source(_QD262, "—", "§3", verified=False),
    "unissued_counts_as_collected": Source(_QD262, "khoản 7.2 Điều 7", "§7 sc. 14", False),
    "crossed_out_voids_ballot": Source(_QD262, "khoản 7.2 Điều 7", "[TVPL-262]"),
    "added_names_void_ballot": Source(_QD262, "khoản 7.2 Điều 7", "[TVPL-262]"),
    "other_writing_voids_ballot": Source(_QD262, "khoản 7.2 Điều 7", "[TVPL-262]"),
    "signature_voids_ballot": Source(_QD262, "khoản 7.2 Điều 7", "§3", verified=False),
    "line_defect_voids_ballot": Source(
        _QD262, "khoản 7.2 Điều 7", "[TVPL-262]; literal reading, second pass §3", False
    ),
    "two_thirds_tier": Source(_QD262, "Điều 8 (?)", "gov. news 12/2018; second pass §4", False),
    "two_thirds_inclusive": Source(_QD262, "Điều 8 (?)", "'trên 2/3'; second pass §4", False),
    "binding_resign_option": Source(_QD262, "—", "§3", verified=False),
    "classification": _QD96_SOURCES["classification"],
    "exclude_retirement_notice": Source(_QD262, "—", "exclusions UNVERIFIED §3", False),
    "exclude_appointed_in_vote_year": Source(_QD262, "—", "exclusions UNVERIFIED §3", False),
    "reappointment_counts_as_new": Source(_QD262, "—", "§3", verified=False),
    "serious_illness_min_months": Source(_QD262, "—", "§3", verified=False),
    "min_months_in_post": Source(_QD262, "—", "§3", verified=False),
    "max_places": Source(_QD262, "—", "number of places UNVERIFIED §3", verified=False),
    "unissued_voids_ballot": Source(_QD262, "khoản 7.2 Điều 7", "[TVPL-262]"),
    "place_priority": Source(_QD262, "—", "96's order assumed, §3", verified=False),
}

QD262_2014 = Profile(
    id="qd262-2014",
    version=1,
    short_name_vi="Quy định 262-QĐ/TW",
    instrument_vi="Quy định số 262-QĐ/TW ngày 08/10/2014 của Bộ Chính trị về việc lấy phiếu "
    "tín nhiệm đối với thành viên lãnh đạo cấp ủy và cán bộ lãnh đạo trong các cơ quan Đảng, "
    "Nhà nước, Mặt trận Tổ quốc, đoàn thể chính trị - xã hội",
    title_en="Politburo Regulation 262-QĐ/TW (2014) on confidence polls (superseded)",
    issued_on=date(2014, 10, 8),
    effective_from=date(2014, 10, 8),
    superseded_by="qd96-2023",
    kinds=(VoteKind.POLL, VoteKind.BINDING),
    params=_QD262_PARAMS,
    parameter_sources=MappingProxyType(_QD262_SOURCES),
    fixed_sources=MappingProxyType(
        {
            "levels": Source(_QD262, "khoản 7.2 Điều 7", "[TVPL-262]"),
            "timing": Source(_QD262, "Điều 1", "[262-TXT]"),
        }
    ),
    over_half=BandRule(
        Band.OVER_HALF_LOW,
        _HALF,
        "Xem xét đưa ra khỏi danh sách quy hoạch chức vụ cao hơn; có thể bố trí công tác khác. "
        "Kết quả được sử dụng để tham khảo trong đánh giá cán bộ.",
        "Considered for removal from planning for higher posts; may be reassigned. Results "
        "are a reference in evaluating the person.",
        Source(_QD262, "—", "[CPDL]; gov. news 12/2018", verified=False),
    ),
    two_thirds=BandRule(
        Band.TWO_THIRDS_LOW,
        Threshold(2, 3, inclusive=False),
        "Trên 2/3 số phiếu tín nhiệm thấp: xem xét cho thôi giữ chức vụ đang đảm nhiệm.",
        "More than two thirds low: considered for relief from the post.",
        Source(_QD262, "Điều 8 (?)", "gov. news 12/2018; second pass §4", verified=False),
    ),
    binding_over_half=BandRule(
        Band.OVER_HALF_NO_CONFIDENCE,
        _HALF,
        "Quá nửa tổng số phiếu đánh giá “không tín nhiệm”: cấp có thẩm quyền xem xét miễn nhiệm "
        "chức vụ đang đảm nhiệm.",
        "Over half no confidence: the competent authority considers dismissal from the post.",
        Source(_QD262, "—", "§3", verified=False),
    ),
    binding_consequence_resign_vi=QD96_2023.binding_consequence_resign_vi,
    binding_consequence_resign_en=QD96_2023.binding_consequence_resign_en,
    no_consequence_vi=_NO_CONSEQUENCE_VI,
    no_consequence_en=_NO_CONSEQUENCE_EN,
    deadline_anchor_vi="ngày lấy phiếu tín nhiệm",
    deadlines=tuple(
        dataclasses.replace(
            d,
            source=Source(_QD262, "—", "no deadline read in 262; 96's values", verified=False),
        )
        for d in _QD96_DEADLINES
    ),
    petition_thresholds=MappingProxyType({}),
    disclosure=Disclosure(
        public=False,
        audiences=(
            "Tập thể lãnh đạo cùng cấp",
            "Cơ quan có thẩm quyền",
        ),
        source=Source(_QD262, "—", "[S0]"),
    ),
)

# ---------------------------------------------------------------- NQ 85/2014

_NQ85_PARAMS = dataclasses.replace(
    _QD96_PARAMS,
    percentage_base=Basis.MEMBERS_TOTAL,
    quorum_basis=QuorumBasis.SUMMONED,
    exclude_retirement_notice=False,
    exclude_appointed_in_vote_year=False,
    min_months_in_post=9,
    max_places=1,
    place_priority=(PlaceKind.PEOPLES_COUNCIL,),
    binding_resign_option=True,
)
_NQ85_SOURCES: dict[str, Source] = {
    "percentage_base": Source(_NQ85, "Điều 17 khoản 1", "[TVPL-85-17]; second pass §8"),
    "quorum_fraction": Source(_NQ85, "—", "quorum UNVERIFIED §4", verified=False),
    "quorum_inclusive": Source(_NQ85, "—", "§4", verified=False),
    "quorum_basis": Source(_NQ85, "—", "§4", verified=False),
    "unissued_counts_as_collected": Source(_NQ85, "—", "§7 sc. 14", verified=False),
    "crossed_out_voids_ballot": Source(_NQ85, "—", "§5 'Added name: UNVERIFIED'", False),
    "added_names_void_ballot": Source(_NQ85, "—", "§5", verified=False),
    "other_writing_voids_ballot": Source(_NQ85, "—", "§5", verified=False),
    "signature_voids_ballot": Source(_NQ85, "—", "secret ballot §5", verified=False),
    "line_defect_voids_ballot": Source(_NQ85, "—", "§5", verified=False),
    "two_thirds_tier": Source(_NQ85, "Điều 12 (?)", "[KTDT][XAHOI]"),
    "two_thirds_inclusive": Source(_NQ85, "Điều 12 (?)", "'từ hai phần ba … trở lên' [KTDT]"),
    "binding_resign_option": Source(_NQ85, "—", "[KTDT][LTCQH]"),
    "classification": _QD96_SOURCES["classification"],
    "exclude_retirement_notice": Source(_NQ85, "—", "not an exclusion in 2018 guidance", False),
    "exclude_appointed_in_vote_year": Source(_NQ85, "—", "2018 guidance uses 9 months", False),
    "reappointment_counts_as_new": Source(_NQ85, "—", "§4", verified=False),
    "serious_illness_min_months": Source(_NQ85, "—", "§4", verified=False),
    "min_months_in_post": Source(
        "Hướng dẫn 2018 (thực hiện NQ 85/2014)", "—", "[thanhtravietnam.vn]; §7 sc. 32", False
    ),
    "max_places": Source(_NQ85, "Điều 1", "'thực hiện 1 lần đối với chức vụ cao nhất'"),
    "unissued_voids_ballot": Source(_NQ85, "—", "NQ 35/2012 precedent [VOV-2013]", False),
    "place_priority": Source(_NQ85, "Điều 1", "polled once, at the elected body"),
}

NQ85_2014 = Profile(
    id="nq85-2014",
    version=1,
    short_name_vi="Nghị quyết 85/2014/QH13",
    instrument_vi="Nghị quyết số 85/2014/QH13 ngày 28/11/2014 của Quốc hội về việc lấy phiếu "
    "tín nhiệm, bỏ phiếu tín nhiệm đối với người giữ chức vụ do Quốc hội, Hội đồng nhân dân "
    "bầu hoặc phê chuẩn",
    title_en="National Assembly Resolution 85/2014/QH13 on confidence polls and votes (superseded)",
    issued_on=date(2014, 11, 28),
    effective_from=date(2015, 7, 1),
    superseded_by="nq96-2023",
    kinds=(VoteKind.POLL, VoteKind.BINDING),
    params=_NQ85_PARAMS,
    parameter_sources=MappingProxyType(_NQ85_SOURCES),
    fixed_sources=MappingProxyType(
        {
            "levels": Source(_NQ85, "—", "[XAHOI]; [KTDT]"),
            "result_contents": Source(_NQ85, "Điều 17 khoản 1", "[TVPL-85-17]"),
        }
    ),
    over_half=BandRule(
        Band.OVER_HALF_LOW,
        _HALF,
        "Quá nửa tổng số đại biểu đánh giá “tín nhiệm thấp”: có thể xin từ chức.",
        "Over half of all deputies rate low confidence: may resign.",
        Source(_NQ85, "Điều 12 (?)", "[KTDT][XAHOI]"),
    ),
    two_thirds=BandRule(
        Band.TWO_THIRDS_LOW,
        _TWO_THIRDS,
        "Từ hai phần ba tổng số đại biểu trở lên đánh giá “tín nhiệm thấp”: Ủy ban Thường vụ "
        "Quốc hội trình Quốc hội, Thường trực Hội đồng nhân dân trình Hội đồng nhân dân bỏ phiếu "
        "tín nhiệm.",
        "Two thirds of all deputies or more rate low confidence: a binding confidence vote is "
        "submitted to the Assembly or the People's Council.",
        Source(_NQ85, "Điều 12 (?)", "[KTDT][XAHOI]"),
    ),
    binding_over_half=BandRule(
        Band.OVER_HALF_NO_CONFIDENCE,
        _HALF,
        "Quá nửa tổng số đại biểu đánh giá “không tín nhiệm”: cơ quan hoặc người đã giới thiệu "
        "để bầu hoặc phê chuẩn trình miễn nhiệm hoặc phê chuẩn đề nghị miễn nhiệm.",
        "Over half of all deputies vote no confidence: the nominating body submits dismissal.",
        Source(_NQ85, "—", "[KTDT][LTCQH]"),
    ),
    binding_consequence_resign_vi="Quá nửa tổng số đại biểu đánh giá “không tín nhiệm”: có "
    "thể xin từ chức; trường hợp không từ chức thì cơ quan hoặc người đã giới thiệu để bầu hoặc "
    "phê chuẩn trình miễn nhiệm hoặc phê chuẩn đề nghị miễn nhiệm.",
    binding_consequence_resign_en="Over half of all deputies vote no confidence: may resign; "
    "otherwise the nominating body submits dismissal.",
    no_consequence_vi=_NO_CONSEQUENCE_VI,
    no_consequence_en=_NO_CONSEQUENCE_EN,
    deadline_anchor_vi="ngày khai mạc kỳ họp",
    deadlines=(
        DeadlineRule(
            "provisional_list",
            30,
            "Thường trực HĐND",
            "Dự kiến danh sách người được lấy phiếu, đề nghị gửi báo cáo",
            "Provisional list fixed; reports requested",
            Source(_NQ85, "Điều 9", "second pass §8"),
        ),
        DeadlineRule(
            "report_submitted",
            20,
            "Người được lấy phiếu",
            "Gửi báo cáo kết quả thực hiện nhiệm vụ",
            "Polled person sends the report",
            Source(_NQ85, "Điều 9", "second pass §8"),
        ),
        DeadlineRule(
            "front_opinions",
            15,
            "Ủy ban Mặt trận Tổ quốc",
            "Gửi ý kiến cử tri về người được lấy phiếu (nếu có)",
            "Fatherland Front sends voters' opinions (if any)",
            Source(_NQ85, "Điều 9", "second pass §8"),
        ),
        DeadlineRule(
            "reports_to_deputies",
            10,
            "Thường trực HĐND",
            "Gửi báo cáo đến đại biểu",
            "Reports sent to deputies",
            Source(_NQ85, "Điều 9", "second pass §8"),
        ),
    ),
    petition_thresholds=MappingProxyType(
        {
            Body.NATIONAL_ASSEMBLY: Threshold(1, 5, inclusive=True),
            Body.PEOPLES_COUNCIL: Threshold(1, 3, inclusive=True),
        }
    ),
    disclosure=Disclosure(
        public=True,
        audiences=("Công khai trên các phương tiện thông tin đại chúng",),
        source=Source(_NQ85, "—", "[QDND-2018]; confirming resolution"),
    ),
)

PROFILES: Mapping[str, Profile] = MappingProxyType(
    {p.id: p for p in (QD96_2023, NQ96_2023, QD262_2014, NQ85_2014)}
)
"""Every profile by id. The ids are the wire values of the conference record."""


def get_profile(profile_id: str) -> Profile:
    """The profile with this id, or :class:`UnknownProfileError`."""
    try:
        return PROFILES[profile_id]
    except KeyError:
        raise UnknownProfileError(profile_id, tuple(PROFILES)) from None

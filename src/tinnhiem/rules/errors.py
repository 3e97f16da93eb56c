"""Typed errors and warnings with stable codes.

Codes are part of the public interface: tests assert them, the web
application translates them, the JSON output carries them. Never rename a
code; add a new one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RulesError(Exception):
    """An input the rules cannot decide on (a programming or data error).

    ``code`` is stable; ``message_vi`` and ``message_en`` are for people.
    """

    def __init__(self, code: str, message_vi: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_vi = message_vi
        self.message_en = message_en

    def message(self, lang: str) -> str:
        return self.message_en if lang == "en" else self.message_vi


class UnknownProfileError(RulesError):
    def __init__(self, profile_id: str, known: tuple[str, ...]) -> None:
        listed = ", ".join(known)
        super().__init__(
            "unknown_profile",
            f"không có quy định (profile) '{profile_id}'; các giá trị hợp lệ: {listed}",
            f"unknown regulation profile '{profile_id}'; valid values: {listed}",
        )
        self.profile_id = profile_id


class InvalidParameterError(RulesError):
    """A parameter override names an unknown parameter or a wrong value."""

    def __init__(self, name: str, message_vi: str, message_en: str) -> None:
        super().__init__("invalid_parameter", message_vi, message_en)
        self.name = name


class WarningCode(StrEnum):
    """Stable codes of irregularities that do not stop a tally."""

    QUORUM_NOT_MET = "quorum_not_met"
    """Hội nghị không đủ số người có mặt theo quy định: results are void."""
    COLLECTED_EXCEEDS_ISSUED = "collected_exceeds_issued"
    """Số phiếu thu về nhiều hơn số phiếu phát ra."""
    PRESENT_EXCEEDS_SUMMONED = "present_exceeds_summoned"
    """Số có mặt nhiều hơn số được triệu tập."""
    COLLECTED_EXCEEDS_PRESENT = "collected_exceeds_present"
    """Số phiếu thu về nhiều hơn số có mặt tại thời điểm bỏ phiếu."""
    ISSUED_EXCEEDS_PRESENT = "issued_exceeds_present"
    """Số phiếu phát ra nhiều hơn số có mặt tại thời điểm bỏ phiếu."""
    SUMMONED_EXCEEDS_MEMBERS = "summoned_exceeds_members"
    """Số được triệu tập nhiều hơn tổng số thành viên (đại biểu)."""
    BASE_IS_ZERO = "base_is_zero"
    """The percentage base is 0: no percentage or band can be computed."""
    VOTES_EXCEED_BASE = "votes_exceed_base"
    """A person has more valid lines than the percentage base."""
    UNISSUED_BALLOTS = "unissued_ballots"
    """Ballots not issued by the committee were found (counted as collected
    under the profile's ``unissued_counts_as_collected`` parameter)."""


@dataclass(frozen=True, slots=True)
class RulesWarning:
    """An irregular figure worth a person's attention; never stops a tally."""

    code: WarningCode
    message_vi: str
    message_en: str

    def message(self, lang: str) -> str:
        return self.message_en if lang == "en" else self.message_vi

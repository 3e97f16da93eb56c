"""Vote kinds and confidence levels.

Two procedures exist in Vietnamese law and party rules:

* *lấy phiếu tín nhiệm* (a confidence poll), three levels "tín nhiệm cao",
  "tín nhiệm", "tín nhiệm thấp" — Quy định 96-QĐ/TW Điều 6 khoản 1;
  Nghị quyết 96/2023/QH15; Quy định 262-QĐ/TW khoản 7.2 Điều 7;
  Nghị quyết 85/2014/QH13.
* *bỏ phiếu tín nhiệm* (a binding confidence vote), two levels "tín nhiệm",
  "không tín nhiệm" — Nghị quyết 96/2023/QH15 Điều 13–14;
  Nghị quyết 85/2014/QH13.

The string values are the wire codes of ``tinnhiem.conference-record/1``.
"""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    """Mức độ tín nhiệm: one box of a ballot line."""

    HIGH = "cao"
    """Tín nhiệm cao (poll only)."""
    CONFIDENCE = "tin_nhiem"
    """Tín nhiệm (poll and binding vote)."""
    LOW = "thap"
    """Tín nhiệm thấp (poll only)."""
    NO_CONFIDENCE = "khong_tin_nhiem"
    """Không tín nhiệm (binding vote only)."""

    @property
    def label_vi(self) -> str:
        return _LABELS_VI[self]

    @property
    def label_en(self) -> str:
        return _LABELS_EN[self]

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_vi


_LABELS_VI = {
    Level.HIGH: "Tín nhiệm cao",
    Level.CONFIDENCE: "Tín nhiệm",
    Level.LOW: "Tín nhiệm thấp",
    Level.NO_CONFIDENCE: "Không tín nhiệm",
}
_LABELS_EN = {
    Level.HIGH: "High confidence",
    Level.CONFIDENCE: "Confidence",
    Level.LOW: "Low confidence",
    Level.NO_CONFIDENCE: "No confidence",
}


class VoteKind(StrEnum):
    """Hình thức: lấy phiếu tín nhiệm (poll) or bỏ phiếu tín nhiệm (binding)."""

    POLL = "poll"
    """Lấy phiếu tín nhiệm: three levels."""
    BINDING = "binding"
    """Bỏ phiếu tín nhiệm: two levels."""

    @property
    def levels(self) -> tuple[Level, ...]:
        """The levels printed on a ballot of this kind, in ballot order."""
        if self is VoteKind.POLL:
            return (Level.HIGH, Level.CONFIDENCE, Level.LOW)
        return (Level.CONFIDENCE, Level.NO_CONFIDENCE)

    @property
    def adverse_level(self) -> Level:
        """The level whose count the legal thresholds test.

        "tín nhiệm thấp" for a poll, "không tín nhiệm" for a binding vote.
        """
        return Level.LOW if self is VoteKind.POLL else Level.NO_CONFIDENCE

    @property
    def label_vi(self) -> str:
        return "Lấy phiếu tín nhiệm" if self is VoteKind.POLL else "Bỏ phiếu tín nhiệm"

    @property
    def label_en(self) -> str:
        return "Confidence poll" if self is VoteKind.POLL else "Binding confidence vote"

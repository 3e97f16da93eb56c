"""Exact ratios and their display.

Every legal comparison is made on integers (``3 * low >= 2 * base``); a
percentage exists only for people to read. Rounding is half up, to two
decimals, and happens here and nowhere else — regulations.md §0.2:
"Never compare rounded percentages (66.67 % ≠ 2/3)".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction


def percent_hundredths(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` as a percentage in hundredths, half up.

    >>> percent_hundredths(25, 47)   # 53.1914… %
    5319
    >>> percent_hundredths(1, 8)     # 12.5 % exactly
    1250
    >>> percent_hundredths(1, 800)   # 0.125 % → 0.13 (half up)
    13
    """
    if denominator <= 0:
        raise ValueError("a percentage needs a positive denominator")
    if numerator < 0:
        raise ValueError("a percentage needs a non-negative numerator")
    # round(x) half up == floor(x + 1/2) == floor((2·n·10000 + d) / 2d)
    return (2 * numerator * 10000 + denominator) // (2 * denominator)


def format_percent(numerator: int, denominator: int, decimal_separator: str = ".") -> str:
    """A percentage with two decimals and no sign: ``"53.19"`` or ``"53,19"``."""
    h = percent_hundredths(numerator, denominator)
    return f"{h // 100}{decimal_separator}{h % 100:02d}"


def format_percent_vi(numerator: int, denominator: int) -> str:
    """Vietnamese style, with the sign: ``"53,19%"``."""
    return format_percent(numerator, denominator, ",") + "%"


def format_int_vi(value: int) -> str:
    """Vietnamese thousands grouping: ``1.234.567``."""
    return f"{value:,}".replace(",", ".")


def format_date_vi(day: date) -> str:
    """``ngày 27 tháng 6 năm 2023``, ``ngày 05 tháng 02 năm 2024``.

    Nghị định 30/2020/NĐ-CP, Phụ lục I: days below 10 and the months 1 and 2
    take a leading 0; the other months do not.
    """
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def format_date_short_vi(day: date) -> str:
    """``27/06/2023``: the short form used in tables and lists."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


@dataclass(frozen=True, slots=True)
class Ratio:
    """A count over a total, kept exact: ``145/156``."""

    count: int
    total: int

    @property
    def value(self) -> Fraction | None:
        return Fraction(self.count, self.total) if self.total else None

    def percent(self, decimal_separator: str = ".") -> str | None:
        if not self.total:
            return None
        return format_percent(self.count, self.total, decimal_separator)

    def percent_vi(self) -> str:
        """``92,95%``; an empty total gives ``–``."""
        p = self.percent(",")
        return f"{p}%" if p is not None else "–"

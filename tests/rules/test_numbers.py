"""Exact ratios and their display: half-up rounding to two decimals, Vietnamese style.

regulations.md §0.2: "Never compare rounded percentages (66.67 % ≠ 2/3)";
dates per Nghị định 30/2020/NĐ-CP Phụ lục I (docs document-format.md §1).
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from tinnhiem.rules.numbers import (
    Ratio,
    format_date_short_vi,
    format_date_vi,
    format_int_vi,
    format_percent,
    format_percent_vi,
    percent_hundredths,
)


def half_up_hundredths(numerator: int, denominator: int) -> int:
    """The reference: 100·100·n/d rounded half up, in exact fractions."""
    exact = Fraction(10000 * numerator, denominator)
    floor = exact.numerator // exact.denominator
    return floor + 1 if exact - floor >= Fraction(1, 2) else floor


def test_percent_hundredths_rounds_half_up() -> None:
    assert percent_hundredths(25, 47) == 5319  # 53.1914…
    assert percent_hundredths(1, 8) == 1250  # 12.5 exactly
    assert percent_hundredths(1, 800) == 13  # 0.125 → 0.13, half up
    assert percent_hundredths(3, 800) == 38  # 0.375 → 0.38
    assert percent_hundredths(5, 800) == 63  # 0.625 → 0.63 (banker's rounding gives 0.62)
    assert percent_hundredths(2, 3) == 6667
    assert percent_hundredths(1, 3) == 3333


def test_percent_hundredths_matches_exact_half_up_rounding_for_small_fractions() -> None:
    for denominator in range(1, 201):
        for numerator in range(denominator + 1):
            assert percent_hundredths(numerator, denominator) == half_up_hundredths(
                numerator, denominator
            )


def test_percent_hundredths_refuses_an_empty_base_or_a_negative_count() -> None:
    with pytest.raises(ValueError, match="positive denominator"):
        percent_hundredths(1, 0)
    with pytest.raises(ValueError, match="non-negative numerator"):
        percent_hundredths(-1, 5)


def test_format_percent_has_two_decimals_and_a_chosen_separator() -> None:
    assert format_percent(2, 47) == "4.26"
    assert format_percent(0, 47) == "0.00"
    assert format_percent(47, 47) == "100.00"
    assert format_percent(2, 47, ",") == "4,26"


def test_format_percent_vi_uses_a_decimal_comma_and_the_sign() -> None:
    assert format_percent_vi(25, 47) == "53,19%"
    assert format_percent_vi(145, 156) == "92,95%"
    assert format_percent_vi(1, 156) == "0,64%"


def test_two_thirds_displays_as_66_67_but_is_never_compared_rounded() -> None:
    """200/300 displays 66.67 and 2/3 is exact; a rounded comparison would be wrong."""
    assert format_percent(200, 300) == "66.67"
    assert Fraction(200, 300) == Fraction(2, 3)
    assert Fraction(6667, 10000) != Fraction(2, 3)


def test_format_int_vi_groups_thousands_with_dots() -> None:
    assert format_int_vi(1234567) == "1.234.567"
    assert format_int_vi(481) == "481"
    assert format_int_vi(0) == "0"


def test_format_date_vi_writes_the_date_in_words_nd30_2020() -> None:
    assert format_date_vi(date(2023, 6, 27)) == "ngày 27 tháng 6 năm 2023"
    assert format_date_vi(date(2024, 12, 10)) == "ngày 10 tháng 12 năm 2024"


def test_format_date_vi_pads_small_days_and_january_february_nd30_2020() -> None:
    """NĐ 30/2020 Phụ lục I: days below 10 and months 1, 2 take a leading 0."""
    assert format_date_vi(date(2024, 2, 5)) == "ngày 05 tháng 02 năm 2024"
    assert format_date_vi(date(2020, 1, 5)) == "ngày 05 tháng 01 năm 2020"
    assert format_date_vi(date(2023, 8, 4)) == "ngày 04 tháng 8 năm 2023"


def test_format_date_short_vi_is_day_month_year_with_slashes() -> None:
    assert format_date_short_vi(date(2023, 12, 13)) == "13/12/2023"


def test_ratio_keeps_the_exact_value_and_displays_it_rounded() -> None:
    ratio = Ratio(145, 156)
    assert ratio.value == Fraction(145, 156)
    assert ratio.percent() == "92.95"
    assert ratio.percent(",") == "92,95"
    assert ratio.percent_vi() == "92,95%"


def test_a_ratio_over_nothing_has_no_value_and_displays_a_dash() -> None:
    empty = Ratio(0, 0)
    assert empty.value is None
    assert empty.percent() is None
    assert empty.percent_vi() == "–"

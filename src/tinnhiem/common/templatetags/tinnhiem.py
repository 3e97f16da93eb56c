"""Template filters for Vietnamese administrative style (Nghị định 30/2020/NĐ-CP)."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone

from tinnhiem.rules.numbers import format_date_vi, format_int_vi

register = template.Library()


@register.filter
def ngay(value: date | datetime | None) -> str:
    """``ngày 05 tháng 02 năm 2024`` — days 1–9 and months 1–2 padded."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return format_date_vi(value)


@register.filter
def so(value: int | None) -> str:
    """Thousands with dots: ``1.234``."""
    if value is None:
        return ""
    return format_int_vi(int(value))

"""tinnhiem.demo: realistic, deterministic demo data with invented names.

Pure Python, no Django and no I/O: every function takes a seed and returns
the same frozen values for the same seed. The data sets follow published
reports (the seeds under ``shared/seeds``): agency names and published totals
are real, every person's name and every per-person figure is invented.

* :func:`hoa_binh_2018_round`: the 2018 round of Hòa Bình province under
  Quy định 262-QĐ/TW, whose tally reproduces the published statistics exactly.
* :func:`hoa_binh_thads_2023`: Cục Thi hành án dân sự tỉnh Hòa Bình, 27/6/2023.
* :func:`lang_son_committee_2023`: Ban Chấp hành Đảng bộ tỉnh Lạng Sơn, 2023.
"""

from tinnhiem.demo.names import BLOCKED_NAMES, NameGenerator, Region, is_blocked, name_key
from tinnhiem.demo.province import (
    DemoAgency,
    DemoBlock,
    DemoRound,
    hoa_binh_2018_round,
    hoa_binh_thads_2023,
    lang_son_committee_2023,
)

__all__ = [
    "BLOCKED_NAMES",
    "DemoAgency",
    "DemoBlock",
    "DemoRound",
    "NameGenerator",
    "Region",
    "hoa_binh_2018_round",
    "hoa_binh_thads_2023",
    "is_blocked",
    "lang_son_committee_2023",
    "name_key",
]

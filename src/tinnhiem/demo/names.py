"""Invented Vietnamese full names for demo data, deterministic and never real.

Every name is made of a family name (họ), a middle name (tên đệm) and a given
name (tên), drawn from lists of common ones with a seeded
:class:`random.Random`, in Unicode NFC with full diacritics. A generator never
repeats a name (compared without diacritics or case, so "Hòa" and "Hoà" are
the same) and never produces a name of :data:`BLOCKED_NAMES`: the real persons
named in the reference documents (seeds, regulation notes) and a few real
office holders of the provinces the demos are set in.

Invented names are common names, so some real person somewhere bears each of
them; the demos never pair one with a real office it is known for.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterable
from enum import StrEnum

SEED_PERSONS: tuple[str, ...] = (
    # seed 000 (Hòa Bình, 2018): the article's author (pen name)
    "Thái Sơn",
    # seed 001 (Hải Dương, 2023)
    "Vũ Việt Anh",
    # seed 002 (Lạng Sơn, 2023): Bí thư Tỉnh ủy, Phó Bí thư - Chủ tịch UBND; author (pen name)
    "Nguyễn Quốc Đoàn",
    "Hồ Tiến Thiệu",
    "Hải Triều",
    # seed 003 (Hà Giang, KH 240/KH-UBND): Chủ tịch UBND tỉnh
    "Nguyễn Văn Sơn",
    # seed 004 (Cục THADS Hòa Bình, 27/6/2023)
    "Trần Văn Dũng",
    "Bùi Viết Dũng",
    "Trần Thị Thuỳ Linh",
    "Trần Thị Thùy Linh",
    "Bùi Công Định",
)
"""Real persons named in the seed documents, as spelled there (both spellings of one)."""

OTHER_REAL_PERSONS: tuple[str, ...] = (
    # regulation notes: Vĩnh Phúc HĐND 2023, Quốc hội 2013 and 2018
    "Lê Duy Thành",
    "Hoàng Thị Thúy Lan",
    "Nguyễn Thị Kim Ngân",
    "Trương Tấn Sang",
    # provincial leaders of Hòa Bình (2015–2020) and Lạng Sơn (2020–2025)
    "Bùi Văn Tỉnh",
    "Nguyễn Văn Quang",
    "Trần Đăng Ninh",
    "Lâm Thị Phương Thanh",
    "Hoàng Văn Nghiệm",
    "Đoàn Thị Loan",
    "Đoàn Thị Hậu",
    "Nguyễn Cảnh Toàn",
    "Đoàn Thu Hà",
)
"""Other real persons the demos must not name: in the project's notes, or provincial leaders."""

BLOCKED_NAMES: tuple[str, ...] = SEED_PERSONS + OTHER_REAL_PERSONS
"""Names a generator never produces (nor any name ending with one of them)."""


class Region(StrEnum):
    """Which family names are frequent: nationwide, or with a province's peoples."""

    NATIONWIDE = "nationwide"
    HOA_BINH = "hoa_binh"
    """Hòa Bình: many Mường family names (Bùi, Đinh, Quách, Xa, Hà)."""
    LANG_SON = "lang_son"
    """Lạng Sơn: many Tày and Nùng family names (Hoàng, Nông, Lương, Vi, Lộc)."""


# (name, weight): weights are rough relative frequencies, integers.
_FAMILY: dict[Region, tuple[tuple[str, int], ...]] = {
    Region.NATIONWIDE: (
        ("Nguyễn", 38),
        ("Trần", 11),
        ("Lê", 9),
        ("Phạm", 7),
        ("Hoàng", 5),
        ("Phan", 4),
        ("Vũ", 4),
        ("Đặng", 2),
        ("Bùi", 2),
        ("Đỗ", 2),
        ("Hồ", 1),
        ("Ngô", 1),
        ("Dương", 1),
        ("Đinh", 1),
        ("Đào", 1),
        ("Trịnh", 1),
        ("Mai", 1),
        ("Cao", 1),
        ("Tạ", 1),
        ("Lưu", 1),
    ),
    Region.HOA_BINH: (
        ("Bùi", 14),
        ("Nguyễn", 14),
        ("Đinh", 9),
        ("Quách", 5),
        ("Trần", 5),
        ("Xa", 3),
        ("Hà", 4),
        ("Lê", 4),
        ("Phạm", 3),
        ("Hoàng", 2),
        ("Vũ", 2),
        ("Đỗ", 2),
        ("Bạch", 1),
        ("Lò", 1),
        ("Đặng", 1),
        ("Ngô", 1),
    ),
    Region.LANG_SON: (
        ("Hoàng", 12),
        ("Nguyễn", 10),
        ("Nông", 6),
        ("Lương", 5),
        ("Vi", 4),
        ("Lộc", 3),
        ("Lăng", 2),
        ("Chu", 2),
        ("Triệu", 2),
        ("Hà", 2),
        ("Lý", 2),
        ("Mã", 1),
        ("Đàm", 1),
        ("Trần", 3),
        ("Lê", 2),
        ("Phạm", 1),
        ("Vũ", 1),
    ),
}

_MALE_MIDDLE: tuple[tuple[str, int], ...] = (
    ("Văn", 30),
    ("Đức", 6),
    ("Quang", 5),
    ("Minh", 5),
    ("Hữu", 4),
    ("Công", 4),
    ("Xuân", 4),
    ("Mạnh", 3),
    ("Thanh", 3),
    ("Ngọc", 3),
    ("Trọng", 3),
    ("Đình", 3),
    ("Tiến", 2),
    ("Quốc", 2),
    ("Huy", 2),
    ("Duy", 2),
    ("Hồng", 2),
    ("Thế", 2),
    ("Bá", 1),
    ("Trung", 1),
    ("Kim", 1),
)

_MALE_GIVEN: tuple[str, ...] = (
    "Hùng", "Tuấn", "Hải", "Long", "Thắng", "Cường", "Hưng", "Khánh", "Bình", "Tâm",
    "Phong", "Hòa", "Trung", "Nam", "Quân", "Hiếu", "Lâm", "Tùng", "Đạt", "Hiệp",
    "Kiên", "Lợi", "Nghĩa", "Phúc", "Quyết", "Tiến", "Vinh", "Việt", "Chiến", "Đông",
    "Hậu", "Học", "Khoa", "Luân", "Phương", "Thịnh", "Thuận", "Trường", "Tú", "Tuyên",
    "Vượng", "Bảo", "Doanh", "Thưởng", "Toản", "Thiện", "Sỹ", "Hạnh", "Lực", "Tấn",
)  # fmt: skip

_FEMALE_SECOND: tuple[str, ...] = (
    "Thu", "Thanh", "Minh", "Ngọc", "Kim", "Thúy", "Hồng", "Bích", "Phương", "Diệu",
    "Mai", "Hải", "Lan", "Quỳnh",
)  # fmt: skip

_FEMALE_GIVEN: tuple[str, ...] = (
    "Lan", "Hương", "Hoa", "Mai", "Thảo", "Hà", "Nga", "Hằng", "Liên", "Huyền",
    "Nhung", "Yến", "Thủy", "Trang", "Dung", "Hạnh", "Hiền", "Loan", "Ngân", "Oanh",
    "Phượng", "Quyên", "Tâm", "Thơ", "Vân", "Xuân", "Anh", "Giang", "Hồng", "Tuyết",
    "Chi", "Hòa", "Lý", "Thoa", "Duyên", "Nhàn", "Thắm", "Lệ", "Hậu", "Bình",
)  # fmt: skip


def name_key(name: str) -> str:
    """A comparison key: no diacritics, no case, single spaces.

    ``"Trần Thị Thuỳ Linh"`` and ``"TRAN THI THUY LINH"`` have the same key,
    so spelling variants of a blocked name are blocked too.
    """
    decomposed = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


_BLOCKED_KEYS: frozenset[str] = frozenset(name_key(n) for n in BLOCKED_NAMES)


def is_blocked(name: str, blocked: Iterable[str] = BLOCKED_NAMES) -> bool:
    """True when ``name`` is, or ends with, a blocked name (diacritics and case ignored)."""
    keys = _BLOCKED_KEYS if blocked is BLOCKED_NAMES else {name_key(n) for n in blocked}
    key = name_key(name)
    return any(key == k or key.endswith(" " + k) for k in keys)


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    names = [n for n, _ in weighted]
    weights = [w for _, w in weighted]
    return rng.choices(names, weights=weights, k=1)[0]


class NameGenerator:
    """Invented full names, unique within one generator, reproducible from a seed.

    >>> gen = NameGenerator(7)
    >>> gen.name() == NameGenerator(7).name()
    True
    """

    def __init__(
        self,
        seed: int,
        *,
        region: Region = Region.NATIONWIDE,
        female_share_percent: int = 30,
    ) -> None:
        if not 0 <= female_share_percent <= 100:
            raise ValueError("female_share_percent must be between 0 and 100")
        self._rng = random.Random(f"tinnhiem.demo.names/{region.value}/{seed}")
        self._families = _FAMILY[region]
        self._female_share = female_share_percent
        self._used: set[str] = set()

    def _compose(self, female: bool) -> str:
        rng = self._rng
        family = _pick(rng, self._families)
        if female:
            if rng.randrange(100) < 45:
                # "Nguyễn Thị Thu Hà" or "Nguyễn Thu Hà"
                second = rng.choice(_FEMALE_SECOND)
                middle = f"Thị {second}" if rng.randrange(100) < 55 else second
            else:
                middle = "Thị"
            given = rng.choice(_FEMALE_GIVEN)
        else:
            middle = _pick(rng, _MALE_MIDDLE)
            given = rng.choice(_MALE_GIVEN)
        if middle.split()[-1] == given:
            return ""
        return unicodedata.normalize("NFC", f"{family} {middle} {given}")

    def name(self, *, female: bool | None = None) -> str:
        """A new invented name; ``female`` None draws the gender with the configured share."""
        if female is None:
            female = self._rng.randrange(100) < self._female_share
        for _ in range(10_000):
            candidate = self._compose(female)
            if not candidate or is_blocked(candidate):
                continue
            key = name_key(candidate)
            if key in self._used:
                continue
            self._used.add(key)
            return candidate
        raise RuntimeError("the name lists are exhausted for this generator")

    def names(self, count: int) -> list[str]:
        """``count`` new names."""
        return [self.name() for _ in range(count)]

    @property
    def produced(self) -> frozenset[str]:
        """Keys (:func:`name_key`) of every name produced so far."""
        return frozenset(self._used)

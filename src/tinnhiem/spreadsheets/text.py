"""Text clean-up: Unicode NFC, whitespace, keys for comparing names and headers."""

from __future__ import annotations

import re
import unicodedata

# Characters that show as nothing: zero-width space/joiners, word joiner, BOM.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = re.compile(r"\s+")
# Anything clean_text would change besides NFC: white space other than one
# plain space between words, or an invisible character.
_DIRTY = re.compile(r"[^\S ]|  |^ | $|[\u200b\u200c\u200d\u2060\ufeff]")
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def clean_text(value: str) -> str:
    """NFC, invisible characters removed, every run of white space (tabs,
    line breaks, no-break spaces) made one space, trimmed."""
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    if _DIRTY.search(value) is None:
        return value
    return _SPACES.sub(" ", value.translate(_INVISIBLE)).strip()


def strip_marks(text: str) -> str:
    """Vietnamese without its diacritics: ``Đơn vị`` → ``Don vi``."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def header_key(text: str) -> str:
    """A column header reduced for tolerant matching: lower case, no diacritics,
    no parenthesised notes, punctuation as single spaces.

    ``"Cơ quan, đơn vị (*)"`` → ``"co quan don vi"``;
    ``"Họ và tên\\n(1)"`` → ``"ho va ten"``."""
    text = clean_text(text).casefold()
    text = _PARENS.sub(" ", text)
    text = strip_marks(text)
    return _NON_WORD.sub(" ", text).strip()


def same_key(text: str) -> str:
    """Key for "the same name": NFC, white space collapsed, case folded; the
    diacritics are kept (``Ân`` and ``An`` are different names)."""
    key = clean_text(text).casefold()
    return key if unicodedata.is_normalized("NFC", key) else unicodedata.normalize("NFC", key)


def loose_key(text: str) -> str:
    """Key for "looks like the same name": as :func:`same_key` without diacritics."""
    return header_key(text)


# In TCVN3 (ABC) and VNI fonts Vietnamese letters are stored in code points
# that Unicode reads as Latin-1 punctuation and symbols (ă = ¨, â = ©, ê = ª,
# ô = «, ơ = ¬, ư = soft hyphen, đ = ®, à = µ, á = ¸ …). None of them belongs
# in a Vietnamese name, a position or an agency's name.
_LEGACY = frozenset(chr(c) for c in range(0xA1, 0xC0)) | frozenset("×÷")
_LEGACY_RE = re.compile("[\u00a1-\u00bf\u00d7\u00f7]")


def legacy_characters(text: str) -> str:
    """The characters of ``text`` typical of TCVN3/VNI text read as Unicode, in order."""
    if _LEGACY_RE.search(text) is None:
        return ""
    seen: list[str] = []
    for ch in text:
        if ch in _LEGACY and ch not in seen:
            seen.append(ch)
    return "".join(seen)


_NAME_PUNCT = frozenset(" -'’.")
# Letters (no digits, no underscore) and the name punctuation: the usual case.
_NAME_OK = re.compile(r"(?:[^\W\d_]|[ \-'’.])*")


def bad_name_characters(text: str) -> str:
    """Characters not expected in a person's name (digits, symbols, controls), in order."""
    if _NAME_OK.fullmatch(text) and _LEGACY_RE.search(text) is None:
        return ""
    seen: list[str] = []
    for ch in text:
        if ch in _NAME_PUNCT:
            continue
        cat = unicodedata.category(ch)
        if cat[0] in "LM" and ch not in _LEGACY:
            continue
        if ch not in seen:
            seen.append(ch)
    return "".join(seen)


_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\uf8ff\U000f0000-\U0010ffff]")


def control_characters(text: str) -> str:
    """Control, private-use and surrogate characters of ``text``, in order."""
    if _CONTROL_RE.search(text) is None:
        return ""
    seen: list[str] = []
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Co", "Cs") and ch not in seen:
            seen.append(ch)
    return "".join(seen)


def show_chars(chars: str) -> str:
    """``“¨”, “©”`` for a message; controls as ``U+0007``."""
    out = []
    for ch in chars:
        if unicodedata.category(ch)[0] in "CZ" or ch == "\u00ad":
            out.append(f"U+{ord(ch):04X}")
        else:
            out.append(f"“{ch}”")
    return ", ".join(out)


def shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

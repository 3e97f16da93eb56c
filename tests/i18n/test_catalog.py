"""The English catalog of the web application: complete, consistent with its
source strings and compiled; and the pages really switch language.

The source language of every UI string is Vietnamese (``LANGUAGE_CODE = "vi"``);
English comes from ``locale/en/LC_MESSAGES/django.po``. The catalog is read
with the standard library only (no polib). See ``docs/i18n.md``.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

import tinnhiem
from tinnhiem.accounts.models import User

LC_MESSAGES = Path(tinnhiem.__file__).parent / "locale" / "en" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"

# Letters that only Vietnamese uses: an English msgstr equal to a msgid with
# one of them is a copy of the source, not a translation.
VIETNAMESE = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯ\u0300-\u0323]|[À-ỹ]")

# printf-style directives of python-format entries ("%(n)s", "%s", "%%").
PY_FORMAT = re.compile(
    r"%(?:\([^)]*\))?[#0 +\-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]"
)
NAMED = re.compile(r"%\([^)]*\)[#0 +\-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
BRACE = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
TEMPLATE_VAR = re.compile(r"\{\{\s*[^}]*?\s*\}\}")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> str:
        """The key of this entry in a compiled .mo file."""
        msgid = self.msgid if self.msgid_plural is None else f"{self.msgid}\0{self.msgid_plural}"
        return msgid if self.msgctxt is None else f"{self.msgctxt}\x04{msgid}"

    @property
    def translations(self) -> list[str]:
        return [self.msgstr[i] for i in sorted(self.msgstr)]

    def where(self) -> str:
        return f"django.po:{self.line} {self.msgid!r}"


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"not a PO string: {text!r}")
    escapes = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), text[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """Entries of a PO file, the header (msgid "") first; obsolete ``#~``
    entries and previous-msgid ``#|`` comments are left out."""
    entries: list[Entry] = []
    entry: Entry | None = None
    last: tuple[str, int] | None = None
    keyword = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")

    def finish() -> None:
        if entry is not None and (entry.msgstr or entry.msgid):
            entries.append(entry)

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            entry, last = None, None
            continue
        if line.startswith("#~") or line.startswith("#|"):
            continue
        if entry is None:
            entry = Entry(line=number)
        if line.startswith("#,"):
            entry.flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            continue
        if line.startswith("#"):
            continue
        match = keyword.match(line)
        if match:
            name, index, value = match.groups()
            text = _unquote(value)
            if name == "msgid" and (entry.msgid or entry.msgstr):
                finish()  # two entries without a blank line between them
                entry = Entry(line=number)
            if name.startswith("msgstr"):
                i = int(index) if index is not None else 0
                entry.msgstr[i] = text
                last = ("msgstr", i)
            else:
                setattr(entry, name, text)
                last = (name, 0)
                if name == "msgid":
                    entry.line = number
            continue
        if line.startswith('"') and last is not None:
            text = _unquote(line)
            if last[0] == "msgstr":
                entry.msgstr[last[1]] += text
            else:
                setattr(entry, last[0], (getattr(entry, last[0]) or "") + text)
            continue
        raise ValueError(f"{path.name}:{number}: cannot parse {raw!r}")
    finish()
    return entries


def read_mo(path: Path) -> dict[str, str]:
    """The messages of a compiled .mo file: key (as ``Entry.key``) → translation."""
    data = path.read_bytes()
    (magic,) = struct.unpack("<I", data[:4])
    if magic == 0x950412DE:
        order = "<"
    elif magic == 0xDE120495:
        order = ">"
    else:
        raise ValueError(f"{path.name} is not a .mo file")
    _revision, count, originals, translations = struct.unpack(order + "4I", data[4:20])
    messages = {}
    for i in range(count):
        olen, ooff = struct.unpack(order + "2I", data[originals + 8 * i : originals + 8 * i + 8])
        tlen, toff = struct.unpack(
            order + "2I", data[translations + 8 * i : translations + 8 * i + 8]
        )
        original = data[ooff : ooff + olen].decode("utf-8")
        messages[original] = data[toff : toff + tlen].decode("utf-8")
    return messages


def without_creation_date(catalog: dict[str, str]) -> dict[str, str]:
    """msgfmt (gettext >= 0.19) leaves POT-Creation-Date out of the compiled
    header, and makemessages rewrites it on every run: it is not content."""
    header = catalog.get("")
    if header is None:
        return catalog
    kept = [h for h in header.split("\n") if not h.startswith("POT-Creation-Date:")]
    return {**catalog, "": "\n".join(kept)}


def header_fields(entries: list[Entry]) -> dict[str, str]:
    header = entries[0]
    assert header.msgid == "", "the PO header must come first"
    assert header.msgctxt is None, "the PO header must come first"
    fields = {}
    for line in header.msgstr[0].splitlines():
        name, _, value = line.partition(":")
        fields[name.strip()] = value.strip()
    return fields


def placeholders(text: str, entry: Entry) -> Counter[str]:
    """The placeholders in ``text``, given the format flags of its entry."""
    found: list[str] = []
    if "python-format" in entry.flags:
        found += PY_FORMAT.findall(text)
    else:
        found += NAMED.findall(text)
    if "python-brace-format" in entry.flags:
        found += BRACE.findall(text)
    found += [re.sub(r"\s+", "", v) for v in TEMPLATE_VAR.findall(text)]
    return Counter(found)


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return parse_po(PO)


@pytest.fixture(scope="module")
def messages(entries: list[Entry]) -> list[Entry]:
    """Every entry but the header."""
    return entries[1:]


# -- The catalog ------------------------------------------------------------


def test_the_catalog_has_a_filled_english_header(entries: list[Entry]) -> None:
    fields = header_fields(entries)
    assert fields.get("Language") == "en"
    assert fields.get("Content-Type") == "text/plain; charset=UTF-8"
    assert fields.get("Plural-Forms") == "nplurals=2; plural=(n != 1);"
    assert "fuzzy" not in entries[0].flags, "the header is still marked fuzzy"


def test_the_catalog_is_not_empty(messages: list[Entry]) -> None:
    assert len(messages) > 100
    assert len({m.key for m in messages}) == len(messages), "duplicate msgids"


def test_every_message_is_translated(messages: list[Entry]) -> None:
    untranslated = [
        m.where() for m in messages if not m.msgstr or any(not s for s in m.translations)
    ]
    assert not untranslated, "untranslated:\n" + "\n".join(untranslated)


def test_no_message_is_fuzzy(messages: list[Entry]) -> None:
    fuzzy = [m.where() for m in messages if "fuzzy" in m.flags]
    assert not fuzzy, "fuzzy (check the translation, then drop the flag):\n" + "\n".join(fuzzy)


def test_plural_messages_have_both_english_forms(messages: list[Entry]) -> None:
    for m in messages:
        if m.msgid_plural is not None:
            assert sorted(m.msgstr) == [0, 1], m.where()
        else:
            assert sorted(m.msgstr) == [0], m.where()


def test_no_translation_is_a_copy_of_the_vietnamese_source(messages: list[Entry]) -> None:
    copies = [
        m.where() for m in messages if VIETNAMESE.search(m.msgid) and m.msgid in m.translations
    ]
    assert not copies, "msgstr is the Vietnamese msgid:\n" + "\n".join(copies)


def test_every_placeholder_of_a_msgid_is_in_its_translation(messages: list[Entry]) -> None:
    problems = []
    for m in messages:
        singular = placeholders(m.msgid, m)
        plural = placeholders(m.msgid_plural, m) if m.msgid_plural is not None else singular
        source = set(singular) | set(plural)
        for i, text in sorted(m.msgstr.items()):
            wanted = singular if i == 0 else plural
            got = placeholders(text, m)
            missing = set(wanted) - set(got)
            # English plural form 0 may drop a count it spells out; no other may.
            if m.msgid_plural is not None and i == 0:
                missing -= {p for p in missing if p in plural and p not in singular}
            unknown = set(got) - source
            # Positional directives ("%s") and "%%" must match one for one.
            positional = {p for p in wanted | got if not p.startswith("%(")}
            uneven = {p for p in positional if wanted[p] != got[p]}
            if missing or unknown or uneven:
                problems.append(
                    f"{m.where()} msgstr[{i}]: missing {sorted(missing)}, unknown "
                    f"{sorted(unknown)}, count differs {sorted(uneven)}"
                )
    assert not problems, "\n".join(problems)


# -- The compiled catalog ---------------------------------------------------


def test_the_compiled_catalog_matches_the_po_file(entries: list[Entry]) -> None:
    """Read with the standard library: works with or without gettext installed."""
    assert MO.exists(), "django.mo is missing: compile it with msgfmt (docs/i18n.md)"
    expected = {
        e.key: "\0".join(e.translations)
        for e in entries
        if "fuzzy" not in e.flags and all(e.translations)
    }
    expected = without_creation_date(expected)
    compiled = without_creation_date(read_mo(MO))
    stale = sorted(
        k for k in expected.keys() | compiled.keys() if expected.get(k) != compiled.get(k)
    )
    assert not stale, "django.mo is out of date with django.po for:\n" + "\n".join(
        repr(k) for k in stale[:20]
    )


def test_the_compiled_catalog_is_what_msgfmt_makes_of_the_po_file(tmp_path: Path) -> None:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU gettext's msgfmt is not installed: cannot recompile django.po")
    fresh = tmp_path / "django.mo"
    run = subprocess.run(
        [msgfmt, "--check", "-o", str(fresh), str(PO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, f"msgfmt --check refuses django.po:\n{run.stderr}"
    # The catalogs, not the bytes: msgfmt versions lay the hash table out differently.
    fresh_catalog, committed = (
        without_creation_date(read_mo(fresh)),
        without_creation_date(read_mo(MO)),
    )
    assert fresh_catalog == committed, "django.mo is stale: run msgfmt (docs/i18n.md)"


# -- The pages --------------------------------------------------------------

LOGIN_EN = ("Log in", "Username", "Password")
LOGIN_VI = ("Đăng nhập", "Tên đăng nhập", "Mật khẩu")
HOME_EN = ("Confidence poll plans", "Create plan", "Plan number", "My work", "Log out")
HOME_VI = (
    "Kế hoạch lấy phiếu tín nhiệm",
    "Tạo kế hoạch",
    "Số kế hoạch",
    "Việc của tôi",
    "Đăng xuất",
)


@pytest.fixture(autouse=True)
def _default_language_afterwards() -> Iterator[None]:
    """LocaleMiddleware leaves the last request's language active in the thread:
    put the default back so that later tests get Vietnamese messages."""
    yield
    translation.deactivate()


@pytest.fixture
def organiser(db: None) -> User:
    """An organiser: the home page shows them the form to create a plan."""
    user = User(username="bantochuc", full_name="Chuyên viên Ban Tổ chức", is_organiser=True)
    user.set_unusable_password()
    user.save()
    return user


def _in_english(client: Client, how: str) -> dict[str, str]:
    """Ask for English with the language cookie or the browser's header."""
    if how == "cookie":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return {}
    return {"Accept-Language": "en-GB,en;q=0.9"}


def _page(client: Client, url: str, headers: dict[str, str] | None = None) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def _assert_language(
    page: str, lang: str, present: tuple[str, ...], absent: tuple[str, ...]
) -> None:
    assert f'<html lang="{lang}">' in page
    for text in present:
        assert text in page, f"{text!r} missing from the {lang} page"
    for text in absent:
        assert text not in page, f"{text!r} left on the {lang} page"


@pytest.mark.parametrize("how", ["cookie", "header"])
def test_the_login_page_is_in_english_when_asked(client: Client, db: None, how: str) -> None:
    page = _page(client, reverse("accounts:login"), _in_english(client, how))
    _assert_language(page, "en", LOGIN_EN, LOGIN_VI)


@pytest.mark.parametrize("how", ["cookie", "header"])
def test_a_logged_in_page_is_in_english_when_asked(
    client: Client, organiser: User, how: str
) -> None:
    client.force_login(organiser)
    page = _page(client, reverse("campaigns:home"), _in_english(client, how))
    _assert_language(page, "en", HOME_EN, HOME_VI)


def test_the_language_switch_of_the_header_turns_the_pages_english(
    client: Client, organiser: User
) -> None:
    client.force_login(organiser)
    home = reverse("campaigns:home")
    response = client.post(reverse("set_language"), {"language": "en", "next": home})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    _assert_language(_page(client, home), "en", HOME_EN, HOME_VI)


def test_vietnamese_is_the_default(client: Client, organiser: User) -> None:
    assert settings.LANGUAGE_CODE == "vi"
    _assert_language(_page(client, reverse("accounts:login")), "vi", LOGIN_VI, LOGIN_EN)
    client.force_login(organiser)
    _assert_language(_page(client, reverse("campaigns:home")), "vi", HOME_VI, HOME_EN)


def test_an_unsupported_language_falls_back_to_vietnamese(client: Client, db: None) -> None:
    page = _page(client, reverse("accounts:login"), {"Accept-Language": "fr-FR,fr;q=0.9"})
    _assert_language(page, "vi", LOGIN_VI, LOGIN_EN)

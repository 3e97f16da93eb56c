"""``tinnhiem tally FILE [--json] [--lang vi|en] [--param NAME=VALUE]…``

Reads a ``tinnhiem.conference-record/1`` file (``-`` for standard input),
counts it under its regulation profile and prints the result: a Vietnamese
table shaped like the result report of Phụ lục 4, or with ``--json`` the
``tinnhiem.tally-result/1`` object. Bad input exits with status 2 and one
line naming the file, the JSON path and the fault; never a traceback.

This module must not import Django (an import-linter contract and a test
check it): the tally must run on an archive machine with nothing else.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from tinnhiem.cli.render import render_tally
from tinnhiem.record import RecordError, loads_record, tally_result_to_json
from tinnhiem.rules import RulesError, get_profile, tally

EXIT_BAD_INPUT = 2


class BadInputError(Exception):
    """Input the command refuses; printed as one line, exit status 2."""

    def __init__(self, message_vi: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_vi = message_vi
        self.message_en = message_en

    def message(self, lang: str) -> str:
        return self.message_en if lang == "en" else self.message_vi


def add_parser(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "tally",
        help="đếm phiếu một hồ sơ hội nghị / tally a conference record",
        description="Tally a tinnhiem.conference-record/1 file under its regulation profile.",
    )
    p.add_argument("file", metavar="FILE", help="conference record (JSON); '-' reads stdin")
    p.add_argument("--json", action="store_true", help="print tinnhiem.tally-result/1 JSON")
    p.add_argument("--lang", choices=("vi", "en"), default="vi", help="language (default vi)")
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a named profile parameter, e.g. percentage_base=issued (repeatable)",
    )
    p.set_defaults(handler=run)


def read_text(file: str) -> tuple[str, str]:
    """(display name, text) of FILE or of standard input for '-'."""
    if file == "-":
        data = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        name = file
        try:
            with open(file, "rb") as fh:
                data = fh.read()
        except FileNotFoundError:
            raise BadInputError(f"{name}: không tìm thấy tệp", f"{name}: no such file") from None
        except IsADirectoryError:
            raise BadInputError(f"{name}: là một thư mục", f"{name}: is a directory") from None
        except OSError as e:
            raise BadInputError(
                f"{name}: không đọc được tệp ({e.strerror})",
                f"{name}: cannot read file ({e.strerror})",
            ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise BadInputError(
            f"{name}: không phải văn bản UTF-8 (byte {e.start})",
            f"{name}: not UTF-8 text (byte {e.start})",
        ) from None
    return name, text


def parse_params(items: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        name, eq, value = item.partition("=")
        if not eq or not name.strip():
            raise BadInputError(
                f"--param '{item}': cần dạng TÊN=GIÁ_TRỊ",
                f"--param '{item}': expected NAME=VALUE",
            )
        out[name.strip()] = value.strip()
    return out


def run(args: argparse.Namespace) -> int:
    lang: str = args.lang
    name, text = read_text(args.file)
    try:
        record = loads_record(text)
    except RecordError as e:
        raise BadInputError(f"{name}: {e.message('vi')}", f"{name}: {e.message('en')}") from None
    try:
        profile = get_profile(record.profile_id).with_overrides(parse_params(args.param))
        result = tally(record.conference, profile)
    except RulesError as e:
        path = "$.members_total: " if e.code == "missing_base" else ""
        raise BadInputError(
            f"{name}: {path}{e.message_vi}", f"{name}: {path}{e.message_en}"
        ) from None
    if args.json:
        out = json.dumps(tally_result_to_json(result, lang), ensure_ascii=False, indent=2)
        sys.stdout.write(out + "\n")
    else:
        sys.stdout.write(render_tally(record, result, lang))
    return 0

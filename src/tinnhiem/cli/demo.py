"""``tinnhiem demo [--port N] [--no-serve]``: the web application with demo data.

Django is imported only when this command runs, so ``tinnhiem tally`` never
loads it.
"""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "demo",
        help="chạy ứng dụng web với dữ liệu minh họa / run the web app with demo data",
        description="Migrate an embedded SQLite database (or DATABASE_URL), load the demo "
        "round once, print one account per role and serve on 127.0.0.1.",
    )
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--no-serve", action="store_true", help="load the data and stop")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from django.db import DatabaseError

    from tinnhiem.cli.tally import BadInputError
    from tinnhiem.config.demo import run as demo_run

    try:
        return demo_run(port=args.port, serve=not args.no_serve)
    except DatabaseError as e:
        raise BadInputError(
            f"lỗi cơ sở dữ liệu: {e}".splitlines()[0],
            f"database error: {e}".splitlines()[0],
        ) from None

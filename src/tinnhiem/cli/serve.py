"""``tinnhiem serve``: the web application for real use, behind gunicorn.

``tinnhiem demo`` serves with Django's development server, one process. This
command runs gunicorn (decision 0020): several worker processes, each with
a few threads, the database migrated first. Configuration is the same
environment as everywhere (``DATABASE_URL``, ``TINNHIEM_DATA_DIR``,
``TINNHIEM_SECRET_KEY``, ``TINNHIEM_HTTPS``, ``TINNHIEM_ALLOWED_HOSTS``…, see
the README).

No access log is written: the casting pages of electronic ballots are
anonymous, and a log line with an address and a time next to a cast would
undo that (decision 0016).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

DEFAULT_WORKERS = 2
DEFAULT_THREADS = 4


def add_parser(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "serve",
        help="chạy ứng dụng web (gunicorn) / serve the web app (gunicorn)",
        description="Migrate the database (DATABASE_URL, or SQLite in TINNHIEM_DATA_DIR) and "
        "serve the web application with gunicorn.",
    )
    p.add_argument("--bind", default="127.0.0.1:8000", help="address:port (default 127.0.0.1:8000)")
    p.add_argument(
        "--workers",
        type=int,
        default=DEFAULT_WORKERS,
        help=f"worker processes (default {DEFAULT_WORKERS})",
    )
    p.add_argument(
        "--threads",
        type=int,
        default=DEFAULT_THREADS,
        help=f"threads per worker (default {DEFAULT_THREADS})",
    )
    p.add_argument("--no-migrate", action="store_true", help="do not migrate first")
    p.set_defaults(handler=run)


def options(args: argparse.Namespace) -> dict[str, Any]:
    """gunicorn's settings for these arguments."""
    from tinnhiem.cli.tally import BadInputError

    if not 1 <= args.workers <= 64:
        raise BadInputError("--workers: cần từ 1 đến 64", "--workers: 1 to 64")
    if not 1 <= args.threads <= 64:
        raise BadInputError("--threads: cần từ 1 đến 64", "--threads: 1 to 64")
    return {
        "bind": [args.bind],
        "workers": args.workers,
        "threads": args.threads,
        "worker_class": "gthread",
        # Large documents are built in the background (delivery); a request
        # longer than this is stuck.
        "timeout": 120,
        "graceful_timeout": 30,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "tinnhiem",
    }


def run(args: argparse.Namespace) -> int:
    from django.db import DatabaseError

    from tinnhiem.cli.tally import BadInputError

    config = options(args)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinnhiem.config.settings")
    import django
    from django.conf import settings as django_settings
    from django.core.management import call_command

    django.setup()
    if not args.no_migrate:
        try:
            call_command("migrate", interactive=False, verbosity=0)
        except DatabaseError as e:
            raise BadInputError(
                f"lỗi cơ sở dữ liệu: {e}".splitlines()[0],
                f"database error: {e}".splitlines()[0],
            ) from None
    database = django_settings.DATABASES["default"]
    sys.stdout.write(
        f"Tín Nhiệm: http://{args.bind}/ · {database['ENGINE'].rsplit('.', 1)[-1]} "
        f"{database['NAME']} · {args.workers} × {args.threads} (Ctrl+C để dừng)\n"
    )
    sys.stdout.flush()
    _Gunicorn(config).run()
    return 0


def _application() -> Any:
    from tinnhiem.config.wsgi import application

    return application


class _Gunicorn:
    """gunicorn's ``BaseApplication`` for our WSGI application (built lazily: gunicorn
    is imported only by this command)."""

    def __init__(self, settings: dict[str, Any]) -> None:
        from gunicorn.app.base import BaseApplication  # type: ignore[import-untyped]

        outer = settings

        class Application(BaseApplication):  # type: ignore[misc]
            def load_config(self) -> None:
                for key, value in outer.items():
                    self.cfg.set(key, value)

            def load(self) -> Any:
                return _application()

        self._app = Application()

    def run(self) -> None:
        self._app.run()

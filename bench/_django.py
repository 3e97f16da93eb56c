"""A new, empty database for a benchmark, and its removal: SQLite in a fresh
data directory (the default), or a new PostgreSQL database on a server."""

from __future__ import annotations

import os
import shutil
import tempfile
from typing import Any
from urllib.parse import urlsplit


def new_database(name: str, db: str = "sqlite", pg_url: str | None = None) -> dict[str, Any]:
    """Point Django at a new, empty database, set Django up and migrate.

    Returns where it is: ``engine``, ``data_dir``, ``database`` and the server's
    or SQLite's version."""
    tmp = tempfile.mkdtemp(prefix=f"tinnhiem-bench-{name}-")
    os.mkdir(os.path.join(tmp, "static"))  # STATIC_ROOT, for whitenoise
    os.environ["DJANGO_SETTINGS_MODULE"] = "tinnhiem.config.settings"
    os.environ["TINNHIEM_SECRET_KEY"] = "bench-only-not-secret"
    os.environ["TINNHIEM_DATA_DIR"] = tmp
    os.environ.pop("TINNHIEM_DEBUG", None)
    info: dict[str, Any] = {"engine": db, "data_dir": tmp, "pg_url": pg_url}
    if db == "sqlite":
        os.environ.pop("DATABASE_URL", None)
    else:
        import psycopg

        assert pg_url, "a PostgreSQL server URL is needed"
        database = f"tinnhiem_bench_{name}_{os.getpid()}"
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}"')
            conn.execute(f"CREATE DATABASE \"{database}\" ENCODING 'UTF8' TEMPLATE template0")
            row = conn.execute("SHOW server_version").fetchone()
            info["server_version"] = row[0] if row else None
        os.environ["DATABASE_URL"] = urlsplit(pg_url)._replace(path=f"/{database}").geturl()
        info["database"] = database
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    if db == "sqlite":
        info["sqlite_version"] = connection.Database.sqlite_version
        info["database"] = str(connection.settings_dict["NAME"])
    return info


def drop_database(info: dict[str, Any]) -> None:
    """Remove what :func:`new_database` made."""
    from django.db import connections

    connections.close_all()
    if info["engine"] == "postgres":
        import psycopg

        with psycopg.connect(info["pg_url"], autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{info["database"]}" WITH (FORCE)')
    shutil.rmtree(info["data_dir"], ignore_errors=True)

"""Uploaded files kept between a preview and its confirmation.

The bytes are stored under the data directory by their SHA-256; the
confirmation names the digest, the file is read again and previewed again,
so what is written is exactly what the user saw.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from django.conf import settings

_DIGEST = re.compile(r"^[0-9a-f]{64}$")


def _folder() -> Path:
    folder = Path(settings.DATA_DIR) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def upload_store(data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()
    path = _folder() / digest
    if not path.exists():
        path.write_bytes(data)
    return digest


def upload_load(digest: str) -> bytes | None:
    if not _DIGEST.match(digest):
        return None
    path = _folder() / digest
    return path.read_bytes() if path.exists() else None

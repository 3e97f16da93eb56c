"""Write tests/crypto/vectors/*.json from tests/crypto/kat.py (run once, then commit).

    uv run python -m tests.crypto.make_vectors

``rfc9496.json`` is not generated: it holds the RFC's own test vectors.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.crypto import kat

VECTORS = Path(__file__).parent / "vectors"


def write(name: str, value: object) -> None:
    path = VECTORS / f"{name}.json"
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path.name}")


def main() -> None:
    write("primitives", kat.build_primitives())
    for name in kat.ARCHIVES:
        write(name, kat.build_archive(name))
    write("ballot", kat.build_ballot())


if __name__ == "__main__":
    main()

"""``tinnhiem trustee``: the counting committee member's own tool, run offline.

Each member of the counting committee (tổ kiểm phiếu, the *trustees* of the
key ceremony) runs these sub-commands on their own device, which never talks
to the voting server: files travel on a USB stick. The file formats are those
of :mod:`tinnhiem.crypto.files`; the ceremony is described step by step in
``docs/evote-ceremony.md``.

``init INVITATION --keystore DIR``
    Generates the member's signing and encryption keys into the private
    keystore ``DIR/tinnhiem-trustee-<uuid>.json`` (permissions 0600, never
    overwritten) and writes the certificate file to hand to the server.
``deal CERTIFICATES --keystore DIR``
    Checks every certificate (numbering, names of the invitation, this
    member's own certificate unchanged, proofs and signatures) and writes
    this member's dealing. Running it again with the same certificates
    writes the same dealing.
``finish DEALINGS --keystore DIR``
    Checks that the dealings were made for the certificates dealt to and that
    this member's dealing is unchanged, opens and checks every share, keeps
    the decryption share in the keystore and writes the verification key,
    or, when a share is bad, a complaint (exit status 1).
``decrypt ARCHIVE --keystore DIR [--minutes FILE]``
    Checks that the archive's key ceremony is the one this member took part
    in, re-verifies the whole board with :func:`tinnhiem.crypto.verify.verify_archive`
    and refuses (exit 1, with the verifier's findings) if anything is wrong;
    otherwise writes the partial decryption of the encrypted tally.
``show --keystore DIR``
    Prints the fingerprints to read aloud into the minutes (biên bản).

Messages are in Vietnamese (``--lang en`` for English); bad input is one line
on standard error and exit status 2, never a traceback. The keystore never
leaves the device: the server never needs it.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from typing import Any


def _lazy(name: str) -> Callable[[argparse.Namespace], int]:
    """The step ``name`` of :mod:`.trustee_steps`, imported when it runs."""

    def run(args: argparse.Namespace) -> int:
        from tinnhiem.cli import trustee_steps

        handler: Callable[[argparse.Namespace], int] = trustee_steps.guarded(
            getattr(trustee_steps, name)
        )
        return handler(args)

    return run


# ------------------------------------------------------------------ parser


def add_parser(subparsers: Any) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=("vi", "en"), default="vi", help="language (default vi)")
    common.add_argument(
        "--keystore",
        required=True,
        metavar="DIR",
        help="thư mục kho khóa riêng / private keystore directory (USB stick of the member)",
    )
    out = argparse.ArgumentParser(add_help=False)
    out.add_argument("--out", metavar="FILE", help="output file (default: a name in .)")

    p = subparsers.add_parser(
        "trustee",
        help="công cụ của thành viên tổ kiểm phiếu (ngoại tuyến) / offline trustee tool",
        description="The counting committee member's offline tool for the e-voting key "
        "ceremony and the decryption (see docs/evote-ceremony.md).",
    )
    sub = p.add_subparsers(dest="trustee_command", metavar="STEP", required=True)

    s = sub.add_parser(
        "init", parents=[common, out], help="tạo khóa / generate keys and the certificate"
    )
    s.add_argument("invitation", metavar="INVITATION", help="tinnhiem.evote-invitation/1 file")
    s.set_defaults(handler=_lazy("run_init"))

    s = sub.add_parser(
        "deal", parents=[common, out], help="kiểm tra chứng chỉ, tạo phần chia / write the dealing"
    )
    s.add_argument("certificates", metavar="CERTIFICATES", help="tinnhiem.evote-certificates/1")
    s.set_defaults(handler=_lazy("run_deal"))

    s = sub.add_parser(
        "finish",
        parents=[common, out],
        help="mở, kiểm tra phần chia / check shares, write the verification key",
    )
    s.add_argument("dealings", metavar="DEALINGS", help="tinnhiem.evote-dealings/1 file")
    s.set_defaults(handler=_lazy("run_finish"))

    s = sub.add_parser(
        "decrypt",
        parents=[common, out],
        help="kiểm tra hồ sơ, giải mã một phần / verify the archive, partial decryption",
    )
    s.add_argument("archive", metavar="ARCHIVE", help="tinnhiem.evote-archive/1 file")
    s.add_argument("--minutes", metavar="FILE", help="JSON of values from the signed minutes")
    s.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes")
    s.set_defaults(handler=_lazy("run_decrypt"))

    s = sub.add_parser("show", parents=[common], help="in dấu vân tay / print the fingerprints")
    s.add_argument("--election-uuid", help="which election, when DIR holds several")
    s.set_defaults(handler=_lazy("run_show"))

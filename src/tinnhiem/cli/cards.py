"""``tinnhiem cards``: credential cards for electronic voting, made on an offline device.

``generate --count N (--invitation FILE | --election-uuid U --conference NAME) --pdf CARDS.pdf
--list CREDENTIALS.json``
    Draws N private credentials (:func:`tinnhiem.crypto.credentials.generate_credential`,
    the operating system's CSPRNG), prints them as cards (:mod:`tinnhiem.documents.cards`)
    and writes the public credential list (``tinnhiem.evote-credentials/1``) to upload.
    The private credentials are written nowhere but the PDF: print it, seal the
    cards in envelopes, delete it.
``void [CARD …] [--scanned FILE] --list CREDENTIALS.json --out VOID.json``
    The unissued cards, read from their QR codes (``TNC1:<uuid>:<credential>``,
    one per argument or per line of FILE) or typed from the readable groups,
    become the list of voided credentials (``tinnhiem.evote-void/1``). Each must
    be in the credential list. A card number alone cannot be voided: no table
    ties a number to a credential, by design.

Messages are in Vietnamese (``--lang en`` for English); bad input is one line
and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

MAX_COUNT = 10_000


def _guarded(
    handler: Callable[[argparse.Namespace], int],
) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        from tinnhiem.cli.trustee_steps import guarded

        return guarded(handler)(args)

    return run


def add_parser(subparsers: Any) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=("vi", "en"), default="vi", help="language (default vi)")
    p = subparsers.add_parser(
        "cards",
        help="thẻ bỏ phiếu điện tử (ngoại tuyến) / e-voting credential cards (offline)",
        description="Generate credential cards (PDF) and the public credential list, "
        "or void the unissued cards.",
    )
    sub = p.add_subparsers(dest="cards_command", metavar="STEP", required=True)
    g = sub.add_parser("generate", parents=[common], help="tạo thẻ / generate the cards")
    g.add_argument("--count", type=int, required=True, help="number of cards")
    g.add_argument("--invitation", metavar="FILE", help="a tinnhiem.evote-invitation/1 file")
    g.add_argument("--election-uuid", help="the election uuid (without --invitation)")
    g.add_argument("--conference", help="conference name printed on the cards")
    g.add_argument("--pdf", required=True, metavar="FILE", help="PDF of the cards to print")
    g.add_argument("--list", required=True, metavar="FILE", help="public credential list")
    g.set_defaults(handler=_guarded(run_generate))
    v = sub.add_parser("void", parents=[common], help="hủy thẻ chưa phát / void unissued cards")
    v.add_argument("cards", nargs="*", metavar="CARD", help="QR text or typed credential")
    v.add_argument("--scanned", metavar="FILE", help="one QR text or credential per line")
    v.add_argument("--list", required=True, metavar="FILE", help="the public credential list")
    v.add_argument("--out", required=True, metavar="FILE", help="the void list to upload")
    v.set_defaults(handler=_guarded(run_void))


def run_generate(args: argparse.Namespace) -> int:
    from pathlib import Path

    from tinnhiem.cli.tally import BadInputError
    from tinnhiem.cli.trustee_steps import Out, grouped, parse, write_private, write_public
    from tinnhiem.crypto.credentials import (
        credential_keypair,
        credentials_fingerprint,
        generate_credential,
    )
    from tinnhiem.crypto.errors import FormatError
    from tinnhiem.crypto.files import check_election_uuid, read_invitation, write_credentials
    from tinnhiem.crypto.randomness import system_random
    from tinnhiem.documents.cards import Card, render_cards
    from tinnhiem.documents.errors import DocumentError

    say = Out(args.lang)
    if not 1 <= args.count <= MAX_COUNT:
        raise BadInputError(
            f"--count: cần từ 1 đến {MAX_COUNT} thẻ", f"--count: 1 to {MAX_COUNT} cards"
        )
    if args.invitation:
        if args.election_uuid:
            raise BadInputError(
                "--election-uuid: không dùng cùng --invitation",
                "--election-uuid: not with --invitation",
            )
        invitation = parse(args.invitation, read_invitation)
        uuid, conference = invitation.election_uuid, args.conference or invitation.title
    else:
        if not args.election_uuid or not args.conference:
            raise BadInputError(
                "cần --invitation, hoặc cả --election-uuid và --conference",
                "need --invitation, or both --election-uuid and --conference",
            )
        try:
            uuid = check_election_uuid(args.election_uuid, "--election-uuid")
        except FormatError as e:
            raise BadInputError(str(e), str(e)) from None
        conference = args.conference
    rng = system_random()
    credentials: dict[str, None] = {}  # insertion-ordered; a repeat (never seen) is redrawn
    while len(credentials) < args.count:
        credentials[generate_credential(rng)] = None
    publics = [credential_keypair(uuid, c).public for c in credentials]
    cards = [Card(number, c) for number, c in enumerate(credentials, start=1)]
    try:
        pdf = render_cards(conference, uuid, cards)
    except DocumentError as e:
        raise BadInputError(e.message_vi, e.message_en) from None
    write_private(Path(args.pdf), pdf)  # the only copy of the private credentials
    write_public(Path(args.list), write_credentials(uuid, publics))
    fingerprint = credentials_fingerprint(publics)
    say(
        f"Đã tạo {len(cards)} thẻ cho cuộc bỏ phiếu {uuid}: {args.pdf} "
        "(in, niêm phong từng thẻ trong phong bì, rồi xóa tệp này).",
        f"Made {len(cards)} cards for election {uuid}: {args.pdf} "
        "(print, seal each card in an envelope, then delete this file).",
    )
    say(
        f"Danh sách khóa công khai để nộp: {args.list}",
        f"Public credential list to upload: {args.list}",
    )
    say(
        f"Dấu vân tay danh sách (ghi vào biên bản): {grouped(fingerprint)}",
        f"List fingerprint (for the minutes): {grouped(fingerprint)}",
    )
    return 0


def run_void(args: argparse.Namespace) -> int:
    from pathlib import Path

    from tinnhiem.cli.tally import BadInputError
    from tinnhiem.cli.trustee_steps import Out, grouped, parse, read_bytes, write_public
    from tinnhiem.crypto.credentials import credential_keypair, credentials_fingerprint
    from tinnhiem.crypto.errors import FormatError
    from tinnhiem.crypto.files import (
        CARD_QR_PREFIX,
        election_uuid_of,
        normalize_credential,
        parse_card_qr,
        read_credentials,
        write_void,
    )
    from tinnhiem.crypto.group import Element

    say = Out(args.lang)
    listed = set(parse(args.list, read_credentials))
    uuid = parse(args.list, election_uuid_of)
    items = [(f"CARD {i}", c) for i, c in enumerate(args.cards, start=1)]
    if args.scanned:
        try:
            text = read_bytes(args.scanned).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise BadInputError(
                f"{args.scanned}: không phải văn bản UTF-8", f"{args.scanned}: not UTF-8 text"
            ) from None
        lines = enumerate(text.splitlines(), start=1)
        items += [(f"{args.scanned}:{n}", line) for n, line in lines if line.strip()]
    voided: list[Element] = []
    for where, item in items:
        try:
            if item.strip().startswith(CARD_QR_PREFIX + ":"):
                _, credential = parse_card_qr(item, uuid)
            else:
                credential = normalize_credential(item)
        except FormatError as e:
            raise BadInputError(
                f"{where}: không đọc được mã thẻ ({e})", f"{where}: not a card code ({e})"
            ) from None
        public = credential_keypair(uuid, credential).public
        if public not in listed:
            raise BadInputError(
                f"{where}: thẻ này không có trong danh sách {args.list}",
                f"{where}: this card is not in the list {args.list}",
            )
        if public in voided:
            raise BadInputError(
                f"{where}: thẻ này đã được nhập một lần", f"{where}: this card was given twice"
            )
        voided.append(public)
    write_public(Path(args.out), write_void(uuid, voided))
    say(
        f"Đã hủy {len(voided)} thẻ chưa phát; còn {len(listed) - len(voided)} thẻ hiệu lực.",
        f"Voided {len(voided)} unissued cards; {len(listed) - len(voided)} remain active.",
    )
    say(f"Danh sách hủy để nộp: {args.out}", f"Void list to upload: {args.out}")
    if voided:
        fingerprint = grouped(credentials_fingerprint(voided))
        say(
            f"Dấu vân tay danh sách hủy (ghi vào biên bản): {fingerprint}",
            f"Void list fingerprint (for the minutes): {fingerprint}",
        )
    return 0

"""The steps of ``tinnhiem trustee`` (see :mod:`tinnhiem.cli.trustee`).

Kept apart from the argument parser so that the cryptographic core is
imported only when a ``trustee`` step runs, not by every ``tinnhiem`` command.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from tinnhiem.cli.tally import BadInputError
from tinnhiem.crypto.board import Kind, read_entries
from tinnhiem.crypto.canonical import digest, loads
from tinnhiem.crypto.decryption import make_partial_decryption, partial_decryption_problems
from tinnhiem.crypto.dkg import (
    Dealing,
    deal,
    finish,
    make_certificate,
    make_complaint,
    receive_share,
    trustee_keys,
    verify_certificate,
)
from tinnhiem.crypto.errors import CryptoError, FormatError, ShareComplaintError
from tinnhiem.crypto.files import (
    Keystore,
    check_election_uuid,
    read_certificates,
    read_dealings,
    read_invitation,
    read_keystore,
    write_certificate,
    write_complaint,
    write_dealing,
    write_keystore,
    write_partial_decryption,
    write_verification_key,
)
from tinnhiem.crypto.randomness import RandomSource, system_random
from tinnhiem.crypto.setup import Setup
from tinnhiem.crypto.tally import EncryptedTally
from tinnhiem.crypto.verify import Minutes, Severity, verify_archive

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_BAD_INPUT = 2

KEYSTORE_PREFIX = "tinnhiem-trustee-"


# ----------------------------------------------------------------- helpers


class Out:
    """Bilingual output to standard output."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, vi: str, en: str) -> None:
        print(en if self.lang == "en" else vi)


def read_bytes(path: str) -> bytes:
    """The bytes of ``path``; one bilingual line when it cannot be read."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise BadInputError(f"{path}: không tìm thấy tệp", f"{path}: no such file") from None
    except IsADirectoryError:
        raise BadInputError(f"{path}: là một thư mục", f"{path}: is a directory") from None
    except OSError as e:
        raise BadInputError(
            f"{path}: không đọc được tệp ({e.strerror})", f"{path}: cannot read ({e.strerror})"
        ) from None


def parse(path: str, reader: Callable[[bytes], Any]) -> Any:
    """``reader(bytes of path)``, a :class:`FormatError` becoming one line naming the file."""
    data = read_bytes(path)
    try:
        return reader(data)
    except FormatError as e:
        raise BadInputError(
            f"{path}: tệp không hợp lệ: {e}", f"{path}: invalid file: {e}"
        ) from None


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` atomically with permissions 0600 (the file never exists readable).

    For the keystore and the PDF of the credential cards: files holding secrets.
    """
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.unlink(missing_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except OSError as e:
        raise BadInputError(
            f"{path}: không ghi được tệp ({e.strerror})",
            f"{path}: cannot write ({e.strerror})",
        ) from None


def write_public(path: Path, data: bytes) -> None:
    """Write an output file (to hand to the server)."""
    try:
        path.write_bytes(data)
    except OSError as e:
        raise BadInputError(
            f"{path}: không ghi được tệp ({e.strerror})", f"{path}: cannot write ({e.strerror})"
        ) from None


def keystore_path(directory: str, election_uuid: str) -> Path:
    """``DIR/tinnhiem-trustee-<uuid>.json``."""
    return Path(directory) / f"{KEYSTORE_PREFIX}{election_uuid}.json"


def load_keystore(directory: str, election_uuid: str, lang: str) -> tuple[Path, Keystore]:
    """This device's keystore for ``election_uuid``."""
    path = keystore_path(directory, election_uuid)
    if not path.is_file():
        raise BadInputError(
            f"{directory}: không có kho khóa cho cuộc bỏ phiếu {election_uuid} "
            "(hãy chạy 'tinnhiem trustee init' trước)",
            f"{directory}: no keystore for election {election_uuid} "
            "(run 'tinnhiem trustee init' first)",
        )
    if path.stat().st_mode & 0o077:
        # A warning, not a refusal: a USB stick formatted FAT shows every file as readable.
        vi = f"{path}: chú ý: người khác trên máy này đọc được kho khóa (hãy chạy chmod 600)"
        en = f"{path}: warning: other users of this machine can read the keystore (chmod 600)"
        sys.stderr.write(f"{en if lang == 'en' else vi}\n")
    return path, parse(str(path), lambda d: read_keystore(d, election_uuid))


def output_path(args: argparse.Namespace, kind: str, keystore: Keystore) -> Path:
    if args.out:
        return Path(args.out)
    inv = keystore.invitation
    return Path(f"tinnhiem-{kind}-{inv.election_uuid}-{inv.trustee}.json")


def refuse(vi: str, en: str) -> BadInputError:
    return BadInputError(vi, en)


def grouped(hex_text: str, size: int = 4) -> str:
    """``abcd ef01 …``: a fingerprint in groups, easier to read aloud."""
    return " ".join(hex_text[i : i + size] for i in range(0, len(hex_text), size))


def guarded(
    handler: Callable[[argparse.Namespace], int],
) -> Callable[[argparse.Namespace], int]:
    """``handler`` with any refusal of the crypto core turned into one line (exit 2)."""

    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except CryptoError as e:
            raise BadInputError(f"dữ liệu không hợp lệ: {e}", f"invalid data: {e}") from None

    return run


def rng() -> RandomSource:
    return system_random()


# -------------------------------------------------------------------- init


def run_init(args: argparse.Namespace) -> int:
    say = Out(args.lang)
    invitation = parse(args.invitation, read_invitation)
    directory = Path(args.keystore)
    path = keystore_path(args.keystore, invitation.election_uuid)
    if path.exists():
        raise refuse(
            f"{path}: đã có kho khóa cho cuộc bỏ phiếu này; không ghi đè khóa",
            f"{path}: a keystore for this election exists already; keys are never overwritten",
        )
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as e:
        raise refuse(
            f"{directory}: không tạo được thư mục ({e.strerror})",
            f"{directory}: cannot create the directory ({e.strerror})",
        ) from None
    source = rng()
    keys = trustee_keys(invitation.trustee, invitation.name, source)
    certificate = make_certificate(invitation.election_uuid, keys, source)
    keystore = Keystore(
        invitation=invitation,
        signing_secret=keys.signing.secret,
        encryption_secret=keys.encryption.secret,
        certificate=certificate,
    )
    write_private(path, write_keystore(keystore))
    target = output_path(args, "certificate", keystore)
    write_public(target, write_certificate(invitation.election_uuid, certificate))
    fingerprint = digest(certificate.to_json())
    say(
        f"Đã tạo khóa của thành viên {invitation.trustee}/{invitation.n} "
        f"({invitation.name}) vào {path} (chỉ chủ sở hữu đọc được).",
        f"Keys of trustee {invitation.trustee}/{invitation.n} ({invitation.name}) "
        f"written to {path} (owner-only).",
    )
    say(f"Chứng chỉ để nộp: {target}", f"Certificate to upload: {target}")
    say(
        f"Dấu vân tay chứng chỉ: {grouped(fingerprint[:32])}",
        f"Certificate fingerprint: {grouped(fingerprint[:32])}",
    )
    return EXIT_OK


# -------------------------------------------------------------------- deal


def run_deal(args: argparse.Namespace) -> int:
    say = Out(args.lang)
    cert_set = parse(args.certificates, read_certificates)
    uuid = cert_set.election_uuid
    path, keystore = load_keystore(args.keystore, uuid, args.lang)
    inv = keystore.invitation
    name = args.certificates
    certs = cert_set.certificates
    if len(certs) != inv.n or cert_set.threshold != inv.threshold:
        raise refuse(
            f"{name}: {len(certs)} chứng chỉ, ngưỡng {cert_set.threshold}; thư mời ghi "
            f"{inv.n} thành viên, ngưỡng {inv.threshold}",
            f"{name}: {len(certs)} certificates, threshold {cert_set.threshold}; the "
            f"invitation says {inv.n} trustees, threshold {inv.threshold}",
        )
    for cert, expected in zip(certs, inv.trustees, strict=True):
        if cert.name != expected:
            raise refuse(
                f"{name}: chứng chỉ {cert.index} mang tên {cert.name!r}, thư mời ghi {expected!r}",
                f"{name}: certificate {cert.index} names {cert.name!r}, "
                f"the invitation says {expected!r}",
            )
    if certs[inv.trustee - 1] != keystore.certificate:
        raise refuse(
            f"{name}: chứng chỉ {inv.trustee} không phải chứng chỉ của thiết bị này",
            f"{name}: certificate {inv.trustee} is not this device's certificate",
        )
    for cert in certs:
        if not verify_certificate(uuid, cert):
            raise refuse(
                f"{name}: chứng chỉ {cert.index} ({cert.name}): chữ ký hoặc chứng minh sai",
                f"{name}: certificate {cert.index} ({cert.name}): "
                "signature or proof does not verify",
            )
    fingerprint = cert_set.fingerprint
    dealing: Dealing
    if keystore.dealing is not None:
        if keystore.certificates_hash != fingerprint:
            raise refuse(
                f"{name}: thiết bị này đã tạo phần chia cho một bộ chứng chỉ khác; "
                "không tạo phần chia thứ hai",
                f"{name}: this device already dealt to another set of certificates; "
                "no second dealing",
            )
        dealing = keystore.dealing
    else:
        dealing, _ = deal(uuid, inv.threshold, certs, keystore.keys, rng())
        keystore = replace(keystore, certificates_hash=fingerprint, dealing=dealing)
        write_private(path, write_keystore(keystore))
    target = output_path(args, "dealing", keystore)
    write_public(target, write_dealing(uuid, dealing))
    say(
        f"Đã kiểm tra {len(certs)} chứng chỉ: đều hợp lệ.",
        f"Checked {len(certs)} certificates: all valid.",
    )
    say(f"Phần chia để nộp: {target}", f"Dealing to upload: {target}")
    say(
        f"Dấu vân tay bộ chứng chỉ: {grouped(fingerprint[:32])}",
        f"Certificate set fingerprint: {grouped(fingerprint[:32])}",
    )
    return EXIT_OK


# ------------------------------------------------------------------ finish


def run_finish(args: argparse.Namespace) -> int:
    say = Out(args.lang)
    dealing_set = parse(args.dealings, read_dealings)
    uuid = dealing_set.election_uuid
    path, keystore = load_keystore(args.keystore, uuid, args.lang)
    inv = keystore.invitation
    name = args.dealings
    if keystore.dealing is None:
        raise refuse(
            f"{name}: thiết bị này chưa tạo phần chia (hãy chạy 'tinnhiem trustee deal' trước)",
            f"{name}: this device has not dealt yet (run 'tinnhiem trustee deal' first)",
        )
    if dealing_set.certificate_set.fingerprint != keystore.certificates_hash:
        raise refuse(
            f"{name}: các chứng chỉ trong tệp khác với bộ chứng chỉ đã dùng để tạo phần chia",
            f"{name}: the certificates differ from the set this device dealt to",
        )
    j = inv.trustee
    if dealing_set.dealings[j - 1] != keystore.dealing:
        raise refuse(
            f"{name}: phần chia của thành viên {j} không phải phần chia thiết bị này đã tạo",
            f"{name}: dealing {j} is not the dealing this device made",
        )
    certs = dealing_set.certificates
    fingerprint = dealing_set.fingerprint
    if keystore.verification_key is not None:
        if keystore.dealings_hash != fingerprint:
            raise refuse(
                f"{name}: thiết bị này đã hoàn tất với một bộ phần chia khác",
                f"{name}: this device already finished with another set of dealings",
            )
        vk = keystore.verification_key
    else:
        keys = keystore.keys
        for dealing in dealing_set.dealings:
            try:
                receive_share(uuid, inv.threshold, certs, dealing, keys)
            except ShareComplaintError as e:
                complaint = make_complaint(uuid, dealing, keys, rng())
                target = output_path(args, "complaint", keystore)
                write_public(target, write_complaint(uuid, complaint))
                say(
                    f"KHIẾU NẠI: phần chia của thành viên {e.dealer} gửi thành viên {j} "
                    f"không hợp lệ ({e.message}).",
                    f"COMPLAINT: the share from trustee {e.dealer} to trustee {j} "
                    f"is invalid ({e.message}).",
                )
                say(
                    f"Tệp khiếu nại để nộp: {target}. Lễ tạo khóa phải làm lại.",
                    f"Complaint file to upload: {target}. The ceremony must restart.",
                )
                return EXIT_REFUSED
        share, vk = finish(uuid, inv.threshold, certs, dealing_set.dealings, keys, rng())
        keystore = replace(
            keystore, dealings_hash=fingerprint, share_secret=share.secret, verification_key=vk
        )
        write_private(path, write_keystore(keystore))
    target = output_path(args, "verification-key", keystore)
    write_public(target, write_verification_key(uuid, vk))
    say(
        f"Đã mở và kiểm tra {len(dealing_set.dealings)} phần chia: đều hợp lệ.",
        f"Opened and checked {len(dealing_set.dealings)} shares: all valid.",
    )
    say(f"Khóa kiểm tra để nộp: {target}", f"Verification key to upload: {target}")
    say(
        f"Khóa kiểm tra VK_{j} (đọc vào biên bản): {grouped(vk.key.hex())}",
        f"Verification key VK_{j} (read into the minutes): {grouped(vk.key.hex())}",
    )
    return EXIT_OK


# ----------------------------------------------------------------- decrypt


def _archive_setup(name: str, archive: object) -> tuple[Setup, bool, EncryptedTally | None]:
    """The setup, whether a result is already there, and the published encrypted tally."""
    try:
        entries = read_entries(archive)
        if not entries or entries[0].kind != Kind.SETUP:
            raise FormatError("archive.entries[0]: the first entry is not the setup")
        setup = Setup.from_json(entries[0].payload, "archive.entries[0].payload")
        tally_entry = next((e for e in entries if e.kind == Kind.ENCRYPTED_TALLY), None)
        tally = (
            None
            if tally_entry is None
            else EncryptedTally.from_json(
                tally_entry.payload, f"archive.entries[{tally_entry.height}].payload"
            )
        )
    except CryptoError as e:
        raise refuse(f"{name}: tệp không hợp lệ: {e}", f"{name}: invalid file: {e}") from None
    return setup, any(e.kind == Kind.RESULT for e in entries), tally


def run_decrypt(args: argparse.Namespace) -> int:
    say = Out(args.lang)
    name = args.archive
    archive = parse(name, loads)
    minutes = Minutes()
    if args.minutes:
        minutes = parse(args.minutes, lambda d: Minutes.from_json(loads(d)))
    setup, has_result, tally = _archive_setup(name, archive)
    uuid = setup.election.uuid
    _, keystore = load_keystore(args.keystore, uuid, args.lang)
    inv = keystore.invitation
    j = inv.trustee
    share = keystore.share
    if share is None or keystore.verification_key is None:
        raise refuse(
            f"{args.keystore}: lễ tạo khóa chưa hoàn tất trên thiết bị này "
            "(hãy chạy 'tinnhiem trustee finish')",
            f"{args.keystore}: the key ceremony is not finished on this device "
            "(run 'tinnhiem trustee finish')",
        )
    trustees = setup.trustees
    dealings_hash = digest([d.to_json() for d in trustees.dealings])
    same = (
        trustees.threshold == inv.threshold
        and tuple(c.name for c in trustees.certificates) == inv.trustees
        and len(trustees.certificates) >= j
        and trustees.certificates[j - 1] == keystore.certificate
        and dealings_hash == keystore.dealings_hash
        and len(trustees.verification_keys) >= j
        and trustees.verification_keys[j - 1] == keystore.verification_key
    )
    if not same:
        raise refuse(
            f"{name}: khóa của cuộc bỏ phiếu trong hồ sơ không phải khóa thiết bị này "
            "đã cùng tạo; từ chối giải mã",
            f"{name}: the archive's key ceremony is not the one this device took part in; "
            "refusing to decrypt",
        )
    if tally is None:
        raise refuse(
            f"{name}: hồ sơ chưa có tổng mã hóa (chưa kết thúc bỏ phiếu); không có gì để giải mã",
            f"{name}: the archive has no encrypted tally yet (voting not closed); "
            "nothing to decrypt",
        )
    if has_result:
        raise refuse(
            f"{name}: hồ sơ đã có kết quả; không cần giải mã nữa",
            f"{name}: the archive already holds a result; no decryption needed",
        )
    say(
        f"Đang kiểm tra toàn bộ hồ sơ {name} ({uuid})…",
        f"Verifying the whole archive {name} ({uuid})…",
    )
    report = verify_archive(archive, minutes, workers=max(1, args.workers))
    if not report.ok:
        err = sys.stderr
        for finding in report.findings:
            if finding.severity is Severity.ERROR:
                err.write(f"{finding}\n")
        err.write(
            (
                f"tinnhiem trustee decrypt: hồ sơ KHÔNG hợp lệ ({len(report.errors)} lỗi); "
                "từ chối giải mã\n"
            )
            if args.lang != "en"
            else (
                f"tinnhiem trustee decrypt: the archive is NOT valid "
                f"({len(report.errors)} errors); refusing to decrypt\n"
            )
        )
        return EXIT_REFUSED
    for finding in report.findings:
        if finding.severity is Severity.WARNING:
            print(finding)
    if args.minutes is None:
        say(
            "Chú ý: không có biên bản (--minutes): chưa đối chiếu φ, mã đầu bảng khi kết thúc "
            "và số phiếu với biên bản.",
            "Note: no minutes (--minutes): φ, the closing head and the counts were not compared.",
        )
    election_hash = setup.election.fingerprint
    partial = make_partial_decryption(election_hash, tally, share, keystore.keys, rng())
    problems = partial_decryption_problems(
        election_hash, tally, share.verification_key, keystore.certificate.signing_key, partial
    )
    if problems:  # pragma: no cover - our own proof must verify
        raise refuse("; ".join(problems), "; ".join(problems))
    target = output_path(args, "partial-decryption", keystore)
    write_public(target, write_partial_decryption(uuid, election_hash, partial))
    say(
        f"Hồ sơ hợp lệ: {report.figures.get('num_tallied')} phiếu được tính, "
        f"mã đầu bảng {grouped(str(report.figures.get('head'))[:32])}.",
        f"The archive is valid: {report.figures.get('num_tallied')} ballots tallied, "
        f"head {grouped(str(report.figures.get('head'))[:32])}.",
    )
    say(
        f"Dấu vân tay cuộc bỏ phiếu φ: {grouped(election_hash)}",
        f"Election fingerprint φ: {grouped(election_hash)}",
    )
    say(
        f"Giải mã một phần của thành viên {j} để nộp: {target}",
        f"Partial decryption of trustee {j} to upload: {target}",
    )
    return EXIT_OK


# -------------------------------------------------------------------- show


def run_show(args: argparse.Namespace) -> int:
    say = Out(args.lang)
    directory = Path(args.keystore)
    if args.election_uuid:
        try:
            uuid = check_election_uuid(args.election_uuid, "--election-uuid")
        except FormatError as e:
            raise refuse(str(e), str(e)) from None
    else:
        found = sorted(directory.glob(f"{KEYSTORE_PREFIX}*.json")) if directory.is_dir() else []
        if len(found) != 1:
            raise refuse(
                f"{directory}: có {len(found)} kho khóa; hãy chọn bằng --election-uuid",
                f"{directory}: {len(found)} keystores; choose one with --election-uuid",
            )
        uuid = found[0].name[len(KEYSTORE_PREFIX) : -len(".json")]
    _, keystore = load_keystore(args.keystore, uuid, args.lang)
    inv = keystore.invitation
    cert = keystore.certificate
    say(f"Cuộc bỏ phiếu: {inv.title} ({uuid})", f"Election: {inv.title} ({uuid})")
    say(
        f"Thành viên {inv.trustee}/{inv.n}: {inv.name}; cần {inv.threshold} thành viên để giải mã",
        f"Trustee {inv.trustee}/{inv.n}: {inv.name}; {inv.threshold} needed to decrypt",
    )
    say(
        f"Chứng chỉ: {grouped(digest(cert.to_json())[:32])}",
        f"Certificate: {grouped(digest(cert.to_json())[:32])}",
    )
    say(
        f"  khóa ký SK_{inv.trustee}: {grouped(cert.signing_key.hex())}",
        f"  signing key SK_{inv.trustee}: {grouped(cert.signing_key.hex())}",
    )
    if keystore.certificates_hash is None:
        say("Chưa tạo phần chia (deal).", "Not dealt yet (deal).")
    else:
        say(
            f"Bộ chứng chỉ: {grouped(keystore.certificates_hash[:32])}",
            f"Certificate set: {grouped(keystore.certificates_hash[:32])}",
        )
    vk = keystore.verification_key
    if vk is None or keystore.dealings_hash is None:
        say("Chưa hoàn tất (finish).", "Not finished yet (finish).")
    else:
        say(
            f"Bộ phần chia: {grouped(keystore.dealings_hash[:32])}",
            f"Dealings: {grouped(keystore.dealings_hash[:32])}",
        )
        say(
            f"Khóa kiểm tra VK_{inv.trustee}: {grouped(vk.key.hex())}",
            f"Verification key VK_{inv.trustee}: {grouped(vk.key.hex())}",
        )
    return EXIT_OK

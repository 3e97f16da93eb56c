"""``tinnhiem trustee``: each step's checks and refusals (in-process; the whole protocol
in subprocesses is in test_offline_protocol.py)."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from tinnhiem.cli.main import main
from tinnhiem.crypto.dkg import (
    Certificate,
    Dealing,
    EncryptedShare,
    check_complaint,
    trustee_sign,
)
from tinnhiem.crypto.files import (
    Invitation,
    read_certificate,
    read_complaint,
    read_dealing,
    read_keystore,
    read_verification_key,
    write_certificates,
    write_dealings,
    write_invitation,
)
from tinnhiem.crypto.randomness import SeededRandom

UUID = "phien-hop-thu-nghiem"
NAMES = ("Hoàng Văn Minh", "Bùi Thị Ngọc", "Ngô Quang Phúc")


@dataclass
class Devices:
    root: Path

    def keys(self, j: int) -> Path:
        return self.root / f"d{j}" / "keys"

    def file(self, j: int, name: str) -> Path:
        return self.root / f"d{j}" / name

    def keystore(self, j: int) -> Path:
        return self.keys(j) / f"tinnhiem-trustee-{UUID}.json"


def run(*args: str | Path) -> int:
    return main(["trustee", *map(str, args)])


def one_line_error(capsys: pytest.CaptureFixture[str], text: str) -> None:
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert err.startswith("tinnhiem trustee: ")
    assert text in err


@pytest.fixture
def devices(tmp_path: Path) -> Devices:
    d = Devices(tmp_path)
    for j in (1, 2, 3):
        (tmp_path / f"d{j}").mkdir()
        inv = Invitation(UUID, "Phiên họp thử nghiệm", j, 2, NAMES)
        d.file(j, "invitation.json").write_bytes(write_invitation(inv))
    return d


def init_all(d: Devices) -> list[Certificate]:
    for j in (1, 2, 3):
        assert run("init", d.file(j, "invitation.json"), "--keystore", d.keys(j),
                   "--out", d.file(j, "cert.json")) == 0  # fmt: skip
    return [read_certificate(d.file(j, "cert.json").read_bytes(), UUID) for j in (1, 2, 3)]


def deal_all(d: Devices, certs: list[Certificate]) -> list[Dealing]:
    (d.root / "certs.json").write_bytes(write_certificates(UUID, 2, certs))
    for j in (1, 2, 3):
        assert run("deal", d.root / "certs.json", "--keystore", d.keys(j),
                   "--out", d.file(j, "dealing.json")) == 0  # fmt: skip
    return [read_dealing(d.file(j, "dealing.json").read_bytes(), UUID) for j in (1, 2, 3)]


def test_init_makes_a_private_keystore_and_never_overwrites_it(
    devices: Devices, capsys: pytest.CaptureFixture[str]
) -> None:
    certs = init_all(devices)
    assert [c.name for c in certs] == list(NAMES)
    for j in (1, 2, 3):
        assert devices.keystore(j).stat().st_mode & 0o777 == 0o600
        keystore = read_keystore(devices.keystore(j).read_bytes(), UUID)
        assert keystore.certificate == certs[j - 1]
    out = capsys.readouterr().out
    assert "Đã tạo khóa của thành viên 1/3 (Hoàng Văn Minh)" in out
    before = devices.keystore(1).read_bytes()
    assert run("init", devices.file(1, "invitation.json"), "--keystore", devices.keys(1)) == 2
    one_line_error(capsys, "không ghi đè khóa")
    assert devices.keystore(1).read_bytes() == before


def test_init_refuses_a_file_of_another_kind(
    devices: Devices, capsys: pytest.CaptureFixture[str]
) -> None:
    init_all(devices)
    cert = devices.file(1, "cert.json")
    assert run("init", cert, "--keystore", devices.root / "other", "--lang", "en") == 2
    one_line_error(capsys, "invalid file: $.format: expected 'tinnhiem.evote-invitation/1'")


def test_a_keystore_readable_by_others_is_warned_about(
    devices: Devices, capsys: pytest.CaptureFixture[str]
) -> None:
    certs = init_all(devices)
    (devices.root / "certs.json").write_bytes(write_certificates(UUID, 2, certs))
    os.chmod(devices.keystore(1), 0o644)
    capsys.readouterr()
    out = devices.root / "dealing.json"
    assert (
        run("deal", devices.root / "certs.json", "--keystore", devices.keys(1), "--out", out) == 0
    )
    err = capsys.readouterr().err
    assert "chú ý: người khác trên máy này đọc được kho khóa (hãy chạy chmod 600)" in err
    assert devices.keystore(1).stat().st_mode & 0o777 == 0o600  # rewritten owner-only


def test_deal_needs_a_keystore(devices: Devices, capsys: pytest.CaptureFixture[str]) -> None:
    certs = init_all(devices)
    (devices.root / "certs.json").write_bytes(write_certificates(UUID, 2, certs))
    assert run("deal", devices.root / "certs.json", "--keystore", devices.root / "empty") == 2
    one_line_error(capsys, "không có kho khóa cho cuộc bỏ phiếu phien-hop-thu-nghiem")


def test_deal_checks_every_certificate(
    devices: Devices, capsys: pytest.CaptureFixture[str]
) -> None:
    certs = init_all(devices)
    capsys.readouterr()
    bad = devices.root / "bad.json"
    forged = certs[1].signature
    cases = [
        (write_certificates(UUID, 3, certs), "ngưỡng 3; thư mời ghi 3 thành viên, ngưỡng 2"),
        (
            write_certificates(UUID, 2, [certs[0], replace(certs[1], name="Người khác"), certs[2]]),
            "chứng chỉ 2 mang tên 'Người khác'",
        ),
        (
            write_certificates(UUID, 2, [replace(certs[1], index=1, name=NAMES[0]), *certs[1:]]),
            "chứng chỉ 1 không phải chứng chỉ của thiết bị này",
        ),
        (
            write_certificates(UUID, 2, [*certs[:2], replace(certs[2], signature=forged)]),
            "chứng chỉ 3 (Ngô Quang Phúc): chữ ký hoặc chứng minh sai",
        ),
    ]  # fmt: skip
    for data, message in cases:
        bad.write_bytes(data)
        assert run("deal", bad, "--keystore", devices.keys(1)) == 2
        one_line_error(capsys, message)
    assert read_keystore(devices.keystore(1).read_bytes()).dealing is None


def test_deal_is_repeatable_but_only_for_the_same_certificates(
    devices: Devices, capsys: pytest.CaptureFixture[str]
) -> None:
    certs = init_all(devices)
    dealings = deal_all(devices, certs)
    first = devices.file(1, "dealing.json").read_bytes()
    assert run("deal", devices.root / "certs.json", "--keystore", devices.keys(1),
               "--out", devices.file(1, "again.json")) == 0  # fmt: skip
    assert devices.file(1, "again.json").read_bytes() == first
    assert read_keystore(devices.keystore(1).read_bytes()).dealing == dealings[0]
    capsys.readouterr()
    # The server swaps trustee 3's certificate for a fresh one: no second dealing.
    assert run("init", devices.file(3, "invitation.json"), "--keystore",
               devices.root / "elsewhere", "--out", devices.root / "c3.json") == 0  # fmt: skip
    other = read_certificate((devices.root / "c3.json").read_bytes(), UUID)
    (devices.root / "certs2.json").write_bytes(write_certificates(UUID, 2, [*certs[:2], other]))
    capsys.readouterr()
    assert run("deal", devices.root / "certs2.json", "--keystore", devices.keys(1)) == 2
    one_line_error(capsys, "đã tạo phần chia cho một bộ chứng chỉ khác")


def test_finish_checks_what_was_dealt(devices: Devices, capsys: pytest.CaptureFixture[str]) -> None:
    certs = init_all(devices)
    dealings_file = devices.root / "dealings.json"
    (devices.root / "certs.json").write_bytes(write_certificates(UUID, 2, certs))
    dealings_file.write_bytes(b"{}")
    capsys.readouterr()
    assert run("finish", dealings_file, "--keystore", devices.keys(1)) == 2
    one_line_error(capsys, "$: missing key format")
    dealings = deal_all(devices, certs)
    capsys.readouterr()
    dealings_file.write_bytes(write_dealings(UUID, 3, certs, dealings))
    assert run("finish", dealings_file, "--keystore", devices.keys(1)) == 2
    one_line_error(capsys, "khác với bộ chứng chỉ đã dùng để tạo phần chia")
    tampered = replace(
        dealings[0], commitments=(dealings[1].commitments[0], *dealings[0].commitments[1:])
    )
    dealings_file.write_bytes(write_dealings(UUID, 2, certs, [tampered, *dealings[1:]]))
    assert run("finish", dealings_file, "--keystore", devices.keys(1)) == 2
    one_line_error(capsys, "phần chia của thành viên 1 không phải phần chia thiết bị này đã tạo")


def test_finish_writes_a_complaint_for_a_bad_share(
    devices: Devices, capsys: pytest.CaptureFixture[str]
) -> None:
    certs = init_all(devices)
    dealings = deal_all(devices, certs)
    # Dealer 2 sends trustee 1 a wrong share, properly signed: only trustee 1 can tell.
    keys2 = read_keystore(devices.keystore(2).read_bytes()).keys
    share = dealings[1].shares[0]
    wrong = EncryptedShare(share.recipient, share.ephemeral, bytes(32))
    unsigned = replace(dealings[1], shares=(wrong, *dealings[1].shares[1:]))
    signature = trustee_sign(
        [UUID, "dealing", 2], keys2, unsigned.body_json(), SeededRandom("dealer 2")
    )
    bad = replace(unsigned, signature=signature)
    dealings_file = devices.root / "dealings.json"
    dealings_file.write_bytes(write_dealings(UUID, 2, certs, [dealings[0], bad, dealings[2]]))
    capsys.readouterr()
    assert run("finish", dealings_file, "--keystore", devices.keys(1),
               "--out", devices.file(1, "complaint.json")) == 1  # fmt: skip
    out = capsys.readouterr().out
    assert "KHIẾU NẠI: phần chia của thành viên 2 gửi thành viên 1 không hợp lệ" in out
    complaint = read_complaint(devices.file(1, "complaint.json").read_bytes(), UUID)
    assert (complaint.dealer, complaint.recipient) == (2, 1)
    assert check_complaint(UUID, 2, certs, bad, complaint)  # the dealer is at fault
    assert read_keystore(devices.keystore(1).read_bytes()).share is None
    # Trustee 3 received a good share from dealer 2 and finishes.
    assert run("finish", dealings_file, "--keystore", devices.keys(3),
               "--out", devices.file(3, "vk.json")) == 0  # fmt: skip
    assert read_verification_key(devices.file(3, "vk.json").read_bytes()).trustee == 3


def test_finish_is_repeatable_and_show_prints_the_fingerprints(
    devices: Devices, capsys: pytest.CaptureFixture[str]
) -> None:
    certs = init_all(devices)
    dealings = deal_all(devices, certs)
    dealings_file = devices.root / "dealings.json"
    dealings_file.write_bytes(write_dealings(UUID, 2, certs, dealings))
    for name in ("vk.json", "vk-again.json"):
        assert run("finish", dealings_file, "--keystore", devices.keys(2),
                   "--out", devices.file(2, name)) == 0  # fmt: skip
    first = devices.file(2, "vk.json").read_bytes()
    assert devices.file(2, "vk-again.json").read_bytes() == first
    vk = read_verification_key(first, UUID)
    capsys.readouterr()
    assert run("show", "--keystore", devices.keys(2)) == 0
    out = capsys.readouterr().out
    assert "Thành viên 2/3: Bùi Thị Ngọc; cần 2 thành viên để giải mã" in out
    hex_key = vk.key.hex()
    assert f"Khóa kiểm tra VK_2: {' '.join(hex_key[i : i + 4] for i in range(0, 64, 4))}" in out
    assert run("show", "--keystore", devices.keys(1), "--lang", "en") == 0
    assert "Not finished yet (finish)." in capsys.readouterr().out


def test_decrypt_needs_a_finished_ceremony(
    devices: Devices, capsys: pytest.CaptureFixture[str]
) -> None:
    from tinnhiem.crypto.canonical import dumps
    from tinnhiem.crypto.simulate import simulate_election

    init_all(devices)
    sim = simulate_election(uuid=UUID, rng=SeededRandom("x"))
    archive = devices.root / "archive.json"
    archive.write_bytes(dumps(sim.box.board.to_json()))
    capsys.readouterr()
    assert run("decrypt", archive, "--keystore", devices.keys(1)) == 2
    one_line_error(capsys, "lễ tạo khóa chưa hoàn tất trên thiết bị này")
    archive.write_bytes(b'{"format": "tinnhiem.evote-archive/1", "entries": []}')
    assert run("decrypt", archive, "--keystore", devices.keys(1)) == 2
    one_line_error(capsys, "the first entry is not the setup")


def test_the_offline_tools_load_neither_django_nor_crypto_at_start(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from tinnhiem.cli.main import main; "
        "heavy = ('tinnhiem.crypto', 'typst', 'segno', 'django'); "
        "assert not [m for m in sys.modules if m.startswith(heavy)], 'loaded at start'; "
        f"rc = main(['trustee', 'show', '--keystore', {str(tmp_path)!r}]); "
        "assert 'tinnhiem.crypto' in sys.modules; "
        "assert not [m for m in sys.modules if m.startswith('django')], 'Django loaded'; "
        "sys.exit(rc)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("tinnhiem trustee: lỗi: ")

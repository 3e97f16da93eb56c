"""The whole offline protocol through the trustee CLI, each trustee in its own process.

Three committee members, threshold 2, each with its own keystore directory (its
own device). The server side (collecting files, the setup, the ballot box) is
simulated in-process with the crypto core; every file crosses as bytes in the
formats of :mod:`tinnhiem.crypto.files`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pytest

from tinnhiem.crypto.ballot_box import BallotBox
from tinnhiem.crypto.board import Board, Kind
from tinnhiem.crypto.canonical import JsonOut, dumps
from tinnhiem.crypto.dkg import TrusteesPublic, VerificationKey, verify_certificate, verify_trustees
from tinnhiem.crypto.election import Person
from tinnhiem.crypto.files import (
    Invitation,
    read_certificate,
    read_dealing,
    read_partial_decryption,
    read_share_check,
    write_certificates,
    write_dealings,
    write_invitation,
)
from tinnhiem.crypto.randomness import SeededRandom
from tinnhiem.crypto.setup import make_setup
from tinnhiem.crypto.simulate import (
    cast_ballot,
    expected_counts,
    make_voters,
    random_choices,
    simulate_election,
)

UUID = "hoi-nghi-2026-evote"
NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường")
THRESHOLD = 2


def trustee(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """``tinnhiem trustee ARGS…`` in a fresh Python process."""
    return subprocess.run(
        [sys.executable, "-m", "tinnhiem.cli.main", "trustee", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout


@dataclass(frozen=True)
class Done:
    """A finished key ceremony: the server's folder, the three devices, the transcript."""

    root: Path
    devices: list[Path]
    trustees: TrusteesPublic


@pytest.fixture(scope="module")
def ceremony(tmp_path_factory: pytest.TempPathFactory) -> Done:
    """Run invitation → init → certificates → deal → dealings → finish for 3 trustees."""
    root = tmp_path_factory.mktemp("ceremony")
    devices = [root / f"device-{j}" for j in (1, 2, 3)]
    for j, device in enumerate(devices, start=1):
        device.mkdir()
        invitation = Invitation(UUID, "Hội nghị lấy phiếu tín nhiệm", j, THRESHOLD, NAMES)
        (device / "invitation.json").write_bytes(write_invitation(invitation))
        ok(
            trustee(
                "init", device / "invitation.json", "--keystore", device / "keys",
                "--out", device / "certificate.json",
            )
        )  # fmt: skip
        keystore = device / "keys" / f"tinnhiem-trustee-{UUID}.json"
        assert keystore.stat().st_mode & 0o777 == 0o600
    certs = [read_certificate((d / "certificate.json").read_bytes(), UUID) for d in devices]
    assert all(verify_certificate(UUID, c) for c in certs)
    certificates_file = root / "certificates.json"
    certificates_file.write_bytes(write_certificates(UUID, THRESHOLD, certs))
    for device in devices:
        ok(
            trustee(
                "deal", certificates_file, "--keystore", device / "keys",
                "--out", device / "dealing.json",
            )
        )  # fmt: skip
    dealings = [read_dealing((d / "dealing.json").read_bytes(), UUID) for d in devices]
    dealings_file = root / "dealings.json"
    dealings_file.write_bytes(write_dealings(UUID, THRESHOLD, certs, dealings))
    vks = []
    for device in devices:
        out = ok(
            trustee(
                "finish", dealings_file, "--keystore", device / "keys",
                "--out", device / "vk.json",
            )
        )  # fmt: skip
        vk = read_share_check((device / "vk.json").read_bytes(), UUID)
        assert isinstance(vk, VerificationKey)
        assert vk.key.hex()[:4] in out  # read aloud into the minutes
        vks.append(vk)
    trustees = TrusteesPublic(THRESHOLD, tuple(certs), tuple(dealings), tuple(vks))
    assert verify_trustees(UUID, trustees) == []
    return Done(root, devices, trustees)


def test_the_whole_protocol_through_the_cli(ceremony: Done) -> None:
    root, devices, trustees = ceremony.root, ceremony.devices, ceremony.trustees
    rng = SeededRandom("offline protocol")
    voters = make_voters(UUID, 6, rng)
    setup = make_setup(
        uuid=UUID,
        title="Hội nghị lấy phiếu tín nhiệm",
        kind="poll",
        persons=[Person("p1", "Phạm Minh Đức"), Person("p2", "Võ Thị Hạnh")],
        n_max=6,
        t_min=1,
        trustees=trustees,
        credentials=[v.keys.public for v in voters],
    )
    box = BallotBox.open(setup)
    box.void([voters[5].keys.public])
    counted = []
    for voter in voters[:5]:
        choices = random_choices(setup.election, rng)
        box.cast(cast_ballot(setup.election, voter, choices, rng))
        counted.append(choices)
    choices = random_choices(setup.election, rng)  # a re-vote: the last ballot counts
    box.cast(cast_ballot(setup.election, voters[0], choices, rng))
    counted[0] = choices
    box.close()
    box.publish_tally()
    archive = root / "archive.json"
    archive.write_bytes(dumps(box.board.to_json()))
    minutes = root / "minutes.json"
    minutes.write_text(
        json.dumps(
            {
                "election_hash": setup.election.fingerprint,
                "closing_head": box.board.entries[-2].hash,
                "threshold": THRESHOLD,
                "trustee_names": list(NAMES),
            }
        ),
        encoding="utf-8",
    )

    # Minutes that do not match the board (another closing head): refused.
    wrong = root / "wrong-minutes.json"
    wrong.write_text(json.dumps({"closing_head": "ab" * 32}), encoding="utf-8")
    done = trustee(
        "decrypt", archive, "--keystore", devices[1] / "keys", "--minutes", wrong,
        "--workers", "1", "--out", devices[1] / "never.json",
    )  # fmt: skip
    assert done.returncode == 1
    assert "d1.closing_head" in done.stderr
    assert not (devices[1] / "never.json").exists()

    for j in (1, 3):
        device = devices[j - 1]
        out = ok(
            trustee(
                "decrypt", archive, "--keystore", device / "keys", "--minutes", minutes,
                "--workers", "1", "--out", device / "partial.json",
            )
        )  # fmt: skip
        assert "Hồ sơ hợp lệ: 5 phiếu được tính" in out
        pd_file = read_partial_decryption((device / "partial.json").read_bytes(), UUID)
        assert pd_file.election_hash == setup.election.fingerprint
        box.add_partial_decryption(pd_file.partial_decryption)
    result = box.publish_result([1, 3])
    assert [dict(c) for c in result.counts] == expected_counts(setup.election, counted)

    # show: the fingerprints for the minutes
    out = ok(trustee("show", "--keystore", devices[1] / "keys"))
    assert trustees.verification_keys[1].key.hex()[:4] in out
    assert "Trần Thị Bình" in out


def test_decrypt_refuses_a_tampered_archive(ceremony: Done) -> None:
    root, devices, trustees = ceremony.root, ceremony.devices, ceremony.trustees
    rng = SeededRandom("tampered")
    voters = make_voters(UUID, 3, rng)
    setup = make_setup(
        uuid=UUID, title="Hội nghị", kind="binding", persons=[Person("p1", "Đỗ Văn Giang")],
        n_max=3, t_min=1, trustees=trustees, credentials=[v.keys.public for v in voters],
    )  # fmt: skip
    box = BallotBox.open(setup)
    for voter in voters:
        box.cast(cast_ballot(setup.election, voter, random_choices(setup.election, rng), rng))
    box.close()
    box.publish_tally()
    # The server drops the first ballot and re-chains the board: every hash is consistent.
    rechained = Board()
    for entry in box.board.entries:
        if entry.height != 1:
            rechained.append(Kind(entry.kind), cast(JsonOut, entry.payload))
    doc = rechained.to_json()
    archive = root / "tampered.json"
    archive.write_bytes(dumps(doc))
    done = trustee(
        "decrypt", archive, "--keystore", devices[0] / "keys", "--workers", "1",
        "--out", devices[0] / "never.json",
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "từ chối giải mã" in done.stderr
    assert "ERROR" in done.stderr
    assert "d8.tally" in done.stderr  # the published tally is not the sum of the board
    assert not (devices[0] / "never.json").exists()


def test_decrypt_refuses_an_archive_of_another_key_ceremony(
    ceremony: Done,
) -> None:
    root, devices = ceremony.root, ceremony.devices
    sim = simulate_election(uuid=UUID, rng=SeededRandom("a server's own world"), finish=False)
    sim.box.close()
    sim.box.publish_tally()
    archive = root / "other-world.json"
    archive.write_bytes(dumps(sim.box.board.to_json()))
    done = trustee("decrypt", archive, "--keystore", devices[0] / "keys", "--lang", "en")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "not the one this device took part in" in done.stderr

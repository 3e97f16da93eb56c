"""Server time of the web pages and of saving one ballot, at province scale.

Builds a fresh database, on SQLite or on PostgreSQL, holding one vote round
of a province: 1,000 officials in 190 agencies and 200 conferences (190 at
the workplace, 10 of party committees where 100 of the officials are polled a
second time), 20,000 ballots entered in both passes (with about one
disagreement per 100 ballots, decided by the committee) and every conference
confirmed. The set-up runs through the services (round, blocks, agencies,
officials, conferences, people on the ballot, committee, check-in, the quorum
gate, resolutions, confirmation) except for the bulk of it, which is written
with ``bulk_create`` exactly as the services would write it: the summoned
members and their check-in, the 40,000 ballot entries, their entry-log lines
and their audit entries (a valid hash chain, checked at the end). Every
confirmed result comes from the real ``results_confirm``, hence the rules
core.

Then, in this process, Django's test ``Client`` requests every page: the
round list, the round (as the organiser and as a clerk), the round's
results, its blocks and agencies, its officials (first page of 100, and a
search), a clerk's work list, and for the largest conference its detail,
check-in, entry, reconciliation, results and entry-log pages, while it is
being counted and once it is confirmed; last, the detail page of a new
conference being prepared (it lists the officials of its agency, or those a
search finds, with the rules' eligibility). Each page
is requested a few times untimed, then ``--requests`` times (≥ 50), each
timed with ``time.perf_counter`` around the request and the connection
handling a WSGI server does (``close_old_connections`` before and after),
garbage collector on, with what was loaded before frozen out of it as
``config/wsgi.py`` does; this process's CPU time of the same requests is shown
too (for shared machines); the number of SQL queries is counted on one more
request.
Saving one ballot is timed on the last 60 ballots of each pass of the largest
conference, as the service ``entry_save`` (pass 1) and through the entry
page's JSON endpoint (pass 2).

Goals: every page p95 < 100 ms; ``entry_save`` p95 < 20 ms.

Run from the repository root::

    uv run python bench/bench_web.py                   # SQLite, about 3 min
    uv run python bench/bench_web.py --db postgres     # PostgreSQL ($PG_URL or 127.0.0.1:5432)
    uv run python bench/bench_web.py --quick           # smoke run, a few seconds
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import pstats
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from _data import machine, machine_summary
from _django import drop_database, new_database

PAGE_GOAL_MS = 100.0
SAVE_GOAL_MS = 20.0
PROFILE_ID = "qd96-2023"
DEFAULT_PG_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
WARMUP = 3


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _cpu_jiffies() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs since boot, from /proc/stat."""
    with open("/proc/stat", encoding="ascii") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields) - idle, sum(fields)


def wait_idle(max_wait_s: float, quiet_s: float = 3.0, busy_share: float = 0.15) -> float:
    """Sleep until the machine has been less than ``busy_share`` busy for
    ``quiet_s`` seconds in a row (other processes: this one sleeps), or until
    ``max_wait_s`` have passed; the seconds waited. Linux only; 0 elsewhere."""
    if max_wait_s <= 0 or not os.path.exists("/proc/stat"):
        return 0.0
    t0 = time.monotonic()
    quiet_since = t0
    busy0, total0 = _cpu_jiffies()
    while time.monotonic() - t0 < max_wait_s:
        time.sleep(0.5)
        busy1, total1 = _cpu_jiffies()
        share = (busy1 - busy0) / max(1, total1 - total0)
        busy0, total0 = busy1, total1
        now = time.monotonic()
        if share >= busy_share:
            quiet_since = now
        elif now - quiet_since >= quiet_s:
            break
    return time.monotonic() - t0


# --------------------------------------------------------------- database


# ------------------------------------------------------------------ data


def split(total: int, weights: list[float], low: int) -> list[int]:
    """``total`` shared out in proportion to ``weights``, each share ≥ ``low``
    (largest remainders), summing exactly to ``total``."""
    n = len(weights)
    rest = total - low * n
    if rest < 0:
        raise SystemExit(f"bench_web: cannot share {total} into {n} parts of at least {low}")
    s = sum(weights)
    raw = [rest * w / s for w in weights]
    shares = [int(r) for r in raw]
    by_remainder = sorted(range(n), key=lambda i: raw[i] - shares[i], reverse=True)
    for i in by_remainder[: rest - sum(shares)]:
        shares[i] += 1
    return [low + x for x in shares]


def random_payload(rng: random.Random, persons: int) -> dict[str, Any]:
    """One ballot as a clerk enters it: 80 % cao, 15 % tín nhiệm, 3.5 % thấp,
    1 % blank, 0.5 % several marks per line; rare crossed-out names,
    signatures and unissued papers (canonical form of ``clean_payload``)."""
    digits = rng.choices("12309", cum_weights=(800, 950, 985, 995, 1000), k=persons)
    crossed = [str(rng.randint(1, persons))] if rng.random() < 0.005 else []
    return {
        "digits": "".join(digits),
        "issued": rng.random() >= 0.0005,
        "crossed_out": crossed,
        "added_names": 0,
        "other_writing": False,
        "signed": rng.random() < 0.001,
    }


@dataclass
class Plan:
    """Sizes drawn from the seed."""

    officials_per_agency: list[int]  # workplace agencies
    ballots: list[int]  # per conference: workplace ones first, then party committees
    party_persons: int
    n_work: int
    n_party: int


def make_plan(args: argparse.Namespace, rng: random.Random) -> Plan:
    n_party = max(1, args.conferences // 20)
    n_work = args.conferences - n_party
    weights = sorted(rng.lognormvariate(0, 0.6) for _ in range(n_work))
    officials = split(args.officials, weights, 2)
    party_persons = max(3, min(10, args.officials // (10 * n_party)))
    mean_w = sum(weights) / n_work
    ballot_weights = [*weights, *(mean_w for _ in range(n_party))]
    ballots = split(args.ballots, ballot_weights, 10)
    return Plan(officials, ballots, party_persons, n_work, n_party)


@dataclass
class Built:
    round: Any
    organiser: Any
    conferences: list[Any]
    heads: list[Any]
    clerks: list[tuple[Any, Any]]
    payloads: list[dict[str, Any]]  # of the live conference, by ballot number - 1
    live: int  # index of the largest conference, kept in counting for the save timing
    live_pending: int  # its last ballots, left for the timed saves
    sizes: dict[str, Any] = field(default_factory=dict)
    phases: dict[str, float] = field(default_factory=dict)


class Phases:
    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self._t0 = time.perf_counter()
        self._name = ""

    def start(self, name: str) -> None:
        self.stop()
        self._name = name
        self._t0 = time.perf_counter()
        log(f"  {name}…")

    def stop(self) -> None:
        if self._name:
            self.times[self._name] = round(time.perf_counter() - self._t0, 2)
            self._name = ""


def bulk_audit(rows: list[tuple[Any, str, Any, str, dict[str, Any]]]) -> None:
    """Append audit entries (actor, action, obj, summary, after) to the hash
    chain exactly as ``tinnhiem.common.audit.audit`` does, in bulk."""
    from django.db import transaction
    from django.utils import timezone

    from tinnhiem.common.audit import entry_digest
    from tinnhiem.common.models import AuditEntry, AuditHead

    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        seq, prev = head.last_seq, head.last_hash
        at = timezone.now()
        objs = []
        for actor, action, obj, summary, after in rows:
            seq += 1
            fields = {
                "seq": seq,
                "at": at,
                "actor_id": actor.pk,
                "actor_name": actor.username,
                "action": action,
                "object_type": obj._meta.label_lower,
                "object_id": str(obj.pk),
                "summary": summary[:300],
                "before": None,
                "after": json.loads(json.dumps(after, ensure_ascii=False, sort_keys=True)),
            }
            digest = entry_digest(**fields, prev_hash=prev)
            objs.append(AuditEntry(**fields, prev_hash=prev, entry_hash=digest))
            prev = digest
        AuditEntry.objects.bulk_create(objs, batch_size=1000)
        head.last_seq, head.last_hash = seq, prev
        head.save(update_fields=["last_seq", "last_hash"])


def build(args: argparse.Namespace) -> Built:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from tinnhiem.accounts.models import User
    from tinnhiem.campaigns.services import (
        agency_create,
        block_create,
        official_create,
        round_create,
    )
    from tinnhiem.conferences.models import (
        Attendance,
        CommitteeRole,
        Conference,
        PlaceKind,
        Voter,
    )
    from tinnhiem.conferences.services import (
        candidacy_add,
        checkin_open,
        committee_member_add,
        conference_create,
        voting_close,
        voting_open,
    )
    from tinnhiem.counting.models import BallotEntry, EntryLogEntry
    from tinnhiem.counting.services import resolution_save, results_confirm
    from tinnhiem.demo.names import NameGenerator

    rng = random.Random(args.seed)
    plan = make_plan(args, rng)
    ph = Phases()
    n_conf = plan.n_work + plan.n_party

    ph.start("accounts")
    password = make_password(None)  # unusable: the benchmark logs in with force_login
    organiser = User.objects.create(
        username="bantochuc",
        full_name="Chuyên viên Ban Tổ chức",
        is_organiser=True,
        password=password,
    )
    seats = (("truongban", "Trưởng Ban"), ("thuky1_", "Thư ký 1"), ("thuky2_", "Thư ký 2"))
    committee_users = User.objects.bulk_create(
        [
            User(username=f"{u}{i + 1}", full_name=f"{label}, hội nghị {i + 1}", password=password)
            for i in range(n_conf)
            for u, label in seats
        ]
    )
    heads = committee_users[0::3]
    clerks = list(zip(committee_users[1::3], committee_users[2::3], strict=True))

    ph.start("round, blocks, agencies (services)")
    vote_round = round_create(
        acting_user=organiser,
        number="KH-BENCH/TU",
        title="Lấy phiếu tín nhiệm giữa nhiệm kỳ (dữ liệu đo hiệu năng)",
        issuing_body="Ban Thường vụ Tỉnh ủy",
        issued_on=date(2023, 4, 20),
        vote_year=2023,
        profile_id=PROFILE_ID,
    )
    n_blocks = max(2, min(8, n_conf // 10))
    blocks = [
        block_create(acting_user=organiser, vote_round=vote_round, name=f"Khối {k + 1}", order=k)
        for k in range(n_blocks)
    ]
    agencies = [
        agency_create(
            acting_user=organiser,
            block=blocks[j % n_blocks],
            name=f"Cơ quan, đơn vị số {j + 1}",
            order=j + 1,
        )
        for j in range(plan.n_work)
    ]
    party_agencies = [
        agency_create(
            acting_user=organiser,
            block=blocks[0],
            name=f"Ban Chấp hành Đảng bộ số {k + 1}",
            order=plan.n_work + k + 1,
        )
        for k in range(plan.n_party)
    ]

    ph.start(f"{args.officials:,} officials (service official_create)")
    names = NameGenerator(args.seed)
    positions = ["Giám đốc", "Phó Giám đốc", "Chánh Văn phòng", "Trưởng phòng", "Phó Trưởng phòng"]
    officials_by_agency: list[list[Any]] = []
    for j, count in enumerate(plan.officials_per_agency):
        officials_by_agency.append(
            [
                official_create(
                    acting_user=organiser,
                    agency=agencies[j],
                    full_name=names.name(),
                    position=positions[min(k, len(positions) - 1)],
                    appointed_or_elected_on=date(2016 + rng.randrange(6), 1 + rng.randrange(12), 1),
                )
                for k in range(count)
            ]
        )

    ph.start(f"{n_conf} conferences and people on the ballot (services)")
    conferences: list[Conference] = []
    for i in range(n_conf):
        party = i >= plan.n_work
        agency = party_agencies[i - plan.n_work] if party else agencies[i]
        conferences.append(
            conference_create(
                acting_user=organiser,
                vote_round=vote_round,
                agency=agency,
                title=f"Hội nghị lấy phiếu tín nhiệm {agency.name}",
                date=date(2023, 6, 1) + timedelta(days=i % 120),
                place_kind=PlaceKind.PARTY_COMMITTEE if party else PlaceKind.WORKPLACE,
                location=f"Hội trường {agency.name}",
                chair="Bí thư",
            )
        )
    persons: list[list[Any]] = [[] for _ in range(n_conf)]
    for j in range(plan.n_work):
        persons[j] = officials_by_agency[j]
    pool = [o for group in officials_by_agency for o in group]
    rng.shuffle(pool)
    for k in range(plan.n_party):
        persons[plan.n_work + k] = pool[k * plan.party_persons : (k + 1) * plan.party_persons]
    for i, conference in enumerate(conferences):
        for official in persons[i]:
            candidacy_add(acting_user=organiser, conference=conference, official=official)

    ph.start("summoned members (bulk), committee, check-in, quorum gate (services)")
    now = timezone.now()
    for i, conference in enumerate(conferences):
        b = plan.ballots[i]
        present = b + (1 if i % 3 == 0 else 0)  # now and then a ballot is not returned
        summoned = present + max(1, b // 20)
        gen = NameGenerator(100_000 + i)
        on_ballot = {o.full_name.casefold() for o in persons[i]}
        voter_names = []
        while len(voter_names) < summoned:
            n = gen.name()
            if n.casefold() not in on_ballot:
                voter_names.append(n)
        with transaction.atomic():
            voters = Voter.objects.bulk_create(
                [
                    Voter(conference=conference, full_name=n, position="Đảng viên", order=k + 1)
                    for k, n in enumerate(voter_names)
                ]
            )
        for role, user, entry_pass, voter in (
            (CommitteeRole.HEAD, heads[i], None, voters[0]),
            (CommitteeRole.MEMBER, clerks[i][0], 1, voters[1]),
            (CommitteeRole.MEMBER, clerks[i][1], 2, voters[2]),
        ):
            committee_member_add(
                acting_user=organiser,
                conference=conference,
                voter=voter,
                role=role,
                user=user,
                entry_pass=entry_pass,
            )
        checkin_open(acting_user=organiser, conference=conference)
        Voter.objects.filter(pk__in=[v.pk for v in voters[:present]]).update(
            attendance=Attendance.PRESENT, checked_in_at=now
        )
        conference = voting_open(
            acting_user=organiser, conference=conference, ballots_issued=present
        )
        conferences[i] = voting_close(acting_user=organiser, conference=conference)

    ph.start(f"{args.ballots:,} ballots × 2 passes, entry log, audit chain (bulk)")
    live = max(range(n_conf), key=lambda i: (plan.ballots[i] * len(persons[i]), -i))
    live_pending = min(args.requests, plan.ballots[live] // 2)
    payloads: list[list[dict[str, Any]]] = []
    disagreements: list[list[int]] = []
    for i, conference in enumerate(conferences):
        b = plan.ballots[i]
        p = len(persons[i])
        first = [random_payload(rng, p) for _ in range(b)]
        payloads.append(first)
        last = b - live_pending if i == live else b
        differ = [n for n in range(1, last + 1) if rng.random() < 0.01]
        disagreements.append(differ)
        rows: list[tuple[int, int, dict[str, Any]]] = []
        for entry_pass in (1, 2):
            for n in range(1, last + 1):
                payload = first[n - 1]
                if entry_pass == 2 and n in differ:  # a typing slip in pass 2
                    d = payload["digits"]
                    slip = "2" if d[0] != "2" else "1"
                    payload = {**payload, "digits": slip + d[1:]}
                rows.append((entry_pass, n, payload))
        with transaction.atomic():
            entries = BallotEntry.objects.bulk_create(
                [
                    BallotEntry(
                        conference=conference,
                        entry_pass=ep,
                        number=n,
                        entered_by=clerks[i][ep - 1],
                        **payload,
                    )
                    for ep, n, payload in rows
                ],
                batch_size=1000,
            )
            if any(e.pk is None for e in entries):  # no RETURNING on this backend
                pks = {
                    (e.entry_pass, e.number): e.pk
                    for e in BallotEntry.objects.filter(conference=conference).only(
                        "pk", "entry_pass", "number"
                    )
                }
                for e in entries:
                    e.pk = pks[(e.entry_pass, e.number)]
            EntryLogEntry.objects.bulk_create(
                [
                    EntryLogEntry(
                        conference=conference,
                        entry_pass=ep,
                        number=n,
                        action=EntryLogEntry.Action.CREATE,
                        user=clerks[i][ep - 1],
                        before=None,
                        after=payload,
                    )
                    for ep, n, payload in rows
                ],
                batch_size=1000,
            )
            bulk_audit(
                [
                    (
                        clerks[i][ep - 1],
                        "entry.create",
                        entry,
                        f"{conference.pk}/{ep}/{n}",
                        payload,
                    )
                    for (ep, n, payload), entry in zip(rows, entries, strict=True)
                ]
            )

    ph.start("committee decisions on disagreements (service resolution_save)")
    for i, conference in enumerate(conferences):
        for n in disagreements[i]:
            resolution_save(
                acting_user=heads[i],
                conference=conference,
                number=n,
                reason="Đối chiếu phiếu gốc: lượt 1 đúng",
                payload=payloads[i][n - 1],
            )

    ph.start(f"{n_conf - 1} confirmations (service results_confirm, rules core)")
    for i, conference in enumerate(conferences):
        if i != live:
            results_confirm(acting_user=heads[i], conference=conference)
    ph.stop()

    sizes = {
        "officials": sum(plan.officials_per_agency),
        "agencies": plan.n_work + plan.n_party,
        "blocks": n_blocks,
        "conferences": n_conf,
        "candidacies": sum(len(p) for p in persons),
        "ballots": sum(plan.ballots),
        "disagreements_resolved": sum(len(d) for d in disagreements),
        "voters": Voter.objects.count(),
        "largest_conference": {
            "ballots": plan.ballots[live],
            "persons": len(persons[live]),
            "summoned": conferences[live].voters.count(),
        },
        "persons_per_conference": {
            "min": min(len(p) for p in persons),
            "max": max(len(p) for p in persons),
        },
        "ballots_per_conference": {"min": min(plan.ballots), "max": max(plan.ballots)},
    }
    return Built(
        round=vote_round,
        organiser=organiser,
        conferences=conferences,
        heads=heads,
        clerks=clerks,
        payloads=payloads[live],
        live=live,
        live_pending=live_pending,
        sizes=sizes,
        phases=ph.times,
    )


# ----------------------------------------------------------- measurement


def percentile(values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (as numpy's default)."""
    s = sorted(values)
    if len(s) == 1:
        return s[0]
    pos = (len(s) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


class Samples:
    """Wall-clock times (the figures judged) and, for a shared machine, this
    process's CPU time of the same calls (which leaves out time spent waiting
    for a CPU, and the PostgreSQL server's own work)."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    @staticmethod
    @contextmanager
    def timing(samples: Samples | None) -> Iterator[None]:
        c0, t0 = time.process_time(), time.perf_counter()
        yield
        t1, c1 = time.perf_counter(), time.process_time()
        if samples is not None:
            samples.wall.append(t1 - t0)
            samples.cpu.append(c1 - c0)

    def summary(self, name: str, what: str, goal_ms: float) -> dict[str, Any]:
        ms = [t * 1000 for t in self.wall]
        cpu = [t * 1000 for t in self.cpu]
        p95 = percentile(ms, 0.95)
        return {
            "name": name,
            "what": what,
            "n": len(ms),
            "p50_ms": round(percentile(ms, 0.50), 2),
            "p95_ms": round(p95, 2),
            "max_ms": round(max(ms), 2),
            "mean_ms": round(statistics.fmean(ms), 2),
            "cpu_p50_ms": round(percentile(cpu, 0.50), 2),
            "cpu_p95_ms": round(percentile(cpu, 0.95), 2),
            "goal_ms": goal_ms,
            "goal_met": p95 < goal_ms,
        }


class Pages:
    """Times GET requests made with Django's test client, as a WSGI server
    would serve them (connections checked before and after each)."""

    def __init__(self, requests: int, profile: bool, max_wait_s: float) -> None:
        self.requests = requests
        self.profile = profile
        self.max_wait_s = max_wait_s
        self.rows: list[dict[str, Any]] = []
        self.profiles: dict[str, str] = {}

    def _one(self, client: Any, url: str, samples: Samples | None = None) -> Any:
        from django.db import close_old_connections

        with Samples.timing(samples):
            close_old_connections()
            response = client.get(url)
            close_old_connections()
        return response

    def measure(self, name: str, client: Any, url: str) -> dict[str, Any]:
        """Time one page; a page that fails is reported as such, the others still run."""
        log(f"  {name}: GET {url}")
        try:
            return self._measure(name, client, url)
        except Exception as e:  # a broken page must not cost the other figures
            log(f"  {name}: FAILED: {e!r}")
            row = {"name": name, "what": f"GET {url}", "error": repr(e)[:300], "goal_met": False}
            self.rows.append(row)
            return row

    def _measure(self, name: str, client: Any, url: str) -> dict[str, Any]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for _ in range(WARMUP):
            response = self._one(client, url)
            if response.status_code != 200:
                raise RuntimeError(f"GET {url} → {response.status_code}")
        waited = wait_idle(self.max_wait_s)
        samples = Samples()
        for _ in range(self.requests):
            self._one(client, url, samples)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        row = samples.summary(name, f"GET {url}", PAGE_GOAL_MS)
        row["queries"] = len(ctx.captured_queries)
        row["kib"] = round(len(response.content) / 1024, 1)
        row["waited_s"] = round(waited, 1)
        row["load_1min"] = round(os.getloadavg()[0], 2)
        self.rows.append(row)
        if self.profile and not row["goal_met"]:
            self.profiles[name] = profile_calls(lambda: self._one(client, url), 10)
        return row


def profile_calls(fn: Callable[[], object], n: int) -> str:
    """cProfile of ``n`` calls: the project's functions by cumulative time,
    then every function by own time."""
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(n):
        fn()
    prof.disable()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("cumulative").print_stats(r"tinnhiem[/\\]", 15)
    stats.strip_dirs().sort_stats("tottime").print_stats(20)
    return out.getvalue()


def measure(args: argparse.Namespace, built: Built) -> dict[str, Any]:
    from django.db import close_old_connections
    from django.test import Client
    from django.urls import reverse

    from tinnhiem.common.audit import verify_chain
    from tinnhiem.conferences.models import Conference, Status
    from tinnhiem.conferences.services import conference_create
    from tinnhiem.counting.models import BallotEntry
    from tinnhiem.counting.services import entry_save, results_confirm

    pages = Pages(args.requests, args.profile, args.wait_idle)
    live = built.conferences[built.live]
    live_pk = live.pk
    head = built.heads[built.live]
    clerk1, clerk2 = built.clerks[built.live]
    payloads = built.payloads
    b = len(payloads)

    def client_for(user: Any) -> Any:
        c = Client()
        c.force_login(user)
        return c

    organiser_c = client_for(built.organiser)
    clerk1_c = client_for(clerk1)
    clerk2_c = client_for(clerk2)
    saves: list[dict[str, Any]] = []

    # Saving one ballot, pass 1 through the service, pass 2 through the page's endpoint.
    log(f"  entry_save: ballots {b - built.live_pending + 1}–{b} of pass 1 (service)")
    first = b - built.live_pending + 1
    wait_idle(args.wait_idle)
    samples = Samples()
    for n in range(first, b + 1):
        with Samples.timing(samples):
            entry_save(
                acting_user=clerk1,
                conference=live,
                entry_pass=1,
                number=n,
                payload=payloads[n - 1],
            )
    saves.append(samples.summary("entry_save", "service call, new ballot, pass 1", SAVE_GOAL_MS))
    log(f"  entry_save: ballots {first}–{b} of pass 2 (POST, JSON endpoint)")
    url = reverse("counting:entry_save", args=[live_pk, 2])
    wait_idle(args.wait_idle)
    samples = Samples()
    for n in range(first, b + 1):
        body = json.dumps({"number": n, **payloads[n - 1]}, ensure_ascii=False)
        with Samples.timing(samples):
            close_old_connections()
            response = clerk2_c.post(url, body, content_type="application/json")
            close_old_connections()
        if response.status_code != 200:
            raise SystemExit(f"bench_web: POST {url} → {response.status_code}")
    saves.append(samples.summary("entry_save view", f"POST {url} (JSON), pass 2", SAVE_GOAL_MS))
    assert BallotEntry.objects.filter(conference_id=live_pk).count() == 2 * b

    # The largest conference while it is counted: every ballot in, not confirmed.
    assert Conference.objects.get(pk=live_pk).status == Status.COUNTING
    counting_pages = [
        ("entry (counting)", clerk1_c, "counting:entry", [live_pk, 1]),
        ("reconcile (counting)", organiser_c, "counting:reconcile", [live_pk]),
        ("results (preview)", organiser_c, "counting:results", [live_pk]),
    ]
    for name, client, view, view_args in counting_pages:
        pages.measure(name, client, reverse(view, args=view_args))
    results_confirm(acting_user=head, conference=live)

    # Everything confirmed.
    round_pk = built.round.pk
    confirmed_pages = [
        ("home", organiser_c, "campaigns:home", []),
        ("round", organiser_c, "campaigns:round", [round_pk]),
        ("round (clerk)", clerk1_c, "campaigns:round", [round_pk]),
        ("round results", organiser_c, "campaigns:round_results", [round_pk]),
        ("organisation", organiser_c, "campaigns:organisation", [round_pk]),
        ("officials (page 1)", organiser_c, "campaigns:officials", [round_pk]),
        ("conference detail", organiser_c, "conferences:detail", [live_pk]),
        ("check-in", organiser_c, "conferences:checkin", [live_pk]),
        ("entry", clerk1_c, "counting:entry", [live_pk, 1]),
        ("reconcile", organiser_c, "counting:reconcile", [live_pk]),
        ("results", organiser_c, "counting:results", [live_pk]),
        ("entry log", organiser_c, "counting:entry_log", [live_pk]),
        ("my work", clerk1_c, "counting:my_work", []),
    ]
    for name, client, view, view_args in confirmed_pages:
        pages.measure(name, client, reverse(view, args=view_args))

    # Last, as it adds a conference: the detail page of a conference being
    # prepared lists the officials of its agency (or a search's) with the
    # rules' eligibility.
    preparing = conference_create(
        acting_user=built.organiser,
        vote_round=built.round,
        agency=live.agency,
        title="Hội nghị đang chuẩn bị",
        date=date(2023, 10, 1),
    )
    pages.measure(
        "conference detail (preparing)",
        organiser_c,
        reverse("conferences:detail", args=[preparing.pk]),
    )
    pages.measure(
        "preparing (search)",
        organiser_c,
        reverse("conferences:detail", args=[preparing.pk]) + "?q=Nguy",
    )
    pages.measure(
        "officials (search)",
        organiser_c,
        reverse("campaigns:officials", args=[round_pk]) + "?q=Nguy",
    )
    log("  verifying the audit hash chain")
    problem = verify_chain()
    if problem is not None:
        raise SystemExit(f"bench_web: audit chain broken at #{problem.seq}: {problem.reason}")
    return {"pages": pages.rows, "saves": saves, "profiles": pages.profiles}


# --------------------------------------------------------------- report


def run(args: argparse.Namespace) -> dict[str, Any]:
    log(f"bench_web: database {args.db}")
    t0 = time.perf_counter()
    info = new_database("web", args.db, args.pg_url)
    try:
        log(f"building the province (seed {args.seed})")
        built = build(args)
        build_s = time.perf_counter() - t0
        log(f"built in {build_s:.1f} s; measuring")
        # What the set-up left behind is garbage now: collect it, so that the
        # collector's full passes during the requests walk a heap like a
        # server's, not one holding the province's ballots.
        gc.collect()
        heap_objects = len(gc.get_objects())
        # As config/wsgi.py does in a server once the application is loaded:
        # what lives now is out of the collector's full passes.
        gc.freeze()
        from django.db import connection

        counts = {}
        with connection.cursor() as cur:
            for table in (
                "counting_ballotentry",
                "counting_entrylogentry",
                "common_auditentry",
                "counting_confirmedresult",
            ):
                cur.execute(f"SELECT COUNT(*) FROM {table}")
                counts[table] = cur.fetchone()[0]
        results = measure(args, built)
    finally:
        if args.keep:
            log(f"database kept: {info['database']}")
        else:
            drop_database(info)
    every = results["pages"] + results["saves"]
    return {
        "benchmark": "web",
        "machine": machine(),
        "database": {k: v for k, v in info.items() if k != "data_dir"},
        "config": {
            "officials": args.officials,
            "conferences": args.conferences,
            "ballots": args.ballots,
            "requests": args.requests,
            "warmup": WARMUP,
            "seed": args.seed,
            "quick": args.quick,
        },
        "sizes": built.sizes,
        "rows": counts,
        "build_s": round(build_s, 1),
        "build_phases_s": built.phases,
        "gc_tracked_objects_when_measuring": heap_objects,
        "pages": results["pages"],
        "saves": results["saves"],
        "profiles": results["profiles"],
        "goal": {
            "page_p95_ms": PAGE_GOAL_MS,
            "save_p95_ms": SAVE_GOAL_MS,
            "met": all(r["goal_met"] for r in every),
            "missed": [r["name"] for r in every if not r["goal_met"]],
        },
    }


def print_table(report: dict[str, Any]) -> None:
    cfg, sizes, db = report["config"], report["sizes"], report["database"]
    version = db.get("server_version") or db.get("sqlite_version")
    print(f"tinnhiem bench_web · {machine_summary(report['machine'])}")
    print(
        f"database: {db['engine']} {version} · {sizes['officials']:,} officials, "
        f"{sizes['conferences']} conferences, {sizes['candidacies']:,} people on ballots, "
        f"{sizes['ballots']:,} ballots × 2 passes ({sizes['disagreements_resolved']} "
        f"resolved), {sizes['voters']:,} summoned · built in {report['build_s']} s"
        + (" · QUICK" if cfg["quick"] else "")
    )
    big = sizes["largest_conference"]
    print(
        f"pages of the largest conference: {big['ballots']} ballots × {big['persons']} persons, "
        f"{big['summoned']} summoned · {cfg['requests']} timed requests per row after "
        f"{cfg['warmup']} untimed"
    )
    header = (
        f"{'page':<30} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'cpu p95':>7} {'queries':>7} "
        f"{'KiB':>6}  goal"
    )
    print(header)
    print("-" * len(header))
    for r in report["pages"] + report["saves"]:
        if "error" in r:
            print(f"{r['name']:<30} FAILED: {r['error']}")
            continue
        verdict = "met" if r["goal_met"] else "NOT MET"
        queries, kib = r.get("queries", ""), r.get("kib", "")
        print(
            f"{r['name']:<30} {r['p50_ms']:>7.1f} {r['p95_ms']:>7.1f} {r['max_ms']:>7.1f} "
            f"{r['cpu_p95_ms']:>7.1f} {queries:>7} {kib:>6}  p95 < {r['goal_ms']:.0f} ms {verdict}"
        )
    print("entry_save: " + "; ".join(f"{r['name']} = {r['what']}" for r in report["saves"]))
    goal = report["goal"]
    missed = ", ".join(goal["missed"])
    print(
        f"goal (pages p95 < {PAGE_GOAL_MS:.0f} ms, entry_save p95 < {SAVE_GOAL_MS:.0f} ms): "
        + ("met" if goal["met"] else f"NOT MET ({missed})")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("PG_URL") or DEFAULT_PG_SERVER,
        help="PostgreSQL server to create the benchmark database on "
        f"(default $PG_URL, else {DEFAULT_PG_SERVER})",
    )
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: 60 officials, 12 conferences, 600 ballots"
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--officials", type=int, default=None, help="default 1000 (60 quick)")
    parser.add_argument("--conferences", type=int, default=None, help="default 200 (12 quick)")
    parser.add_argument("--ballots", type=int, default=None, help="default 20000 (600 quick)")
    parser.add_argument(
        "--requests", type=int, default=None, help="timed requests per page, default 60 (10 quick)"
    )
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument(
        "--profile",
        action="store_true",
        help="print a cProfile of 10 requests of each page missing its goal (stderr)",
    )
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=0.0,
        metavar="S",
        help="before each timed row, wait up to S seconds for the machine to be idle "
        "(< 15 %% busy for 3 s); for shared machines (default 0: no wait)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database, print its name")
    parser.add_argument(
        "--check", action="store_true", help="exit with status 1 when a goal is not met"
    )
    args = parser.parse_args(argv)
    quick = args.quick
    args.officials = args.officials or (60 if quick else 1000)
    args.conferences = args.conferences or (12 if quick else 200)
    args.ballots = args.ballots or (600 if quick else 20000)
    args.requests = args.requests or (10 if quick else 60)
    if args.conferences < 2 or args.officials < 2 * args.conferences or args.requests < 1:
        parser.error("need --conferences ≥ 2, --officials ≥ 2 × conferences, --requests ≥ 1")
    if args.ballots < 10 * args.conferences:
        parser.error("need --ballots ≥ 10 × conferences")
    report = run(args)
    for name, text in report["profiles"].items():
        log(f"\n--- cProfile, 10 requests: {name}\n{text}")
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print_table(report)
    return 1 if args.check and not report["goal"]["met"] else 0


if __name__ == "__main__":
    sys.exit(main())

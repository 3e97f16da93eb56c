"""Membership proofs of cast ballots checked in worker processes (a server's helper).

Checking a 44-person ballot costs about 530 group operations (spec §8: twelve
per person), almost all of it inside libsodium. Threads do not divide that
time well: ``rbcl`` releases the interpreter lock for each operation but must
take it back between two of them, about a thousand hand-overs per ballot, each
a wake-up of the other thread. :class:`ProofWorkers` sends the parts of one
ballot to separate processes instead (one per core by default), so a ballot
alone is checked on every core, and the server's own threads keep the
interpreter for the requests.

A task carries the election's canonical JSON and the body's canonical JSON
(two byte strings: nothing but ``bytes`` crosses the pipe); a worker reads
the election once per fingerprint and, of the body, only the answers it was
given. The verdict is the same as :func:`tinnhiem.crypto.ballot.check_ballot`
in one thread: the first failing answer is the one reported.

The processes are started with ``spawn`` (never ``fork``: a web server has
threads, and a forked child would inherit their locks) on first use, or at
once with :meth:`ProofWorkers.start`. If a worker dies, the pool is started
again for the next ballot and the current one is checked in the caller's
thread: a crashed helper never refuses a valid ballot.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from tinnhiem.crypto.canonical import as_list, fields, loads
from tinnhiem.crypto.election import Election
from tinnhiem.crypto.group import as_element

#: Below this many persons, a ballot is checked in the caller's thread: the
#: round trip to the workers (about a millisecond) would cost more than it saves.
MIN_PERSONS = 6

_elections: dict[str, Election] = {}


def _election(fingerprint: str, election_bytes: bytes) -> Election:
    """The election of ``fingerprint``, read once per worker process."""
    election = _elections.get(fingerprint)
    if election is None:
        election = Election.from_json(loads(election_bytes))
        if election.fingerprint != fingerprint:
            raise ValueError("the election does not have the announced fingerprint")
        if len(_elections) >= 8:
            _elections.clear()
        _elections[fingerprint] = election
    return election


def check_part(
    fingerprint: str, election_bytes: bytes, body_bytes: bytes, start: int, stop: int
) -> int | None:
    """In a worker: the first answer in ``[start, stop)`` whose proof fails, or ``None``.

    An answer that cannot be read counts as failing (the caller parsed the
    same bytes already, so this does not happen for a ballot it accepted).
    """
    # Imported here: ``ballot`` imports this module.
    from tinnhiem.crypto.ballot import EncryptedAnswer, answer_holds
    from tinnhiem.crypto.errors import CryptoError

    election = _election(fingerprint, election_bytes)
    try:
        body = fields(
            loads(body_bytes), "body", ("election_uuid", "election_hash", "credential", "answers")
        )
        answers = as_list(body["answers"], "body.answers")
        credential = as_element(body["credential"], "body.credential", allow_identity=False)
    except CryptoError:
        return start
    size = len(election.levels)
    for p in range(start, stop):
        try:
            answer = EncryptedAnswer.from_json(answers[p], f"body.answers[{p}]", size)
        except (CryptoError, IndexError):
            return p
        if not answer_holds(election, credential, p, answer):
            return p
    return None


def _warm() -> None:
    """A task that only makes a worker import this module."""


def _worker_start(niceness: int) -> None:
    """In a worker: leave Ctrl-C to the server, which stops the workers itself;
    end when the server process ends, however it ends (a killed server never
    reaches its exit handlers, and the workers would wait for work forever);
    yield the processor to the server's own requests (``niceness``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:

        def watch() -> None:
            multiprocessing.connection.wait([parent.sentinel])
            os._exit(0)

        threading.Thread(target=watch, name="parent-watch", daemon=True).start()
    if niceness > 0:
        with contextlib.suppress(OSError):  # not allowed here: run at normal priority
            os.nice(niceness)


class ProofWorkers:
    """A pool of worker processes that check the proofs of cast ballots.

    ``processes`` defaults to the number of cores. The workers run ``niceness``
    steps below the server (default 10): a check nobody waits for (a body
    prepared while its voter reads the tracker) then never slows down a cast
    being answered, which needs the processor for a few milliseconds only.
    Thread-safe: a server's request threads share one pool.
    """

    def __init__(self, processes: int | None = None, *, niceness: int = 10) -> None:
        self.processes = max(1, processes or os.cpu_count() or 1)
        self.niceness = niceness
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._started = False

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=self.processes,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_worker_start,
                    initargs=(self.niceness,),
                )
            return self._pool

    def start(self, *, wait: bool = True) -> None:
        """Start every worker now (each takes a fraction of a second to import the
        core); with ``wait=False``, return at once while they start."""
        with self._lock:
            if self._started and not wait:
                return
            self._started = True
        pool = self._executor()
        futures = [pool.submit(_warm) for _ in range(self.processes)]
        if wait:
            for f in futures:
                f.result()

    def submit(self, election: Election, body_bytes: bytes, persons: int) -> Pending:
        """Start checking the ``persons`` answers of the body ``body_bytes``.

        The returned :class:`Pending` gives the first answer whose proof fails
        (``None`` when every proof holds). A pool found broken (a worker died)
        is replaced once; :class:`BrokenProcessPool` if that fails too.
        """
        parts = min(self.processes, persons)
        bounds = [(persons * i // parts, persons * (i + 1) // parts) for i in range(parts)]
        election_bytes = election.canonical()
        for attempt in (1, 2):
            pool = self._executor()
            try:
                futures: list[Future[int | None]] = [
                    pool.submit(
                        check_part, election.fingerprint, election_bytes, body_bytes, start, stop
                    )
                    for start, stop in bounds
                ]
                break
            except BrokenProcessPool:
                # A worker died since the last ballot: start a new pool, once.
                self._discard(pool)
                if attempt == 2:
                    raise
        return Pending(self, pool, futures)

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        """Forget a broken pool: the next ballot starts a new one."""
        with self._lock:
            if self._pool is pool:
                self._pool = None
                self._started = False
        pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Stop the workers (a new call starts them again)."""
        with self._lock:
            pool, self._pool = self._pool, None
            self._started = False
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


class Pending:
    """The proofs of one ballot being checked by :class:`ProofWorkers`."""

    def __init__(
        self, workers: ProofWorkers, pool: ProcessPoolExecutor, futures: list[Future[int | None]]
    ) -> None:
        self._workers = workers
        self._pool = pool
        self._futures = futures

    def result(self) -> int | None:
        """Wait: the first failing answer, or ``None``. Raises :class:`BrokenProcessPool`
        if a worker died (the caller checks the ballot itself)."""
        try:
            bad = [f.result() for f in self._futures]
        except BrokenProcessPool:
            self._workers._discard(self._pool)
            raise
        failed = [p for p in bad if p is not None]
        return min(failed) if failed else None

    def cancel(self) -> None:
        """Drop the parts not started yet (the ballot was refused for another reason)."""
        for f in self._futures:
            f.cancel()

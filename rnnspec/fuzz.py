"""Fuzz one submission for a while: N processes search, sharing one example database.

    rnnspec fuzz path/to/my_rnn.py --for 10m [--workers 2] [--database DIR|redis://HOST:PORT/DB]

Each process opens its own Session of the submission (its own sandboxed workers) with the
``FUZZ`` profile and runs the checks in turn, one round of fresh examples each (about
``ROUND_SECONDS`` of them, at most ``FUZZ``'s ``max_examples``), starting at a different check
and with Hypothesis's own fresh seed every round (from each process's own entropy), until the
time is up or one of them finds a failure. The first failure stops them all and is printed with
its smallest case and its reproduction line. Progress goes to stderr: a live line on a terminal
(examples per second in all, failures so far, the rate of each check), plain lines now and then
elsewhere, and a table per check at the end.

The processes share one Hypothesis example database, by default the directory
``.rnnspec-fuzz/<content hash of the submission>``; for campaigns on many machines, a Redis
server (``RedisStore``: Hypothesis's own RedisExampleDatabase, every key prefixed with the
content hash). Either way the keys Hypothesis computes ignore the implementation, so each
submission gets its own (one submission's failures must not replay on another). Every check runs
the same Hypothesis test function, so its keys are made per check here (``PerCheck``). A failure
is saved there, shrunk, and its check noted beside it (the ledger, with the totals of earlier
campaigns): the next campaign on the same submission runs that check first, replaying it.
Exit status: 0 no failure in the time given, 1 a failure, 2 the submission does not load or the
database cannot be used.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import queue
import re
import shutil
import sys
import time
import traceback
from datetime import timedelta
from pathlib import Path
from typing import Optional

from hypothesis.database import DirectoryBasedExampleDatabase, ExampleDatabase

from rnnspec import profiles, sandbox

UNITS = {"s": 1, "m": 60, "h": 3600}
ROUND_SECONDS = 3.0  # a round of one check lasts about this long: progress and stops follow
DEFAULT_DATABASE = Path(".rnnspec-fuzz")


def duration(text: str) -> float:
    """Seconds of "30s", "10m", "1h", "1h30m" or a plain number of seconds."""
    found = re.fullmatch(r"((?:\d+(?:\.\d*)?[smh])+|\d+(?:\.\d*)?)", text.strip())
    if not found:
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration like 30s, 10m or 1h")
    if text.strip()[-1].isdigit():
        return float(text)
    return sum(float(n) * UNITS[u] for n, u in re.findall(r"(\d+(?:\.\d*)?)([smh])", text))


class PerCheck(ExampleDatabase):
    """A database whose keys also name the check running now: every check is the same
    Hypothesis test function (the same key), and one check's failures are not another's."""

    def __init__(self, inner: ExampleDatabase):
        super().__init__()
        self.inner, self.check = inner, ""

    def _key(self, key: bytes) -> bytes:
        return self.check.encode() + b":" + key

    def save(self, key: bytes, value: bytes) -> None:
        self.inner.save(self._key(key), value)

    def fetch(self, key: bytes):
        return self.inner.fetch(self._key(key))

    def delete(self, key: bytes, value: bytes) -> None:
        self.inner.delete(self._key(key), value)

    def move(self, src: bytes, dest: bytes, value: bytes) -> None:
        self.inner.move(self._key(src), self._key(dest), value)


class DatabaseError(Exception):
    """The example database cannot be used: said in one line, exit status 2."""


def database_trouble(error: BaseException) -> Optional[str]:
    """The line to say for ``error`` when it is the database's (a Redis server unreachable or
    gone mid-campaign: not a bug of the suite, no traceback), else None."""
    if isinstance(error, DatabaseError):
        return str(error)
    redis = sys.modules.get("redis")
    if redis is not None and isinstance(error, redis.exceptions.RedisError):
        return f"the Redis example database: {error}"
    return None


def _added(ledger: dict, examples: dict, failure: Optional[dict]) -> dict:
    """``ledger`` with one more campaign: its examples per check, its failure's check."""
    ledger = {"runs": 0, "examples": {}, "failed": {}, **ledger}
    ledger["runs"] += 1
    for check, count in examples.items():
        ledger["examples"][check] = ledger["examples"].get(check, 0) + count
    if failure is not None:
        ledger["failed"][failure["check"]] = failure["case"]
    return ledger


class DirectoryStore:
    """A campaign's examples in a Hypothesis directory database, its ledger (campaigns run,
    examples per check, the checks that failed) in ``campaign.json`` beside them."""

    def __init__(self, path: Path):
        self.path = path

    def __str__(self) -> str:
        return str(self.path)

    def open(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)

    def examples(self) -> ExampleDatabase:
        return DirectoryBasedExampleDatabase(str(self.path))

    def ledger(self) -> dict:
        file = self.path / "campaign.json"
        return json.loads(file.read_text()) if file.is_file() else {}

    def record(self, examples: dict, failure: Optional[dict]) -> None:
        """Add a campaign to the ledger as it is now (another campaign may have written it)."""
        ledger = _added(self.ledger(), examples, failure)
        (self.path / "campaign.json").write_text(json.dumps(ledger, indent=2) + "\n")


class RedisStore:
    """The same on a Redis server, for campaigns on many machines: Hypothesis's
    RedisExampleDatabase with the key prefix ``rnnspec-fuzz:<content hash>:example:``, the ledger
    a JSON value at ``rnnspec-fuzz:<content hash>:campaign``. Like Hypothesis's examples, the
    ledger expires 8 days after a campaign last touched it. Only the URL and the prefix are kept,
    so the store crosses to the searching processes, each of which connects on its own."""

    EXPIRE = timedelta(days=8)  # RedisExampleDatabase's default

    def __init__(self, url: str, prefix: str):
        self.url, self.prefix = url, prefix

    def __str__(self) -> str:
        where = self.url.rsplit("@", 1)[-1].split("://", 1)[-1]  # no password in the output
        return f"redis {where}, keys {self.prefix}*"

    def _client(self):
        try:
            import redis
        except ImportError:
            raise DatabaseError("a Redis example database needs the redis package: "
                                "pip install 'rnnspec[redis]'") from None
        try:
            return redis.Redis.from_url(self.url, socket_connect_timeout=5, socket_timeout=30)
        except ValueError as error:
            raise DatabaseError(f"--database {self.url}: {error}") from None

    def open(self) -> None:
        self._client().ping()

    def examples(self) -> ExampleDatabase:
        from hypothesis.extra.redis import RedisExampleDatabase

        return RedisExampleDatabase(self._client(), expire_after=self.EXPIRE,
                                    key_prefix=(self.prefix + "example:").encode())

    def ledger(self) -> dict:
        text = self._client().get(self.prefix + "campaign")
        return json.loads(text) if text else {}

    def record(self, examples: dict, failure: Optional[dict]) -> None:
        """Add a campaign to the ledger in one transaction: campaigns on other machines
        write it too, and none may lose another's counts."""
        key = self.prefix + "campaign"

        def add(pipe) -> None:
            text = pipe.get(key)
            ledger = _added(json.loads(text) if text else {}, examples, failure)
            pipe.multi()
            pipe.set(key, json.dumps(ledger), ex=self.EXPIRE)

        self._client().transaction(add, key)


def open_store(database: Optional[str], target: str):
    """The store ``--database`` names: a ``redis://``, ``rediss://`` or ``unix://`` URL, or
    a folder (by default ``.rnnspec-fuzz/<content hash>``). A Redis server is shared, so the
    content hash is always in its keys; a folder given is used as it is."""
    from rnnspec.grade import content_hash

    key = content_hash(Path(target), [], None)[:16]
    if database is None:
        return DirectoryStore(DEFAULT_DATABASE / key)
    if database.startswith(("redis://", "rediss://", "unix://")):
        return RedisStore(database, f"rnnspec-fuzz:{key}:")
    if "://" in database:
        raise DatabaseError(f"--database {database}: a folder or a redis://HOST:PORT[/DB] URL")
    return DirectoryStore(Path(database))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("impl", help="a .py or .ipynb file, or a folder")
    parser.add_argument("--for", dest="seconds", type=duration, default=600.0, metavar="TIME",
                        help="how long to search: 30s, 10m, 1h (default 10m)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="processes searching at once (default: one per core)")
    parser.add_argument("--database", metavar="DIR|URL",
                        help=f"the example database: a folder (default {DEFAULT_DATABASE}/"
                        "<content hash>) or a Redis server, redis://HOST:PORT[/DB], shared by "
                        "campaigns on many machines (pip install 'rnnspec[redis]')")
    parser.add_argument("--convention", choices=("seed", "course"),
                        help="override the detected convention")
    parser.add_argument("--call-timeout", type=float, default=sandbox.DEFAULT_CALL_TIMEOUT,
                        metavar="SECONDS", help="one call's time limit before it counts as a "
                        f"hang (default {sandbox.DEFAULT_CALL_TIMEOUT:g})")
    parser.add_argument("--memory", type=float, default=sandbox.DEFAULT_MEMORY / (1 << 30),
                        metavar="GIB", help="each worker's memory (address space) limit")
    parser.add_argument("--no-sandbox", action="store_true",
                        help="run the workers without bubblewrap even where it is installed")
    parser.add_argument("--every", type=float, default=15.0, metavar="SECONDS",
                        help="seconds between progress lines when stderr is not a terminal")


# -- one searching process ----------------------------------------------------------------------

def search(index: int, options: argparse.Namespace, store, end: float, events,
           stop, failed: tuple = ()) -> None:
    """Run rounds of the checks until ``end`` (time.time()) or ``stop``; report to ``events``.
    ``failed``: the checks that failed in earlier campaigns, run first (their saved examples
    are replayed at once)."""
    try:
        _search(index, options, store, end, events, stop, failed)
    except BaseException as error:  # noqa: BLE001 - a bug of the suite, or the database gone
        trouble = database_trouble(error)
        events.put(("database", index, trouble) if trouble else
                   ("error", index, traceback.format_exc()))
        stop.set()


def _search(index, options, store, end, events, stop, failed) -> None:
    from rnnspec import report
    from rnnspec.run import Session
    from rnnspec.source import LoadError

    shared = PerCheck(store.examples())
    name = profiles.campaign(f"fuzz-{index}", shared)
    try:
        session = Session.open(options.impl, options.convention, profile=name,
                               timeout=options.call_timeout, budget=end - time.time() + 60,
                               memory=int(options.memory * (1 << 30)),
                               sandbox=False if options.no_sandbox else None)
    except LoadError as error:
        events.put(("load_error", index, str(error)))
        return
    # The time limit is kept here, between rounds, never through the session's budget: a call
    # cut short by the budget would look like a hang of the submission.
    session.deadline = time.monotonic() + (end - time.time()) + 3600
    order = [c for c in session.checks if session.present(session.checks[c].function)]
    if index == 0:
        events.put(("start", index, {"checks": order, "convention": session.convention_note,
                                     "missing": [c for c in session.checks if c not in order],
                                     "sandboxed": session.sandboxed}))
    if order:  # spread the processes over the checks; the checks that failed before first
        start = index * len(order) // max(1, options.workers)
        order = order[start:] + order[:start]
        order = [c for c in order if c in failed] + [c for c in order if c not in failed]
    rates: dict = {}  # check -> examples per second seen here, to size its rounds
    try:
        while order and not stop.is_set() and time.time() < end:
            for check_id in order:
                if stop.is_set() or time.time() >= end:
                    break
                shared.check = check_id
                left = max(end - time.time(), 0.5)
                size = int(min(ROUND_SECONDS, left) * rates.get(check_id, 10.0))
                profiles.campaign(name, shared, max(5, min(size, profiles.FUZZ.max_examples)))
                session.outcomes.pop(check_id, None)
                before = set(session.outcomes)
                session.outcome(check_id)  # with what it is built on, the first time
                for outcome in [o for k, o in session.outcomes.items() if k not in before]:
                    rates[outcome.check] = outcome.examples / max(outcome.seconds, 1e-3)
                    events.put(("count", index, (outcome.check, outcome.examples,
                                                 outcome.seconds)))
                    if outcome.status == "fail" and not stop.is_set():
                        stop.set()
                        events.put(("failure", index, {
                            "check": outcome.check, "statement": outcome.statement,
                            "message": outcome.message, "case": outcome.case,
                            "reproduce": report.reproduction(session, outcome)}))
                        return
    finally:
        session.close()


# -- the campaign -------------------------------------------------------------------------------

class Progress:
    """Examples and seconds per check, from every process; printed as a line or a table."""

    def __init__(self, every: float):
        self.examples: dict = {}
        self.seconds: dict = {}
        self.started = time.monotonic()
        self.live = sys.stderr.isatty()
        self.every = 1.0 if self.live else every
        self.shown = self.started
        self.recent: dict = {}  # the checks that ran a round since the last line

    def add(self, check: str, examples: int, seconds: float) -> None:
        self.examples[check] = self.examples.get(check, 0) + examples
        self.seconds[check] = self.seconds.get(check, 0.0) + seconds
        self.recent[check] = None

    def rate(self, check: str) -> float:
        return self.examples[check] / max(self.seconds[check], 1e-9)

    def line(self, failures: int) -> str:
        elapsed = time.monotonic() - self.started
        total = sum(self.examples.values())
        rates = ", ".join(f"{c} {self.rate(c):.0f}/s" for c in self.recent)
        self.recent = {}
        return (f"{_clock(elapsed)}  {total:,} examples ({total / max(elapsed, 1e-9):.0f}/s)  "
                f"failures {failures}  | {rates}")

    def show(self, failures: int, force: bool = False) -> None:
        """The line (total rate, failures, the rate of each check run since the last line)."""
        now = time.monotonic()
        if not force and now - self.shown < self.every:
            return
        self.shown = now
        text = self.line(failures)
        if self.live:
            width = shutil.get_terminal_size().columns - 1
            print("\r\x1b[K" + text[:width], end="", file=sys.stderr, flush=True)
        else:
            print(text, file=sys.stderr, flush=True)

    def end_line(self) -> None:
        if self.live:
            print(file=sys.stderr)

    def table(self) -> str:
        rows = [f"  {c:<38} {self.examples[c]:>9,} examples  {self.rate(c):7.0f}/s"
                for c in self.examples]
        return "\n".join(rows)


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes}m{seconds:02d}s"


def command(args: argparse.Namespace) -> int:
    if not Path(args.impl).exists():
        print(f"rnnspec: {args.impl}: no such file or folder", file=sys.stderr)
        return 2
    try:
        return _campaign(args)
    except Exception as error:
        trouble = database_trouble(error)
        if trouble is None:
            raise
        print(f"rnnspec: {trouble}", file=sys.stderr)
        return 2


def _campaign(args: argparse.Namespace) -> int:
    store = open_store(args.database, args.impl)
    store.open()
    earlier = {"runs": 0, "examples": {}, "failed": {}, **store.ledger()}
    workers = max(1, args.workers)
    print(f"rnnspec fuzz {args.impl}: {workers} processes for {_clock(args.seconds)}, example "
          f"database {store}" + (f" (campaign {earlier['runs'] + 1}: "
                                 f"{sum(earlier['examples'].values()):,} examples before, "
                                 f"saved failures replayed first)" if earlier["runs"] else ""),
          file=sys.stderr, flush=True)
    context = multiprocessing.get_context("spawn")
    events, stop = context.Queue(), context.Event()
    end = time.time() + args.seconds
    failed = tuple(earlier["failed"])
    processes = [context.Process(target=search, args=(i, args, store, end, events, stop,
                                                      failed), daemon=True)
                 for i in range(workers)]
    for process in processes:
        process.start()
    progress, failure, status = Progress(args.every), None, 0
    try:
        while any(p.is_alive() for p in processes) or not events.empty():
            try:
                kind, index, payload = events.get(timeout=0.5)
            except queue.Empty:
                progress.show(int(failure is not None))
                continue
            if kind == "count":
                progress.add(*payload)
            elif kind == "start":
                missing = payload["missing"]
                print(f"{len(payload['checks'])} checks; convention: {payload['convention']}"
                      + (f"; not fuzzed (function missing): {', '.join(missing)}"
                         if missing else "") + ("" if payload["sandboxed"]
                                                else "; NOT sandboxed"),
                      file=sys.stderr, flush=True)
            elif kind == "failure" and failure is None:
                failure = payload
            elif kind in ("load_error", "database"):
                stop.set()
                status = 2
                print(f"rnnspec: {payload}", file=sys.stderr)
            elif kind == "error":
                stop.set()
                status = 3
                print(f"rnnspec: fuzz process {index} failed:\n{payload}", file=sys.stderr)
            progress.show(int(failure is not None))
    except KeyboardInterrupt:
        stop.set()
        print("\ninterrupted", file=sys.stderr)
    finally:
        stop.set()
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.terminate()
    progress.show(int(failure is not None), force=True)
    progress.end_line()
    if status == 2:
        return 2
    elapsed = time.monotonic() - progress.started
    total = sum(progress.examples.values())
    store.record(progress.examples, failure)
    print(progress.table())
    if failure is not None:
        print(f"\nFAIL after {elapsed:.1f} s and {total:,} examples: {failure['check']}: "
              f"{failure['statement']}\n  {failure['message']}\n  case: {failure['case']}\n"
              f"  reproduce: {failure['reproduce']}")
        return 1
    print(f"\nno failure in {elapsed:.0f} s: {total:,} examples ({total / elapsed:.0f}/s) over "
          f"{len(progress.examples)} checks with {workers} processes")
    return status

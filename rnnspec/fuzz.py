"""Fuzz one submission for a while: N processes search, sharing one example database.

    rnnspec fuzz path/to/my_rnn.py --for 10m [--workers 2] [--database DIR]

Each process opens its own Session of the submission (its own sandboxed workers) with the
``FUZZ`` profile and runs the checks in turn, one round of fresh examples each (about
``ROUND_SECONDS`` of them, at most ``FUZZ``'s ``max_examples``), starting at a different check
and with Hypothesis's own fresh seed every round (from each process's own entropy), until the
time is up or one of them finds a failure. The first failure stops them all and is printed with
its smallest case and its reproduction line. Progress goes to stderr: a live line on a terminal
(examples per second in all, failures so far, the rate of each check), plain lines now and then
elsewhere, and a table per check at the end.

The processes share one Hypothesis directory database, by default
``.rnnspec-fuzz/<content hash of the submission>`` (the keys Hypothesis computes ignore the
implementation, so one submission's failures must not replay on another). Every check runs the
same Hypothesis test function, so its keys are made per check here (``PerCheck``). A failure is
saved there, shrunk, and its check noted beside it (``campaign.json``, with the totals of earlier
campaigns): the next campaign on the same submission runs that check first, replaying it.
Exit status: 0 no failure in the time given, 1 a failure, 2 the submission does not load.
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
from pathlib import Path

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


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("impl", help="a .py or .ipynb file, or a folder")
    parser.add_argument("--for", dest="seconds", type=duration, default=600.0, metavar="TIME",
                        help="how long to search: 30s, 10m, 1h (default 10m)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="processes searching at once (default: one per core)")
    parser.add_argument("--database", type=Path, metavar="DIR",
                        help=f"the example database (default {DEFAULT_DATABASE}/<content hash>)")
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

def search(index: int, options: argparse.Namespace, database: str, end: float, events,
           stop, failed: tuple = ()) -> None:
    """Run rounds of the checks until ``end`` (time.time()) or ``stop``; report to ``events``.
    ``failed``: the checks that failed in earlier campaigns, run first (their saved examples
    are replayed at once)."""
    try:
        _search(index, options, database, end, events, stop, failed)
    except BaseException:  # noqa: BLE001 - a bug of the suite: say it, stop the others
        events.put(("error", index, traceback.format_exc()))
        stop.set()


def _search(index, options, database, end, events, stop, failed) -> None:
    from rnnspec import report
    from rnnspec.run import Session
    from rnnspec.source import LoadError

    shared = PerCheck(DirectoryBasedExampleDatabase(database))
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


def default_database(target: str) -> Path:
    from rnnspec.grade import content_hash

    return DEFAULT_DATABASE / content_hash(Path(target), [], None)[:16]


def command(args: argparse.Namespace) -> int:
    if not Path(args.impl).exists():
        print(f"rnnspec: {args.impl}: no such file or folder", file=sys.stderr)
        return 2
    database = args.database or default_database(args.impl)
    database.mkdir(parents=True, exist_ok=True)
    ledger = database / "campaign.json"
    earlier = {"runs": 0, "examples": {}, "failed": {}}
    if ledger.is_file():
        earlier.update(json.loads(ledger.read_text()))
    workers = max(1, args.workers)
    print(f"rnnspec fuzz {args.impl}: {workers} processes for {_clock(args.seconds)}, example "
          f"database {database}" + (f" (campaign {earlier['runs'] + 1}: "
                                    f"{sum(earlier['examples'].values()):,} examples before, "
                                    f"saved failures replayed first)" if earlier["runs"] else ""),
          file=sys.stderr, flush=True)
    context = multiprocessing.get_context("spawn")
    events, stop = context.Queue(), context.Event()
    end = time.time() + args.seconds
    failed = tuple(earlier["failed"])
    processes = [context.Process(target=search, args=(i, args, str(database), end, events, stop,
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
            elif kind == "load_error":
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
    for check, count in progress.examples.items():
        earlier["examples"][check] = earlier["examples"].get(check, 0) + count
    earlier["runs"] += 1
    if failure is not None:
        earlier["failed"][failure["check"]] = failure["case"]
    ledger.write_text(json.dumps(earlier, indent=2) + "\n")
    print(progress.table())
    if failure is not None:
        print(f"\nFAIL after {elapsed:.1f} s and {total:,} examples: {failure['check']}: "
              f"{failure['statement']}\n  {failure['message']}\n  case: {failure['case']}\n"
              f"  reproduce: {failure['reproduce']}")
        return 1
    print(f"\nno failure in {elapsed:.0f} s: {total:,} examples ({total / elapsed:.0f}/s) over "
          f"{len(progress.examples)} checks with {workers} processes")
    return status

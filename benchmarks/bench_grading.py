"""Time ``rnnspec grade`` on N submissions, the corpus mix repeated: the figures the README quotes.

    python benchmarks/bench_grading.py [-n 100] [--jobs 2] [--sample 5] [--keep DIR] [-- ARGS]

Builds a folder of N submissions in a temporary directory: the mutants and correct variants of
``impl/`` (every cell's) in turn, each copy one self-contained file given a comment line of its
own so no two files have the same bytes (the same content hash). A verdict that is not the
corpus's (a correct variant failing, a mutant passing) is printed as WRONG VERDICT.
Then runs ``rnnspec grade FOLDER --jobs J`` once and prints the wall time, the core-seconds of
everything it started (judges and sandboxed workers) and both per verdict.

Core-seconds need care: a sandboxed worker runs under bubblewrap, whose inner processes die
orphaned when the judge kills it, so ``RUSAGE_CHILDREN`` never sees them. This script makes
itself a child subreaper (Linux ``prctl``), so every orphan below it is re-parented here, and
reaps them all: its ``RUSAGE_CHILDREN`` is then the whole run's CPU time.

``--sample K`` first judges K correct variants (evenly spaced over the corpus's, every cell) one
at a time in this process (a warm judge, as a pool process is), printing each verdict's judge
CPU, worker CPU and their sum: the median is the "core-seconds of a correct verdict".
"""

from __future__ import annotations

import argparse
import ctypes
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.corpus import MUTANTS, VARIANTS  # noqa: E402

PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> bool:
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def reap(wait_for: int = 0, timeout: float = 2.0) -> int | None:
    """Reap every child (and re-parented orphan); with ``wait_for``, block until that pid ends and
    return its exit status."""
    status, deadline = None, time.monotonic() + timeout
    while True:
        try:
            pid, raw = os.waitpid(-1, 0 if wait_for and status is None else os.WNOHANG)
        except ChildProcessError:
            return status
        if pid == wait_for and wait_for:
            status = os.waitstatus_to_exitcode(raw)
            deadline = time.monotonic() + timeout
        elif pid == 0:
            if time.monotonic() > deadline:
                return status
            time.sleep(0.02)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def machine_busy() -> float:
    """Core-seconds the whole machine has been busy (Linux /proc/stat): the check on the
    figures above, since a worker killed inside its sandbox can die unreaped by anyone who
    accounts for it (its namespace's init goes first). An upper bound: it counts whatever else
    runs, so take it on an otherwise idle machine."""
    with open("/proc/stat") as stat:
        fields = [int(n) for n in stat.readline().split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def corpus_mix() -> list:
    """The corpus in a fixed order: mutants and correct variants interleaved as in ``impl/``."""
    return sorted(MUTANTS + VARIANTS, key=lambda p: p.name)


def self_contained(path: Path) -> str:
    """The submission as one file: the corpus writes a submission as its cell's reference with
    one function overridden (``reference_in(globals())`` runs ``reference.py`` from beside it);
    here that reference's source is run from a string in the file itself, the same thing at the
    same point, so every cell's submissions can share one folder without their helpers."""
    text = path.read_text("utf-8")
    if "reference_in(globals())" not in text:
        return text
    reference = (path.parent / "reference.py").read_text("utf-8")
    return text.replace("from variant import reference_in\n", "").replace(
        "reference_in(globals())",
        f"exec(compile({reference!r}, 'reference.py', 'exec'), globals())")


def build(folder: Path, count: int) -> dict:
    """N distinct submissions (the mix repeated), each one self-contained file; name -> correct
    or not."""
    mix, kinds = corpus_mix(), {}
    for i in range(count):
        original = mix[i % len(mix)]
        name = f"s{i:04d}_{original.stem}"
        (folder / f"{name}.py").write_text(
            self_contained(original) + f"\n# bench copy {i}: bytes of its own\n", "utf-8")
        kinds[name] = original in VARIANTS
    return kinds


def sample_correct(count: int) -> list:
    """(name, judge CPU, worker CPU) of ``count`` correct variants judged here one at a time."""
    from rnnspec import judge

    parser = argparse.ArgumentParser()
    judge.add_options(parser)
    options = parser.parse_args([])
    judge.verdict(str(ROOT / "impl" / "reference.py"), options)  # warm: imports, first compile
    reap()
    rows = []
    step = max(1, len(VARIANTS) // count)  # spread over every cell's variants, not the first
    for path in (VARIANTS[::step] * count)[:count]:
        cpu, workers, busy = self_cpu(), children_cpu(), machine_busy()
        result, _ = judge.verdict(str(path), options)
        reap()
        rows.append((path.stem, self_cpu() - cpu, children_cpu() - workers,
                     machine_busy() - busy, result["passed"]))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=100, help="submissions (default 100)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sample", type=int, default=0,
                        help="first judge this many correct variants one at a time")
    parser.add_argument("--keep", type=Path, help="build the folder here and keep it")
    parser.add_argument("grade_args", nargs="*", help="more arguments for rnnspec grade")
    args = parser.parse_args()
    if not become_subreaper():
        print("warning: not a subreaper: sandboxed workers' CPU time is not counted",
              file=sys.stderr)

    if args.sample:
        rows = sample_correct(args.sample)
        for name, judge_cpu, worker_cpu, busy, passed in rows:
            print(f"  {name:<28} judge {judge_cpu:5.2f} + workers {worker_cpu:5.2f} = "
                  f"{judge_cpu + worker_cpu:5.2f} core-s; machine busy {busy:5.2f}  "
                  f"{'PASS' if passed else 'FAIL'}")
        print(f"correct verdict, median: judge {statistics.median(r[1] for r in rows):.2f} "
              f"core-s, workers {statistics.median(r[2] for r in rows):.2f}, total "
              f"{statistics.median(r[1] + r[2] for r in rows):.2f} core-s; machine busy "
              f"{statistics.median(r[3] for r in rows):.2f} core-s\n", flush=True)

    scratch = args.keep or Path(tempfile.mkdtemp(prefix="rnnspec-bench-"))
    folder = scratch / "submissions"
    folder.mkdir(parents=True, exist_ok=True)
    kinds = build(folder, args.n)
    command = [sys.executable, "-m", "rnnspec", "grade", str(folder), "--jobs", str(args.jobs),
               *args.grade_args]
    print(" ".join(command), flush=True)
    cpu, busy, started = children_cpu(), machine_busy(), time.perf_counter()
    with open(scratch / "grade.out", "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                   cwd=str(scratch))
        status = reap(wait_for=process.pid)
    process.returncode = status  # reaped above; keep Popen from waiting again
    wall, cpu = time.perf_counter() - started, children_cpu() - cpu
    busy = machine_busy() - busy
    text = (scratch / "grade.out").read_text("utf-8", "replace")
    seconds, wrong = {"correct": [], "mutant": []}, []
    for line in text.splitlines():
        found = re.match(r"\S*/(s\d{4}_\w+)\.py\s+([\d.]+) s  (\S+)", line)
        if found:
            correct = kinds[found[1]]
            seconds["correct" if correct else "mutant"].append(float(found[2]))
            if correct != (found[3] == "PASS"):
                wrong.append(line.strip())
    judged = sum(map(len, seconds.values()))
    print(text.strip().splitlines()[-1] if text.strip() else "(no output)")
    print(f"exit {status}; {judged} of {args.n} verdicts in {wall:.1f} s wall, {cpu:.1f} "
          f"core-s accounted, machine busy {busy:.1f} core-s ({args.jobs} judges)")
    if judged:
        print(f"per verdict: {wall / judged:.2f} s wall, {cpu / judged:.2f} core-s accounted, "
              f"{busy / judged:.2f} machine busy")
    for kind, values in seconds.items():
        if values:
            print(f"  {kind}: {len(values)} verdicts, judge wall median "
                  f"{statistics.median(values):.2f} s, max {max(values):.1f} s")
    for line in wrong:
        print(f"  WRONG VERDICT: {line}")
    if not args.keep:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()

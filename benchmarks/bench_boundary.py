"""What the judge/worker boundary costs a verdict: the same submissions judged by two checkouts,
one before the boundary (in-process calls) and one after, alternately, so that whatever else the
machine does weighs on both alike.

    python benchmarks/bench_boundary.py BEFORE_CHECKOUT AFTER_CHECKOUT [--rounds 3] [--mutants 10]

Each verdict runs in a fresh process (``python -c``), timed from inside it: Session.open to the
last outcome, the judge's imports excluded; the worker's start and every crossing included. The
mutants are an evenly spaced sample of impl/mutants/. Prints per submission the median of each
side over the rounds, then the medians over the reference and over the mutants, and their ratio.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMED = """
import sys, time
sys.path.insert(0, {root!r})
from rnnspec.run import Session
started = time.perf_counter()
session = Session.open({target!r})
session.all()
print(time.perf_counter() - started)
getattr(session, "close", lambda: None)()
"""


def verdict_seconds(checkout: str, target: str) -> float:
    run = subprocess.run([sys.executable, "-c", TIMED.format(root=checkout, target=target)],
                         cwd=checkout, capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        raise SystemExit(f"{checkout}: {target}: {run.stderr.strip().splitlines()[-1:]}")
    return float(run.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--mutants", type=int, default=10)
    args = parser.parse_args()
    mutants = sorted(p.name for p in (ROOT / "impl" / "mutants").glob("*.py")
                     if p.name not in ("__init__.py", "reference.py", "variant.py")
                     and (Path(args.before) / "impl" / "mutants" / p.name).exists())
    step = max(1, len(mutants) // args.mutants)
    targets = ["impl/reference.py"] + [f"impl/mutants/{m}" for m in mutants[::step]]
    medians = {}
    for target in targets:
        times = {"before": [], "after": []}
        for _ in range(args.rounds):
            for side in ("before", "after"):
                times[side].append(verdict_seconds(getattr(args, side), target))
        medians[target] = {side: statistics.median(v) for side, v in times.items()}
        print(f"{target:<50} before {medians[target]['before']:6.2f} s   "
              f"after {medians[target]['after']:6.2f} s", flush=True)
    for label, chosen in (("reference", targets[:1]), ("mutants", targets[1:])):
        before = statistics.median(medians[t]["before"] for t in chosen)
        after = statistics.median(medians[t]["after"] for t in chosen)
        print(f"median over {label}: before {before:.2f} s, after {after:.2f} s, "
              f"{100 * (after / before - 1):+.0f} %")


if __name__ == "__main__":
    main()

"""Print the CPU time Hypothesis spends per generated example of each strategy the checks draw from.

    python benchmarks/bench_strategies.py [--runs 40]

Each distinct strategy of the registry (all cells' checks) runs as a check runs under the ``ci``
profile (derandomized, 20 examples, its own seed per run), but with a test body that does nothing:
what is left is the cost of drawing, the engine's share of a verdict. A bare ``st.integers`` is
printed first, the floor that any strategy pays. Figures are CPU milliseconds per example (process
time, so another job on the machine inflates them less than wall time), after one untimed run.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from rnnspec.properties.registry import all_checks  # noqa: E402

from rnnspec import profiles  # noqa: E402


def ms_per_example(strategy, runs: int) -> float:
    """CPU ms per example over ``runs`` ci-profile runs of a no-op test, seeds 0 .. runs − 1."""
    calls = [0]

    def body(case):
        calls[0] += 1

    def run(number: int) -> None:
        settings(profiles.get("ci"))(seed(number)(given(case=strategy)(body)))()

    run(runs)  # untimed: first-use caches
    calls[0] = 0
    start = time.process_time()
    for number in range(runs):
        run(number)
    return 1000 * (time.process_time() - start) / calls[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=40, help="ci runs per strategy (default 40)")
    args = parser.parse_args()
    strategies, uses = {}, Counter()
    for check in all_checks().values():
        name = repr(check.strategy)
        name = name if len(name) <= 60 else name[:57] + "..."
        strategies.setdefault(name, check.strategy)
        uses[name] += 1
    print(f"CPU ms per generated example, ci profile, {args.runs} runs of 20 examples each")
    rows = [("st.integers(0, 2**16) (the floor)", st.integers(0, 2**16), 0)]
    rows += [(name, strategy, uses[name]) for name, strategy in strategies.items()]
    for name, strategy, used in rows:
        used = f"{used} checks" if used else ""
        print(f"{ms_per_example(strategy, args.runs):6.2f}  {used:>9}  {name}", flush=True)


if __name__ == "__main__":
    main()

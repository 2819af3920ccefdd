"""Print the suite's power and speed under the default profile: the figures the README quotes.

    python benchmarks/bench_verdicts.py [--profile ci] [--only-summary]

For the reference, each correct variant and each mutant: the time to a full verdict, whether it
was caught (mutants) or passed (the others: any failure is a false alarm), which checks caught it
and after how many examples. Then, per check, how many mutants it catches on its own merits (not
through a broken contract) and how many it alone catches.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rnnspec.run import Session  # noqa: E402
from tests.corpus import MUTANTS, VARIANTS, caught_here, relative  # noqa: E402


def verdict(path: str, profile: str):
    started = time.perf_counter()
    session = Session.open(path, profile=profile)
    outcomes = session.all()
    seconds = time.perf_counter() - started
    session.close()
    return session, outcomes, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profile", default="ci")
    parser.add_argument("--only-summary", action="store_true")
    parser.add_argument("--correct-only", action="store_true",
                        help="only the reference and the correct variants (for --profile thorough)")
    args = parser.parse_args()

    correct = ["impl/reference.py"] + [relative(p) for p in VARIANTS]
    false_alarms, correct_times = [], []
    for path in correct:
        session, outcomes, seconds = verdict(path, args.profile)
        correct_times.append(seconds)
        bad = [o.check for o in outcomes if o.status != "pass"]
        false_alarms += [(path, check) for check in bad]
        examples = sum(o.examples for o in outcomes)
        if not args.only_summary or args.correct_only:
            print(f"{'PASS' if not bad else 'FALSE ALARM'} {path:<44} {seconds:6.2f} s  "
                  f"{examples} examples  {bad}")
        for o in outcomes:  # a false alarm is a bug of the suite: show all it takes to fix it
            if o.status != "pass":
                print(f"    {o.check}: {o.message}\n    case: {o.case}")
    if args.correct_only:
        print(f"false alarms on {len(correct)} correct implementations: {len(false_alarms)}")
        return

    caught, missed, detections, mutant_times = 0, [], [], []
    by_check: dict = {}
    ratios: list = []  # (largest error / tolerance among its wrong values, mutant)
    for path in MUTANTS:
        session, outcomes, seconds = verdict(relative(path), args.profile)
        if not caught_here(path):
            continue
        mutant_times.append(seconds)
        failed = [o for o in outcomes if o.status == "fail"]
        if not failed:
            missed.append(path.stem)
            print(f"MISSED {path.stem}")
            continue
        caught += 1
        first = min(o.detected_at for o in failed)
        detections.append(first)
        for o in failed:
            if o.contract is None:
                by_check.setdefault(o.check, set()).add(path.stem)
        value_ratios = [o.ratio for o in failed if o.ratio is not None]
        if value_ratios:
            ratios.append((max(value_ratios), path.stem))
        if not args.only_summary:
            names = ", ".join(f"{o.check}@{o.detected_at}" + (f"[{o.contract}]" if o.contract
                                                               else "") for o in failed[:4])
            print(f"caught {path.stem:<36} {seconds:6.2f} s  first at example {first:>3}: "
                  f"{names}{' …' if len(failed) > 4 else ''}")

    total = caught + len(missed)
    print()
    print(f"profile {args.profile}")
    print(f"mutants caught: {caught} / {total}" + (f"  missed: {missed}" if missed else ""))
    print(f"examples to detection: median {statistics.median(detections):g}, "
          f"max {max(detections)}")
    print(f"time to a verdict: correct implementations median "
          f"{statistics.median(correct_times):.2f} s (max {max(correct_times):.2f} s); "
          f"mutants median {statistics.median(mutant_times):.2f} s "
          f"(max {max(mutant_times):.2f} s)")
    if ratios:
        low = sorted(ratios)[:3]
        print(f"wrong-value mutants: {len(ratios)}; the least wrong exceed the tolerance by "
              + ", ".join(f"{r:.3g}× ({name})" for r, name in low))
    print(f"false alarms on {len(correct)} correct implementations: {len(false_alarms)} "
          f"{false_alarms if false_alarms else ''}")
    print()
    print("per check: mutants caught by a wrong value (not a broken contract); caught by it alone")
    all_caught = {}
    for check, mutants in by_check.items():
        for mutant in mutants:
            all_caught.setdefault(mutant, set()).add(check)
    for check in sorted(by_check):
        alone = sorted(m for m in by_check[check] if all_caught[m] == {check})
        print(f"  {check:<38} {len(by_check[check]):>3}   alone: {len(alone)} {alone[:3]}")


if __name__ == "__main__":
    main()

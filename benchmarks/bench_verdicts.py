"""Print the suite's power and speed under the default profile: the figures the README quotes.

    python benchmarks/bench_verdicts.py [--profile ci] [--only-summary]
    python benchmarks/bench_verdicts.py --profile thorough --correct-only --margins [--only NAME]

For the reference, each correct variant and each mutant: the time to a full verdict, whether it
was caught (mutants) or passed (the others: any failure is a false alarm), which checks caught it
and after how many examples. Then, per check, how many mutants it catches on its own merits (not
through a broken contract) and how many it alone catches.

``--margins`` records, for correct implementations, the largest error / tolerance of every
comparison that passed (1 is the tolerance itself): how close correct code comes to a false alarm,
per implementation and check. ``--only`` keeps the implementations whose path contains one of the
given names (to split a long thorough run).
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from rnnspec.properties import (  # noqa: E402
    cell_gradients,
    compare,
    forward,
    sequence_gradients,
    softmax_laws,
)
from rnnspec.properties.tolerance import tolerance  # noqa: E402

from rnnspec.run import Session  # noqa: E402
from tests.corpus import MUTANTS, VARIANTS, caught_here, relative  # noqa: E402

CHECK_MODULES = (cell_gradients, forward, sequence_gradients, softmax_laws)


class Margins:
    """The largest error / tolerance of the comparisons that passed, per check (while active)."""

    def __init__(self):
        self.worst: dict = {}  # check -> (ratio, what)
        self.current = None

    def _note(self, ratio: float, what: str) -> None:
        if self.current is not None and ratio <= 1.0 and ratio > self.worst.get(
                self.current, (-1.0, ""))[0]:
            self.worst[self.current] = (ratio, what)

    def install(self) -> None:
        close, scalar = compare.assert_close, compare.assert_scalar_close

        def assert_close(what, actual, expected, M, **options):
            close(what, actual, expected, M, **options)  # raises on a failure: no margin then
            try:
                error = np.abs(np.asarray(actual, dtype=np.complex128) - np.asarray(expected))
                allowed = tolerance(M, options.get("dtype", np.float64))
                self._note(float(np.max(error / allowed, initial=0.0)), what)
            except (TypeError, ValueError):
                pass

        def assert_scalar_close(what, actual, expected, allowed, against):
            scalar(what, actual, expected, allowed, against)
            if allowed > 0:
                self._note(abs(actual - expected) / allowed, what)

        for module in CHECK_MODULES:
            if hasattr(module, "assert_close"):
                module.assert_close = assert_close
            if hasattr(module, "assert_scalar_close"):
                module.assert_scalar_close = assert_scalar_close

    def watch(self, session: Session) -> None:
        """Wrap every check's body so that its comparisons are booked under its id."""
        def wrapped(check):
            def body(impl, case):
                self.current = check.id
                try:
                    return check.body(impl, case)
                finally:
                    self.current = None
            return dataclasses.replace(check, body=body)
        session.checks = {cid: wrapped(check) for cid, check in session.checks.items()}


def verdict(path: str, profile: str, margins: Margins = None, checks=None):
    started = time.perf_counter()
    session = Session.open(path, profile=profile)
    if checks:
        session.checks = {cid: c for cid, c in session.checks.items() if cid in checks}
    if margins is not None:
        margins.worst = {}
        margins.watch(session)
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
    parser.add_argument("--margins", action="store_true",
                        help="record how close correct code comes to each tolerance")
    parser.add_argument("--only", nargs="*", default=None,
                        help="only the implementations whose path contains one of these")
    parser.add_argument("--checks", nargs="*", default=None,
                        help="only these checks (ids), for the correct implementations")
    args = parser.parse_args()

    def chosen(path: str) -> bool:
        return args.only is None or any(name in path for name in args.only)

    margins = Margins() if args.margins else None
    if margins is not None:
        margins.install()
    correct = [p for p in ["impl/reference.py"] + [relative(p) for p in VARIANTS] if chosen(p)]
    false_alarms, correct_times, overall = [], [], []
    for path in correct:
        session, outcomes, seconds = verdict(path, args.profile, margins, args.checks)
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
        if margins is not None and margins.worst:
            top = sorted(margins.worst.items(), key=lambda kv: -kv[1][0])
            print("    closest to a tolerance: " + "; ".join(
                f"{check} {ratio:.2g}" for check, (ratio, _) in top))
            check, (ratio, what) = top[0]
            overall.append((ratio, path, check, what))
    if args.correct_only:
        print(f"false alarms on {len(correct)} correct implementations: {len(false_alarms)}")
        if overall:
            ratio, path, check, what = max(overall)
            print(f"worst margin: {ratio:.3g} × tolerance ({path}, {check}: {what[:160]})")
        return

    caught, missed, detections, mutant_times = 0, [], [], []
    by_check: dict = {}
    ratios: list = []  # (largest error / tolerance among its wrong values, mutant)
    for path in [p for p in MUTANTS if chosen(relative(p))]:
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

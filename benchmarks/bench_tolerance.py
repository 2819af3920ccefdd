"""Measure how close correct implementations come to the tolerance: the evidence for C.

    python benchmarks/bench_tolerance.py [--cases 400]

For the reference and every correct variant, on random cases drawn like the properties draw them
(sizes 1–8, magnitudes over several decades), this prints the largest |actual − oracle| / (eps·M)
seen for each output, where M is the absolute-value recomputation of properties/tolerance.py.
The suite allows C = 64 times eps·M; the value bugs of the mutant corpus sit at 1e4 and beyond
(their failure messages give the ratio as "N × tolerance").
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rnnspec.properties.cases import MAX_SIZE, MAX_STEPS, Case  # noqa: E402
from rnnspec.properties.cell_gradients import Cell  # noqa: E402
from rnnspec.properties.forward import expected_sequence  # noqa: E402
from rnnspec.properties.sequence_gradients import KEYS, Sequence  # noqa: E402
from rnnspec.properties.tolerance import EPS, C  # noqa: E402
from rnnspec.symbolic import oracle  # noqa: E402

from rnnspec.run import Session  # noqa: E402
from tests.corpus import VARIANTS, relative  # noqa: E402


def random_case(rng: np.random.Generator) -> Case:
    size = lambda: int(rng.integers(1, MAX_SIZE + 1))  # noqa: E731
    return Case(n_x=size(), n_a=size(), n_y=size(), m=size(),
                T_x=int(rng.integers(1, MAX_STEPS + 1)), seed=int(rng.integers(0, 2**16)),
                weights=10 ** rng.uniform(-2, 2.5), inputs=10 ** rng.uniform(-1, 1),
                logits=10 ** rng.uniform(-1, 3), upstream=10 ** rng.uniform(-3, 3))


def ratio(actual, expected, M) -> float:
    error = np.abs(np.asarray(actual, dtype=float) - expected)
    return float(np.max(error / (EPS * M + np.finfo(float).tiny)))


def measure(session: Session, case: Case, worst: dict) -> None:
    impl = session.impl
    a, y_pred, M_a, M_y = expected_sequence(case)
    out = impl.rnn_forward(case.x, case.a0, case.parameters)
    for name, value, exact, M in (("a", out["a"], a, M_a), ("y_pred", out["y_pred"], y_pred, M_y)):
        worst[name] = max(worst.get(name, 0.0), ratio(value, exact, M))
    cell = Cell(impl, case)
    got = impl.rnn_cell_backward(cell.da_next, cell.cache)
    expected, M = cell.expected(), cell.bound()
    for key in expected:
        worst["cell " + key] = max(worst.get("cell " + key, 0.0), ratio(got[key], expected[key],
                                                                         M[key]))
    seq = Sequence(impl, case)
    got = impl.rnn_backward(seq.da, seq.caches)
    expected, M = oracle.rnn_backward(seq.da, case.x, case.a0, case.parameters), seq.bound()
    for key in KEYS:
        worst["seq " + key] = max(worst.get("seq " + key, 0.0), ratio(got[key], expected[key],
                                                                       M[key]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=400)
    args = parser.parse_args()
    rng = np.random.default_rng(2026)
    cases = [random_case(rng) for _ in range(args.cases)]
    overall = 0.0
    for path in ["impl/reference.py"] + [relative(p) for p in VARIANTS]:
        session, worst = Session.open(path), {}
        for case in cases:
            measure(session, case, worst)
        overall = max(overall, max(worst.values()))
        top = sorted(worst.items(), key=lambda kv: -kv[1])[:3]
        print(f"{path:<44} largest error / (eps·M): "
              + ", ".join(f"{k} {v:.2f}" for k, v in top))
    print(f"\n{args.cases} cases per implementation; largest over all: {overall:.2f} eps·M; "
          f"the suite allows C = {C:g} (margin {C / max(overall, 1e-300):.0f}×)")


if __name__ == "__main__":
    main()

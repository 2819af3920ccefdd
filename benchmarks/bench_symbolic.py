"""Timings of the symbolic side: cold derivation, cold audit, and oracle calls vs the reference.

Run ``python benchmarks/bench_symbolic.py`` from the repository root. The cold numbers come from
fresh interpreters (the derivation is cached per process, so a warm number would be meaningless);
the per-call numbers are ``timeit`` best-of-5 in this process after one warm-up call. The goal
set by the issue is a whole audit ≤ 3 s cold.
"""

from __future__ import annotations

import subprocess
import sys
import time
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402 - after the sys.path line, on purpose
from rnnspec.impl import reference  # noqa: E402
from rnnspec.symbolic import oracle, precise  # noqa: E402

COLD = {
    "import symbolic.oracle (no SymPy)": "import symbolic.oracle",
    "derivation (SymPy import + diff of the cell loss)": (
        "from symbolic import matrix_proof; matrix_proof.closed_cell_gradients()"
    ),
    "oracle first call (derivation + lambdify)": (
        "import numpy as np; from symbolic import oracle; "
        "oracle.cell_backward(*[np.ones((1, 1))] * 4, {'Wax': np.ones((1, 1)), "
        "'Waa': np.ones((1, 1))})"
    ),
}


def cold(code: str, repeat: int = 3) -> float:
    """Best wall time of ``code`` in a fresh interpreter, minus the bare interpreter start-up."""

    def wall(source: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", source], cwd=ROOT, check=True)
        return time.perf_counter() - start

    baseline = min(wall("pass") for _ in range(repeat))
    return min(wall(code) for _ in range(repeat)) - baseline


def cold_audit(repeat: int = 3) -> float:
    def wall() -> float:
        start = time.perf_counter()
        command = [sys.executable, "-m", "symbolic.audit", "--output", "/dev/null"]
        subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - start

    return min(wall() for _ in range(repeat))


def per_call(function) -> float:
    function()
    timer = timeit.Timer(function)
    number, _ = timer.autorange()
    return min(timer.repeat(5, number)) / number


def problem(n_x: int, n_a: int, n_y: int, m: int, steps: int) -> dict:
    rng = np.random.default_rng(0)
    p = {
        "Wax": rng.standard_normal((n_a, n_x)),
        "Waa": rng.standard_normal((n_a, n_a)),
        "Wya": rng.standard_normal((n_y, n_a)),
        "ba": rng.standard_normal((n_a, 1)),
        "by": rng.standard_normal((n_y, 1)),
    }
    x = rng.standard_normal((n_x, m, steps))
    return {
        "x": x,
        "a0": rng.standard_normal((n_a, m)),
        "da": rng.standard_normal((n_a, m, steps)),
        "p": p,
    }


def comparisons(q: dict) -> list[tuple[str, object, object]]:
    x, a0, p, da = q["x"], q["a0"], q["p"], q["da"]
    xt, da_next = x[:, :, 0], da[:, :, 0]
    _, cache = reference.rnn_cell_forward(xt, a0, p)
    a_next = cache[1]

    def reference_rnn_backward():
        return reference.rnn_backward(da, reference.rnn_forward(x, a0, p)[2])

    return [
        (
            "cell forward",
            lambda: oracle.cell_forward(xt, a0, p),
            lambda: reference.rnn_cell_forward(xt, a0, p),
        ),
        (
            "cell backward",
            lambda: oracle.cell_backward(da_next, xt, a0, a_next, p),
            lambda: reference.rnn_cell_backward(da_next, cache),
        ),
        (
            "rnn forward",
            lambda: oracle.rnn_forward(x, a0, p),
            lambda: reference.rnn_forward(x, a0, p),
        ),
        (
            "rnn backward (incl. forward)",
            lambda: oracle.rnn_backward(da, x, a0, p),
            reference_rnn_backward,
        ),
        (
            "complex-step gradient",
            lambda: oracle.complex_step_gradient(da, x, a0, p),
            reference_rnn_backward,
        ),
        (
            "precise rnn_backward",
            lambda: precise.rnn_backward(da, x, a0, p),
            reference_rnn_backward,
        ),
    ]


def main() -> None:
    print("## Cold (fresh interpreter, best of 3, interpreter start-up subtracted)\n")
    for label, code in COLD.items():
        print(f"- {label}: {cold(code):.3f} s")
    print(f"- whole audit, `rnnspec audit` wall time: {cold_audit():.3f} s (goal ≤ 3 s)")
    shape = (3, 5, 2, 4, 5)
    print(f"\n## Per call, (n_x, n_a, n_y, m, T_x) = {shape}\n")
    print("| function | oracle | reference | ratio |")
    print("|---|---|---|---|")
    for label, ours, theirs in comparisons(problem(*shape)):
        mine, ref = per_call(ours), per_call(theirs)
        print(f"| {label} | {mine * 1e6:.1f} µs | {ref * 1e6:.1f} µs | {mine / ref:.2f} |")


if __name__ == "__main__":
    main()

"""What the boundary and the contracts cost per call: Checked over a worker running the reference
against the reference called directly in this process.

    python benchmarks/bench_contracts.py [--repeat 7] [--number 200]

At the course sizes (n_x = 3, n_a = 5, n_y = 2, m = 10, T_x = 4), for each of the five functions,
µs per call: direct (in this process, no boundary); through Checked with no contract (the round
trip to the worker: encoding the arguments, the pipe both ways, decoding the result and the
arguments as they were after the call, reading the outputs by name); through Checked with every
contract; the overhead of the latter over the direct call, and the part of it the contracts take;
and with determinism on as well (the worker calls twice, both results come back, compared). The
worker is sandboxed where bubblewrap works (the figures do not depend on it: the sandbox costs at
start-up only). Each figure is the best of ``--repeat`` runs of ``--number`` calls.
"""

from __future__ import annotations

import argparse
import functools
import sys
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from rnnspec.impl import reference  # noqa: E402
from rnnspec.properties.registry import FUNCTIONS  # noqa: E402
from rnnspec.spec.cells.rnn import SEED  # noqa: E402
from rnnspec.spec.checked import Checked  # noqa: E402

from rnnspec import source  # noqa: E402
from rnnspec.submission import Submission  # noqa: E402


def course_arguments(seed: int = 1) -> dict:
    """The five functions' arguments at the course sizes, caches from the reference."""
    rng = np.random.default_rng(seed)
    n_x, n_a, n_y, m, T_x = 3, 5, 2, 10, 4
    parameters = {"Wax": rng.standard_normal((n_a, n_x)), "Waa": rng.standard_normal((n_a, n_a)),
                  "Wya": rng.standard_normal((n_y, n_a)), "ba": rng.standard_normal((n_a, 1)),
                  "by": rng.standard_normal((n_y, 1))}
    x, a0 = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m))
    da = rng.standard_normal((n_a, m, T_x))
    _, cache = reference.rnn_cell_forward(x[:, :, 0], a0, parameters)
    _, _, caches = reference.rnn_forward(x, a0, parameters)
    return {"softmax": (rng.standard_normal((n_y, m)),),
            "rnn_cell_forward": (x[:, :, 0], a0, parameters),
            "rnn_forward": (x, a0, parameters),
            "rnn_cell_backward": (da[:, :, 0], cache),
            "rnn_backward": (da, caches)}


def per_call(function, repeat: int, number: int) -> float:
    """µs per call, best of ``repeat`` runs."""
    return min(timeit.repeat(function, repeat=repeat, number=number)) / number * 1e6


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--number", type=int, default=200)
    options = parser.parse_args(argv)
    submission = Submission(source.read(str(ROOT / "impl" / "reference.py")), FUNCTIONS)
    worker = submission.worker()
    bare = Checked(worker, SEED, contracts=())
    checked = Checked(worker, SEED)
    twice = Checked(worker, SEED, deterministic=True)
    arguments = course_arguments()
    print("µs per call at n_x=3, n_a=5, n_y=2, m=10, T_x=4 "
          f"(best of {options.repeat} × {options.number}; Python {sys.version.split()[0]}, "
          f"NumPy {np.__version__})")
    print(f"{'function':<20}{'direct':>8}{'no contract':>13}{'Checked':>9}{'overhead':>10}"
          f"{'contracts':>11}{'×':>6}{'+determinism':>14}")
    for name in arguments:  # the RNN's five (FUNCTIONS has the LSTM's and the GRU's too)
        args, timing = arguments[name], (options.repeat, options.number)
        direct = per_call(functools.partial(getattr(reference, name), *args), *timing)
        machinery = per_call(functools.partial(bare.call, name, *args), *timing)
        wrapped = per_call(functools.partial(checked.call, name, *args), *timing)
        both = per_call(functools.partial(twice.call, name, *args), *timing)
        print(f"{name:<20}{direct:>8.1f}{machinery:>13.1f}{wrapped:>9.1f}{wrapped - direct:>10.1f}"
              f"{wrapped - machinery:>11.1f}{wrapped / direct:>6.1f}{both:>14.1f}")
    submission.close()


if __name__ == "__main__":
    main()

"""Inputs for the contract meta-tests: one RNN problem, and each function's arguments from it.

A :class:`Problem` holds random x, a0, parameters, upstream gradients and logits, plus the exact
states the equations give (computed here, in plain NumPy, so that the caches handed to the
backward functions are realistic without trusting any implementation under test). ``arguments``
builds a function's arguments in a convention's cache order, the way a property would.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from rnnspec.properties.registry import FUNCTIONS
from rnnspec.spec.cell import Convention

from rnnspec import source
from rnnspec.submission import Submission

ROOT = Path(__file__).resolve().parents[2]
MUTANTS = ROOT / "impl" / "mutants"


def implementation(path):
    """A worker running the submission at ``path`` (relative to the repository root).

    Not sandboxed: these tests are about contracts, and a process per submission is enough.
    """
    return Submission(source.read(str(ROOT / path)), FUNCTIONS, sandbox=False).worker()


class Problem:
    """A seeded random problem; sizes independent, values N(0, scale²) in ``dtype``.

    (A plain class, not a dataclass: the meta-tests load this file by its path, outside
    sys.modules, where dataclasses cannot resolve their module.)
    """

    def __init__(self, seed: int = 0, n_x: int = 3, n_a: int = 5, n_y: int = 2, m: int = 10,
                 T_x: int = 4, scale: float = 1.0, dtype: str = "float64"):
        self.seed, self.scale, self.dtype = seed, scale, dtype
        self.n_x, self.n_a, self.n_y, self.m, self.T_x = n_x, n_a, n_y, m, T_x
        rng = np.random.default_rng(seed)

        def draw(*shape):
            return (scale * rng.standard_normal(shape)).astype(dtype)

        self.parameters = {"Wax": draw(n_a, n_x), "Waa": draw(n_a, n_a), "Wya": draw(n_y, n_a),
                           "ba": draw(n_a, 1), "by": draw(n_y, 1)}
        self.x, self.a0 = draw(n_x, m, T_x), draw(n_a, m)
        self.da, self.logits = draw(n_a, m, T_x), draw(n_y, m)
        # The exact states, so the caches handed to the backward functions are realistic.
        p = {k: v.astype(np.float64) for k, v in self.parameters.items()}
        states, previous = [], self.a0.astype(np.float64)
        for t in range(T_x):
            previous = np.tanh(p["Wax"] @ self.x[:, :, t] + p["Waa"] @ previous + p["ba"])
            states.append(previous.astype(dtype))
        self.a = np.stack(states, axis=2)

    def __repr__(self) -> str:
        return (f"Problem(seed={self.seed}, n_x={self.n_x}, n_a={self.n_a}, n_y={self.n_y}, "
                f"m={self.m}, T_x={self.T_x}, scale={self.scale:.3g}, dtype={self.dtype!r})")


def cell_caches(problem: Problem, convention: Convention) -> list:
    """Each step's cell cache in ``convention``'s order, all sharing one parameters dict."""
    x, a = problem.x, problem.a
    previous = [problem.a0] + [a[:, :, t] for t in range(problem.T_x - 1)]
    return [convention.cell_cache_from(a_prev=previous[t], a_next=a[:, :, t], xt=x[:, :, t],
                                       parameters=problem.parameters)
            for t in range(problem.T_x)]


def arguments(function: str, problem: Problem, convention: Convention) -> tuple:
    """The arguments of ``function`` for ``problem``, caches in ``convention``'s order."""
    if function == "softmax":
        return (problem.logits,)
    if function == "rnn_cell_forward":
        return problem.x[:, :, 0], problem.a0, problem.parameters
    if function == "rnn_forward":
        return problem.x, problem.a0, problem.parameters
    if function == "rnn_cell_backward":
        return problem.da[:, :, 0], cell_caches(problem, convention)[0]
    if function == "rnn_backward":
        return problem.da, (cell_caches(problem, convention), problem.x)
    raise ValueError(f"unknown function {function!r}")


def call(worker, function: str, *args):
    """What the worker's ``function(*args)`` returns, unchecked (for building test inputs)."""
    return worker.call(function, list(args))[0]["ok"]

"""rnn_cell_backward: the symbolic gradient, a finite-difference second opinion, linearity.

The cache is built by the suite from the oracle's forward values, in the implementation's own
convention, so the backward pass is judged on its own even when the forward pass is broken. Its
a_next has the dtype a forward pass would give (float32 for float32 inputs), and the expected
gradients are those of that cached value.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
from rnnspec.properties import fingerprints
from rnnspec.properties.cases import INFORMATIVE, Case, cases, frozen
from rnnspec.properties.compare import assert_close, assert_scalar_close
from rnnspec.properties.finite_differences import directional_derivative
from rnnspec.properties.registry import check
from rnnspec.properties.tolerance import (
    cell_backward_bound,
    cell_forward_bound,
    eps_of,
    inner_product_bound,
)
from rnnspec.symbolic import oracle, precise

GRADIENT_OF = {"xt": "dxt", "a_prev": "da_prev", "Wax": "dWax", "Waa": "dWaa", "ba": "dba"}


class Cell:
    """One cell of a case: its inputs, the exact forward values, and the cache the suite builds.

    Built once per case and convention (``Cell.of``) and shared: read-only."""

    @classmethod
    def of(cls, impl, case: Case) -> Cell:
        return case.derived(("Cell", impl.convention), lambda: cls(impl.convention, case))

    def __init__(self, convention, case: Case, t: int = 0):
        self.case, self.p = case, case.parameters
        self.xt, self.a_prev, self.da_next = case.x[:, :, t], case.a0, case.da[:, :, t]
        a_next, _ = oracle.cell_forward(self.xt, self.a_prev, self.p)
        self.a_next = frozen(a_next.astype(case.state_dtype))
        self.cache = convention.cell_cache_from(a_prev=self.a_prev, a_next=self.a_next,
                                                xt=self.xt, parameters=self.p)

    def bound(self, da_next=None) -> dict:
        if da_next is None:
            return dict(self._bound)
        return cell_backward_bound(da_next, self.xt, self.a_prev, self.a_next, self.p)

    @cached_property
    def _bound(self) -> dict:
        return frozen(self.bound(self.da_next))

    def eps(self) -> dict:
        """Each gradient's eps, by the name of what it is taken with respect to (``base``)."""
        return {k: eps_of(self.case.precision(GRADIENT_OF[k])) for k in GRADIENT_OF}

    def expected(self) -> dict:
        return dict(self._expected)

    @cached_property
    def _expected(self) -> dict:
        return frozen(oracle.cell_backward(self.da_next, self.xt, self.a_prev, self.a_next,
                                           self.p))


@check("rnn_cell_backward.oracle", "each gradient equals the one SymPy derives from the cell "
       "equations, (0)–(5) of EQUATIONS.md", cases(), examples=INFORMATIVE)
def cell_gradients_match_oracle(impl, case: Case) -> None:
    cell = Cell.of(impl, case)
    out = impl.rnn_cell_backward(cell.da_next, cell.cache)
    expected, M = cell.expected(), cell.bound()
    exact = {}
    rounded_states = case.state_dtype != np.float64  # the exact oracle knows no cached rounding

    def settle(key):
        if not exact:
            exact.update(precise.cell_backward(cell.da_next, cell.xt, cell.a_prev, cell.p))
        return exact[key]

    known = {}

    def fingerprints_of(key):
        if not known:
            known.update(fingerprints.cell(cell.da_next, cell.xt, cell.a_prev, cell.a_next, cell.p))
        return known[key]

    for key in ("dxt", "da_prev", "dWax", "dWaa", "dba"):
        assert_close(f"rnn_cell_backward gradients[{key!r}] on {case}", out.get(key),
                     expected[key], M[key],
                     settle=None if rounded_states else (lambda key=key: settle(key)),
                     fingerprints=lambda key=key: fingerprints_of(key),
                     against="the symbolic gradient", dtype=case.precision(key))


def _rounded_cache_error(cell: Cell, v: dict) -> float:
    """The differences see the exact a_next, the implementation the cached one, rounded to
    float32 when the inputs are: the gradients' change, bounded through M by that rounding."""
    if cell.case.state_dtype == np.float64:
        return 0.0
    return inner_product_bound({k: cell.bound()[GRADIENT_OF[k]] for k in v}, v, cell.eps())


def _cell_loss(case: Case, da_next, point: dict) -> float:
    a_next, _ = oracle.cell_forward(point["xt"], point["a_prev"], {**case.parameters, **point})
    return float(np.sum(da_next * a_next))


def _directions(case: Case, cell: Cell, stream: int) -> dict:
    """A random direction, each block scaled like the values it perturbs (relative steps)."""
    values = {"xt": cell.xt, "a_prev": cell.a_prev, **{k: case.parameters[k]
                                                       for k in ("Wax", "Waa", "ba")}}
    return {k: case.random_like(stream + i, v.shape) * (np.max(np.abs(v)) + 1.0)
            for i, (k, v) in enumerate(values.items())}


@check("rnn_cell_backward.finite_differences", "each gradient agrees with self-calibrated central "
       "differences of the forward equations, along random directions", cases(),
       examples=INFORMATIVE[:4])
def cell_gradients_match_differences(impl, case: Case) -> None:
    cell = Cell.of(impl, case)
    out = impl.rnn_cell_backward(cell.da_next, cell.cache)
    base = {"xt": cell.xt, "a_prev": cell.a_prev,
            **{k: case.parameters[k] for k in ("Wax", "Waa", "ba")}}
    a_next, _ = oracle.cell_forward(cell.xt, cell.a_prev, case.parameters)  # of the float inputs
    M_a, _ = cell_forward_bound(cell.xt, cell.a_prev, case.parameters, a_next)
    M_f = float(np.sum(np.abs(cell.da_next) * (M_a + np.abs(a_next))))
    M_g = cell.bound()
    for stream in (0, 5):
        v = _directions(case, cell, stream)
        differences = directional_derivative(
            lambda e, v=v: _cell_loss(case, cell.da_next, {k: base[k] + e * v[k] for k in base}),
            M_f)
        if differences is None:  # no trustworthy step along this direction: abstain
            continue
        estimate, allowed = differences
        claimed = sum(float(np.sum(np.asarray(out.get(GRADIENT_OF[k]), dtype=float) * v[k]))
                      for k in base)
        claimed_error = inner_product_bound({k: M_g[GRADIENT_OF[k]] for k in base}, v,
                                            cell.eps())
        assert_scalar_close(f"rnn_cell_backward: ⟨gradients, v⟩ along a random direction v "
                            f"(stream {stream}) on {case}", claimed, estimate,
                            allowed + claimed_error + _rounded_cache_error(cell, v),
                            "central differences of ⟨da_next, a_next⟩")


@check("rnn_cell_backward.linearity", "the gradients are linear in da_next: g(α·u + β·w) = "
       "α·g(u) + β·g(w)", cases(), examples=INFORMATIVE[:3])
def cell_gradients_are_linear(impl, case: Case) -> None:
    cell = Cell.of(impl, case)
    data = case.data_dtype
    u = cell.da_next
    w = (case.upstream * case.random_like(0, cell.da_next.shape)).astype(data)
    alpha, beta = 1.0 + case.random_like(1, ())[()] ** 2, -0.5 - case.random_like(2, ())[()] ** 2
    da_next = (alpha * u + beta * w).astype(data)
    combined = impl.rnn_cell_backward(da_next, cell.cache)
    gu = impl.rnn_cell_backward(u, cell.cache)
    gw = impl.rnn_cell_backward(w, cell.cache)
    # Both sides' rounding (2·M), and da_next's own rounding to its dtype (one M more, in float32).
    M = cell.bound(abs(alpha) * np.abs(u) + abs(beta) * np.abs(w))
    sides = 2.0 if data == np.float64 else 3.0
    for key in ("dxt", "da_prev", "dWax", "dWaa", "dba"):
        assert_close(f"rnn_cell_backward gradients[{key!r}] for da_next = α·u + β·w "
                     f"(α = {alpha:.3g}, β = {beta:.3g}) on {case}", combined.get(key),
                     alpha * np.asarray(gu.get(key)) + beta * np.asarray(gw.get(key)),
                     sides * M[key], against="α·g(u) + β·g(w)",
                     dtype=max(case.precision(key), data, key=eps_of))


"""rnn_backward: the exact gradients of L = Σₜ ⟨da[:, :, t], a⟨t⟩⟩, by four independent routes.

1. the through-time rule applied to the symbolic cell gradient, entry by entry (``oracle``);
2. complex-step directional derivatives of the suite's own forward, exact to rounding;
3. self-calibrated central differences of the suite's forward (no oracle involved);
4. the implementation's own forward, differentiated by central differences (``adjoint``): its
   backward must be the adjoint of its own forward's derivative.
Plus the laws: linearity in da, and batch sums. The caches are built by the suite from the oracle's
forward values (except for ``adjoint``), so rnn_backward is judged even when rnn_forward is broken.
Their states have the dtype a forward pass would give (float32 for float32 inputs); the expected
gradients are the through-time rule applied to those cached states.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
from rnnspec.properties import fingerprints
from rnnspec.properties.cases import INFORMATIVE, Case, cases, frozen
from rnnspec.properties.compare import Mismatch, assert_close, assert_scalar_close
from rnnspec.properties.finite_differences import directional_derivative
from rnnspec.properties.registry import check
from rnnspec.properties.tolerance import (
    EPS,
    C,
    eps_of,
    inner_product_bound,
    sequence_backward_bound,
    sequence_forward_bound,
)
from rnnspec.symbolic import oracle, precise

from rnnspec.sandbox import ImplementationFailure

KEYS = ("dx", "da0", "dWax", "dWaa", "dba")
SHRINK = 2.0**-34  # a power of two: scaling a direction by it, and dividing back, is exact
INPUT_OF = {"dx": "x", "da0": "a0", "dWax": "Wax", "dWaa": "Waa", "dba": "ba"}


class Sequence:
    """A case's sequence: exact forward values, and caches the suite builds in impl's convention.

    Built once per case, convention and length (``Sequence.of``) and shared: read-only."""

    @classmethod
    def of(cls, impl, case: Case, steps=None) -> Sequence:
        """``steps``: only the first that many time steps of the case (the same values)."""
        return case.derived(("Sequence", impl.convention, steps),
                            lambda: cls(impl.convention, case, steps))

    def __init__(self, convention, case: Case, steps=None):
        self.case, self.p = case, case.parameters
        steps = case.T_x if steps is None else steps
        self.x = case.x[:, :, :steps]
        self.da = case.da[:, :, :steps]
        a, _ = oracle.rnn_forward(self.x, case.a0, self.p)
        self.a = frozen(a.astype(case.state_dtype))
        # One array per step, each step's a_next the next one's a_prev, as a forward pass leaves
        # them (and the wire sends a shared array once).
        states = [self.a[:, :, t] for t in range(steps)]
        previous = [case.a0] + states[:-1]
        self.caches = ([convention.cell_cache_from(a_prev=previous[t], a_next=states[t],
                                                   xt=self.x[:, :, t], parameters=self.p)
                        for t in range(steps)], self.x)

    def bound(self, da=None) -> dict:
        if da is None:
            return dict(self._bound)
        return sequence_backward_bound(da, self.x, self.case.a0, self.a, self.p)

    @cached_property
    def _bound(self) -> dict:
        return frozen(self.bound(self.da))

    def expected(self) -> dict:
        """The through-time rule on the symbolic cell gradient, at the cached states."""
        return dict(self._expected)

    @cached_property
    def _expected(self) -> dict:
        if self.case.state_dtype == np.float64:
            return frozen(oracle.rnn_backward(self.da, self.x, self.case.a0, self.p))
        return frozen(fingerprints.through_time(self.da, self.x, self.case.a0, self.a, self.p))

    def eps(self) -> dict:
        return {k: eps_of(self.case.precision(k)) for k in KEYS}

    def values(self) -> dict:
        """The arrays each gradient is taken with respect to, by gradient name."""
        return {"dx": self.case.x, "da0": self.case.a0,
                **{k: self.p[INPUT_OF[k]] for k in ("dWax", "dWaa", "dba")}}


def first_wrong_length(impl, case: Case) -> int:
    """The fewest time steps on which rnn_backward is already wrong (to point at the bad step)."""
    for length in range(1, case.T_x + 1):
        seq = Sequence.of(impl, case, steps=length)
        try:
            out = impl.rnn_backward(seq.da, seq.caches)
            expected, M = seq.expected(), seq.bound()
            for key in KEYS:
                assert_close(key, out.get(key), expected[key], M[key],
                             dtype=case.precision(key))
        except (Mismatch, ImplementationFailure):
            return length
    return case.T_x


@check("rnn_backward.oracle", "each gradient equals the through-time rule applied to the "
       "symbolic cell gradient", cases(), examples=INFORMATIVE)
def sequence_gradients_match_oracle(impl, case: Case) -> None:
    seq = Sequence.of(impl, case)
    out = impl.rnn_backward(seq.da, seq.caches)
    expected, M = seq.expected(), seq.bound()
    exact, known = {}, {}
    rounded_states = case.state_dtype != np.float64  # the exact oracle knows no cached rounding

    def settle(key):
        if not exact:
            exact.update(precise.rnn_backward(seq.da, case.x, case.a0, seq.p))
        return exact[key]

    def fingerprints_of(key):
        if not known:
            known.update(fingerprints.sequence(seq.da, case.x, case.a0, seq.a, seq.p))
        return known[key]

    for key in KEYS:
        try:
            assert_close(f"rnn_backward gradients[{key!r}] on {case}", out.get(key),
                         expected[key], M[key],
                         settle=None if rounded_states else (lambda key=key: settle(key)),
                         fingerprints=lambda key=key: fingerprints_of(key),
                         against="the through-time rule", dtype=case.precision(key))
        except Mismatch as mismatch:
            if case.T_x > 1:
                length = first_wrong_length(impl, case)
                note = (f"\n  already wrong with T_x = {length}" + (
                        " (one step: the cell's own gradient or its accumulation)" if length == 1
                        else f" (first wrong when step {length - 2} receives the carry from "
                             f"step {length - 1})"))
                raise Mismatch(str(mismatch) + note, mismatch.ratio, "") from None
            raise


def _directions(case: Case, seq: Sequence, stream: int) -> dict:
    return {k: case.random_like(stream + i, v.shape) * (np.max(np.abs(v)) + 1.0)
            for i, (k, v) in enumerate(seq.values().items())}


def _rounded_cache_error(seq: Sequence, v: dict) -> float:
    """The oracles below see the exact states, the implementation the cached ones, rounded to
    float32 when the inputs are: the gradients' change, bounded through M by that rounding."""
    return 0.0 if seq.case.state_dtype == np.float64 else inner_product_bound(seq.bound(), v,
                                                                              seq.eps())


def _claimed(out: dict, v: dict) -> float:
    return sum(float(np.sum(np.asarray(out.get(k), dtype=float) * v[k])) for k in v)


def _perturbed(case: Case, v: dict, e: float):
    p = {**case.parameters, **{INPUT_OF[k]: case.parameters[INPUT_OF[k]] + e * v[k]
                              for k in ("dWax", "dWaa", "dba")}}
    return case.x + e * v["dx"], case.a0 + e * v["da0"], p


def _loss_bound(case: Case, seq: Sequence) -> float:
    M_a, _ = sequence_forward_bound(case.x, case.a0, case.parameters, seq.a)
    return float(np.sum(np.abs(seq.da) * (M_a + np.abs(seq.a))))


@check("rnn_backward.complex_step", "⟨gradients, v⟩ equals the complex-step derivative of L "
       "along random directions v (exact to rounding)", cases(), examples=INFORMATIVE)
def sequence_gradients_match_complex_step(impl, case: Case) -> None:
    seq = Sequence.of(impl, case)
    out = impl.rnn_backward(seq.da, seq.caches)
    M = seq.bound()
    for stream in (0, 5, 10):
        v = _directions(case, seq, stream)
        # Along v·2⁻³⁴, times 2³⁴ (both exact in binary): the oracle's step of 1e-20 becomes
        # 6e-31, whose h² terms stay below rounding even where the derivative reaches 1e14
        # (zero states, tanh linear, |Waa| ~ 100 over 6 steps: at 1e-20 they were 4e-13 of it).
        direction = {INPUT_OF[k]: v[k] * SHRINK for k in v}
        exact = oracle.complex_step_directional(seq.da, case.x, case.a0, case.parameters,
                                                direction) / SHRINK
        assert_scalar_close(f"rnn_backward: ⟨gradients, v⟩ along a random direction v "
                            f"(stream {stream}) on {case}", _claimed(out, v), exact,
                            inner_product_bound(M, v, seq.eps()) + C * EPS * abs(exact)
                            + _rounded_cache_error(seq, v),
                            "the complex-step derivative of L")


@check("rnn_backward.finite_differences", "⟨gradients, v⟩ agrees with self-calibrated central "
       "differences of L along random directions", cases(), examples=INFORMATIVE[:4])
def sequence_gradients_match_differences(impl, case: Case) -> None:
    seq = Sequence.of(impl, case)
    out = impl.rnn_backward(seq.da, seq.caches)
    M, M_f = seq.bound(), _loss_bound(case, seq)
    for stream in (0, 5):
        v = _directions(case, seq, stream)
        differences = directional_derivative(
            lambda e, v=v: float(oracle.sequence_loss(seq.da, *_perturbed(case, v, e))), M_f)
        if differences is None:  # no trustworthy step along this direction: abstain
            continue
        estimate, allowed = differences
        assert_scalar_close(f"rnn_backward: ⟨gradients, v⟩ along a random direction v "
                            f"(stream {stream}) on {case}", _claimed(out, v), estimate,
                            allowed + inner_product_bound(M, v, seq.eps())
                            + _rounded_cache_error(seq, v), "central differences of L")


@check("rnn_backward.adjoint", "rnn_backward is the adjoint of the derivative of the "
       "implementation's own rnn_forward: ⟨u, J·v⟩ = ⟨Jᵀ·u, v⟩", cases(saturating=False),
       examples=INFORMATIVE[:3], uses=("rnn_forward",))
def backward_is_adjoint_of_forward(impl, case: Case) -> None:
    seq = Sequence.of(impl, case)
    own = impl.rnn_forward(case.x, case.a0, case.parameters)
    out = impl.rnn_backward(seq.da, own["caches"])
    M, M_f = seq.bound(), _loss_bound(case, seq)
    v = _directions(case, seq, 0)

    def own_loss(e: float) -> float:
        a = np.asarray(impl.rnn_forward(*_perturbed(case, v, e))["a"], dtype=float)
        return float(np.sum(seq.da * a))

    differences = directional_derivative(own_loss, M_f)
    if differences is None:  # no trustworthy step: abstain
        return
    estimate, allowed = differences
    assert_scalar_close(f"rnn_backward on rnn_forward's own caches: ⟨Jᵀ·da, v⟩ on {case}",
                        _claimed(out, v), estimate, allowed + inner_product_bound(M, v, seq.eps())
                        + _rounded_cache_error(seq, v),
                        "central differences of ⟨da, a⟩ through the implementation's rnn_forward")


@check("rnn_backward.linearity", "the gradients are linear in da: g(α·u + β·w) = α·g(u) + β·g(w)",
       cases(), examples=INFORMATIVE[:3])
def sequence_gradients_are_linear(impl, case: Case) -> None:
    seq = Sequence.of(impl, case)
    data = case.data_dtype
    u, w = seq.da, (case.upstream * case.random_like(0, seq.da.shape)).astype(data)
    alpha, beta = 1.0 + case.random_like(1, ())[()] ** 2, -0.5 - case.random_like(2, ())[()] ** 2
    combined = impl.rnn_backward((alpha * u + beta * w).astype(data), seq.caches)
    gu, gw = impl.rnn_backward(u, seq.caches), impl.rnn_backward(w, seq.caches)
    # Both sides' rounding (2·M), and da's own rounding to its dtype (one M more, in float32).
    M = seq.bound(abs(alpha) * np.abs(u) + abs(beta) * np.abs(w))
    sides = 2.0 if data == np.float64 else 3.0
    for key in KEYS:
        assert_close(f"rnn_backward gradients[{key!r}] for da = α·u + β·w (α = {alpha:.3g}, "
                     f"β = {beta:.3g}) on {case}", combined.get(key),
                     alpha * np.asarray(gu.get(key)) + beta * np.asarray(gw.get(key)),
                     sides * M[key], against="α·g(u) + β·g(w)",
                     dtype=max(case.precision(key), data, key=eps_of))


@check("rnn_backward.batch_sum", "over a batch, weight gradients are the sums of the per-example "
       "gradients and dx, da0 their columns", cases(), examples=INFORMATIVE[:2])
def batch_gradients_are_sums(impl, case: Case) -> None:
    seq = Sequence.of(impl, case)
    whole = impl.rnn_backward(seq.da, seq.caches)
    M = seq.bound()
    sums = {k: 0.0 for k in ("dWax", "dWaa", "dba")}
    for j in range(case.m):
        column = slice(j, j + 1)
        cell_caches = [impl.cell_cache(*_column_entries(impl, c, column)) for c in seq.caches[0]]
        alone = impl.rnn_backward(seq.da[:, column, :].copy(),
                                  (cell_caches, case.x[:, column, :].copy()))
        for key in ("dx", "da0"):
            index = (slice(None), column) + ((slice(None),) if key == "dx" else ())
            assert_close(f"rnn_backward gradients[{key!r}] of example {j} alone, {case}",
                         alone.get(key), np.asarray(whole.get(key))[index], 2.0 * M[key][index],
                         against="its column of the batched gradient", dtype=case.precision(key))
        for key in sums:
            sums[key] = sums[key] + np.asarray(alone.get(key), dtype=float)
    for key, total in sums.items():
        assert_close(f"rnn_backward gradients[{key!r}] on {case}", whole.get(key), total,
                     2.0 * M[key], against="the sum of the per-example gradients",
                     dtype=case.precision(key))


def _column_entries(impl, cache, column):
    """(a_prev, a_next, xt, parameters) of one example, from a cache the suite built."""
    entries = dict(zip(impl.convention.cell_cache, cache))
    return tuple(entries[k][:, column].copy() if k != "parameters" else entries[k]
                 for k in ("a_prev", "a_next", "xt", "parameters"))

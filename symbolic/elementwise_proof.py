"""Entry-by-entry proofs at small concrete sizes: an independent cross-check of the matrix proofs,
and the only proofs for what SymPy's matrix calculus cannot reach (through time, softmax).

For each documented formula, ``diff(L, s) − closed_form`` must cancel to exactly 0 for every
entry ``s``: no numerical tolerance, no sampling. The equations are the matrix-form ones of
``symbolic.equations`` instantiated by ``symbolic.explicit``, and the closed forms are the entries
of ``symbolic.documented``; nothing is transcribed twice.

The sizes are chosen to keep the whole audit under 3 s cold (MEASURED.md: the unrolled sequence is
exponential in T_x). They are non-square (n_x ≠ n_a) wherever that is affordable, so a missing
transpose cannot hide behind a square matrix.
"""

from __future__ import annotations

import random
import time
from collections.abc import Mapping
from functools import cache

import sympy as sp
from rnnspec.symbolic import documented
from rnnspec.symbolic.equations import (
    CELL_LOSS,
    CROSS_ENTROPY,
    PRE_ACTIVATION,
    PRE_ACTIVATION_LOSS,
    Waa,
    Wax,
    a_next,
    a_prev,
    ba,
    da_next,
    dz,
    m,
    n_a,
    n_x,
    n_y,
    sequence_loss,
    sequence_states,
    sequence_symbols,
    softmax,
    u,
    xt,
    y,
    yhat,
    yhat_column,
    z,
)
from rnnspec.symbolic.explicit import entries, explicit_mapping, instantiate
from rnnspec.symbolic.through_time import backward_through_time
from rnnspec.symbolic.verdict import CROSS_CHECKED, Verdict
from sympy import MatrixSymbol

METHOD = "element-wise"
CELL_SIZES = {n_x: 2, n_a: 3, m: 2}
# (T_x, sizes). The unrolled sequence grows exponentially with T_x; measured cold on the 2-core
# machine: 0.11 s, 0.11 s, 0.23 s, 0.30 s (T_x = 3 at (1, 2, 2) would take 0.74 s, at (2, 3, 1)
# 1.3 s).
THROUGH_TIME_SIZES = (
    (1, {n_x: 2, n_a: 3, m: 2}),
    (2, {n_x: 2, n_a: 3, m: 1}),
    (2, {n_x: 1, n_a: 2, m: 2}),
    (3, {n_x: 1, n_a: 2, m: 1}),
)
SOFTMAX_SIZES = {n_y: 3, m: 2}


def describe(sizes: Mapping[sp.Symbol, int]) -> str:
    """``(n_x, n_a, m) = (2, 3, 2)``, in a fixed order."""
    names = [s for s in (n_x, n_a, n_y, m) if s in sizes]
    return f"({', '.join(map(str, names))}) = ({', '.join(str(sizes[s]) for s in names)})"


def _sizes_key(sizes: Mapping[sp.Symbol, int]) -> tuple:
    return tuple(sorted((str(k), v) for k, v in sizes.items()))


@cache
def _cell(sizes_key: tuple) -> dict:
    """The explicit cell at these sizes: loss, pre-activation, and the true ∂L/∂z (cached)."""
    sizes = {sp.Symbol(k, integer=True, positive=True): v for k, v in sizes_key}
    mapping = explicit_mapping([Wax, Waa, ba, xt, a_prev, da_next, z], sizes)
    pre_activation = instantiate(PRE_ACTIVATION, mapping)
    z_entries = mapping[z]
    z_loss = instantiate(PRE_ACTIVATION_LOSS, mapping)
    true_dz = z_entries.applyfunc(lambda s: sp.diff(z_loss, s))
    return {
        "mapping": mapping,
        "loss": instantiate(CELL_LOSS, mapping),
        "z_loss": z_loss,
        "state": pre_activation.applyfunc(sp.tanh),
        "true_dz": true_dz.xreplace(dict(zip(z_entries, pre_activation))),
    }


def _first_nonzero(residual: sp.ImmutableMatrix) -> str | None:
    """None if every entry cancels; else the first entry that does not, with a numeric witness.

    A residual that does not cancel structurally could still be zero after simplification; the
    witness (its value at a seeded random rational point, nonzero) settles that it is not.
    """
    for (i, j), entry in _entries(residual):
        if entry == 0 or sp.expand(entry) == 0:
            continue
        witness = ""
        for seed in range(5):
            value = entry.evalf(20, subs=_random_point(entry, seed))
            if value.is_number and value != 0:
                witness = f"; at a random rational point it is {sp.N(value, 6)}, not 0"
                break
        return f"entry [{i}, {j}] of derived − documented is {sp.sstr(entry)[:160]}{witness}"
    return None


def _entries(matrix: sp.ImmutableMatrix):
    return (((i, j), matrix[i, j]) for i in range(matrix.rows) for j in range(matrix.cols))


def _random_point(expr: sp.Basic, seed: int) -> dict:
    """Nonzero rationals for the free symbols, in name order so the point is reproducible."""
    rng = random.Random(seed)
    symbols = sorted(expr.free_symbols, key=lambda s: s.name)
    return {s: sp.Rational(rng.choice([-1, 1]) * rng.randint(1, 9), 7) for s in symbols}


def _shape_error(error: Exception) -> str:
    """SymPy's ShapeError('Matrices are not aligned', 2, 3) as a sentence."""
    args = getattr(error, "args", ())
    if len(args) == 3 and isinstance(args[0], str):
        return f"{args[0]} ({args[1]} columns against {args[2]} rows)"
    return f"{type(error).__name__}: {error}"


def cross_check_cell_formula(name: str, sizes: Mapping[sp.Symbol, int] = CELL_SIZES) -> Verdict:
    """diff(L, s) − documented(s) == 0 for every entry s of the variable of formula ``name``."""
    start = time.perf_counter()
    subject = f"{documented.EQUATION_NUMBER[name]} {name}"
    cell = _cell(_sizes_key(sizes))
    mapping = cell["mapping"]
    formula = documented.CELL_FORMULAS[name]
    try:
        if name == "dz":
            loss, variable = cell["z_loss"], mapping[z]
            claimed = instantiate(formula, {**mapping, a_next: mapping[z].applyfunc(sp.tanh)})
        else:
            loss, variable = cell["loss"], mapping[documented.WITH_RESPECT_TO[name]]
            substitution = {**mapping, a_next: cell["state"], dz: cell["true_dz"]}
            claimed = instantiate(formula, substitution)
    except (sp.ShapeError, ValueError, TypeError) as error:
        why = f"at sizes {describe(sizes)} the documented formula cannot be formed: "
        why += _shape_error(error)
        return Verdict.failed(subject, METHOD, why, time.perf_counter() - start)
    derived = variable.applyfunc(lambda s: sp.diff(loss, s))
    if derived.shape != claimed.shape:
        why = f"at sizes {describe(sizes)} the documented formula is {claimed.shape}, "
        why += f"the derivative {derived.shape}"
        return Verdict.failed(subject, METHOD, why, time.perf_counter() - start)
    residual = derived - claimed
    problem = _first_nonzero(residual)
    seconds = time.perf_counter() - start
    if problem:
        return Verdict.failed(subject, METHOD, f"at sizes {describe(sizes)}, {problem}", seconds)
    return Verdict(subject, METHOD, True, f"{CROSS_CHECKED} {describe(sizes)}", seconds)


def cross_check_cell_formulas() -> list[Verdict]:
    return [cross_check_cell_formula(name) for name in documented.CELL_FORMULAS]


class _FormulaError(Exception):
    """A documented formula that cannot be formed at the sizes of a through-time check."""


def _instantiate_formula(name: str, substitution: dict) -> sp.ImmutableMatrix:
    try:
        return instantiate(documented.CELL_FORMULAS[name], substitution)
    except (sp.ShapeError, ValueError, TypeError) as error:
        number = documented.EQUATION_NUMBER[name]
        why = f"formula {number} {name} cannot be formed: {_shape_error(error)}"
        raise _FormulaError(why) from error


def check_through_time(steps: int, sizes: Mapping[sp.Symbol, int]) -> Verdict:
    """The through-time rule, with the documented cell formulas, against diff of the unrolled L.

    SymPy differentiates the unrolled sequence loss; every tanh(z⟨t⟩) in the result is then renamed
    to a placeholder h⟨t⟩, and the rule is evaluated with a⟨t⟩ = h⟨t⟩. Both sides are then
    polynomials, and ``expand`` of their difference must be 0. Proving the identity with the h⟨t⟩
    free is stronger than with h⟨t⟩ = tanh(z⟨t⟩), and much cheaper than expanding nested tanh.
    """
    start = time.perf_counter()
    subject = f"through time, T_x = {steps} at {describe(sizes)}"
    symbols = sequence_symbols(steps)
    xs, das, (a0,) = symbols["x"], symbols["da"], symbols["a0"]
    mapping = explicit_mapping([Wax, Waa, ba, a0, *xs, *das], sizes)
    loss = instantiate(sequence_loss(steps), mapping)
    states = [instantiate(s, mapping) for s in sequence_states(steps)]
    held = [entries(MatrixSymbol(f"h_{t + 1}", n_a, m), sizes) for t in range(steps)]
    renaming = {s: h for state, hs in zip(states, held) for s, h in zip(state, hs)}
    formulas = documented.CELL_FORMULAS

    def cell_backward(t: int, upstream: sp.ImmutableMatrix) -> dict:
        previous = mapping[a0] if t == 0 else held[t - 1]
        step = {**mapping, da_next: upstream, a_next: held[t], xt: mapping[xs[t]], a_prev: previous}
        step[dz] = _instantiate_formula("dz", step)
        return {name: _instantiate_formula(name, step) for name in formulas if name != "dz"}

    try:
        rule = backward_through_time(
            cell_backward, [mapping[d] for d in das], sp.zeros(*held[0].shape)
        )
    except _FormulaError as error:
        why = f"at sizes {describe(sizes)} the rule cannot be applied: {error}"
        return Verdict.failed(subject, METHOD, why, time.perf_counter() - start)
    outputs = [
        ("dWax", Wax, rule["dWax"]),
        ("dWaa", Waa, rule["dWaa"]),
        ("dba", ba, rule["dba"]),
        ("da0", a0, rule["da0"]),
    ]
    outputs += [(f"dx<{t + 1}>", xs[t], rule["dx"][t]) for t in range(steps)]
    for label, variable, claimed in outputs:
        for (i, j), s in _entries(mapping[variable]):
            derived = sp.diff(loss, s).xreplace(renaming)
            if derived.has(sp.tanh):  # a tanh the renaming missed: compare the nested forms
                derived = sp.expand(derived)
                claimed_entry = sp.expand(
                    claimed[i, j].xreplace({h: state for state, h in renaming.items()})
                )
            else:
                claimed_entry = claimed[i, j]
            if sp.expand(derived - claimed_entry) != 0:
                why = f"at sizes {describe(sizes)}, {label}[{i}, {j}]: the rule (with the "
                why += "documented formulas) differs from the derivative of the unrolled loss"
                return Verdict.failed(subject, METHOD, why, time.perf_counter() - start)
    text = f"{CROSS_CHECKED} {describe(sizes)}"
    return Verdict(subject, METHOD, True, text, time.perf_counter() - start)


def check_through_time_all() -> list[Verdict]:
    return [check_through_time(steps, sizes) for steps, sizes in THROUGH_TIME_SIZES]


def _softmax_column(rows: int) -> tuple[sp.ImmutableMatrix, sp.ImmutableMatrix]:
    """Logit entries of one column and the explicit softmax of them."""
    sizes = {n_y: rows, m: 1}
    logits = entries(u, sizes)
    return logits, instantiate(softmax(u), {u: logits, **sizes})


def check_softmax_jacobian(rows: int = SOFTMAX_SIZES[n_y]) -> Verdict:
    """∂ŷ_i/∂u_j − (diag(ŷ) − ŷŷᵀ)_ij == 0 for one column of ``rows`` logits."""
    start = time.perf_counter()
    logits, output = _softmax_column(rows)
    derived = sp.ImmutableMatrix(rows, rows, lambda i, j: sp.diff(output[i], logits[j]))
    claimed = instantiate(documented.SOFTMAX_FORMULAS["jacobian"], {yhat_column: output, n_y: rows})
    return _verdict_from_residual("softmax Jacobian", derived, claimed, {n_y: rows}, start)


def _exponentials_as_symbols(expr: sp.Basic) -> sp.Basic:
    """u_ij → log(E_ij), E_ij > 0: exp(k·u) becomes E**k, a rational function for ``cancel``."""
    logits = [s for s in expr.free_symbols if s.name.startswith(f"{u.name}_")]
    return expr.xreplace({s: sp.log(sp.Symbol(f"E_{s.name}", positive=True)) for s in logits})


def _verdict_from_residual(subject, derived, claimed, sizes, start, cancel=False) -> Verdict:
    if derived.shape != claimed.shape:
        why = f"shape {claimed.shape} documented, {derived.shape} derived"
        return Verdict.failed(subject, METHOD, why, time.perf_counter() - start)
    residual = derived - claimed
    if cancel:
        residual = residual.applyfunc(lambda e: sp.cancel(_exponentials_as_symbols(e)))
    problem = _first_nonzero(residual)
    if problem:
        why = f"at sizes {describe(sizes)}, {problem}"
        return Verdict.failed(subject, METHOD, why, time.perf_counter() - start)
    return Verdict(
        subject, METHOD, True, f"{CROSS_CHECKED} {describe(sizes)}", time.perf_counter() - start
    )


def check_cross_entropy(sizes: Mapping[sp.Symbol, int] = SOFTMAX_SIZES) -> Verdict:
    """∂CE/∂u − (ŷ − y) == 0 once each column of y sums to 1 (its last entry substituted)."""
    start = time.perf_counter()
    mapping = explicit_mapping([u, y], sizes)
    logits, targets = mapping[u], mapping[y]
    loss = instantiate(CROSS_ENTROPY, mapping)
    derived = logits.applyfunc(lambda s: sp.diff(loss, s))
    claimed = instantiate(
        documented.SOFTMAX_FORMULAS["cross_entropy"],
        {**mapping, yhat: instantiate(softmax(u), mapping)},
    )
    last = targets.rows - 1
    columns_sum_to_one = {
        targets[last, j]: 1 - sum(targets[i, j] for i in range(last)) for j in range(targets.cols)
    }
    derived, claimed = derived.xreplace(columns_sum_to_one), claimed.xreplace(columns_sum_to_one)
    verdict = _verdict_from_residual(
        "softmax + cross-entropy", derived, claimed, sizes, start, cancel=True
    )
    if verdict.ok:
        text = verdict.text + ", with each column of y summing to 1 (substituted)"
        return Verdict(verdict.subject, METHOD, True, text, verdict.seconds)
    return verdict


def check_softmax_shift(rows: int = SOFTMAX_SIZES[n_y]) -> Verdict:
    """softmax(u − c) == softmax(u): the max-shift of the numeric oracle changes nothing."""
    start = time.perf_counter()
    logits, output = _softmax_column(rows)
    shift = sp.Symbol("c", real=True)
    shifted = output.xreplace({s: s - shift for s in logits})
    residual = (shifted - output).applyfunc(sp.expand)
    return _verdict_from_residual(
        "softmax shift invariance", residual, sp.zeros(rows, 1), {n_y: rows}, start
    )


def check_softmax_all() -> list[Verdict]:
    return [check_softmax_jacobian(), check_cross_entropy(), check_softmax_shift()]

"""Forward passes: equal to the symbolic oracle, and the laws a recurrence must obey.

The laws compare the implementation with itself (one step alone versus the sequence, a column
alone versus the batch, T₁ + T₂ steps versus T₁ then T₂), so they hold whatever the oracle says:
a second line of evidence beside it. Neither side of a law is exact, so each allows the rounding
of both, 2·M (``tolerance.py``).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from rnnspec.properties.cases import INFORMATIVE, Case, cases, frozen
from rnnspec.properties.compare import assert_close
from rnnspec.properties.registry import check
from rnnspec.properties.tolerance import cell_forward_bound, sequence_forward_bound, softmax_bound
from rnnspec.symbolic import oracle


def expected_cell(case: Case, t: int = 0, a_prev=None):
    """The oracle's (a_next, yt_pred) at step t of the case, with their error bounds."""
    if a_prev is None:
        return case.derived(("expected_cell", t), lambda: frozen(_expected_cell(case, t)))
    return _expected_cell(case, t, a_prev)


def _expected_cell(case: Case, t: int = 0, a_prev=None):
    a_prev = case.a0 if a_prev is None else a_prev
    xt = case.x[:, :, t]
    a_next, yt_pred = oracle.cell_forward(xt, a_prev, case.parameters)
    M_a, M_u = cell_forward_bound(xt, a_prev, case.parameters, a_next)
    u = case.parameters["Wya"] @ a_next + case.parameters["by"]
    return a_next, yt_pred, M_a, softmax_bound(u, yt_pred, M_u)


def expected_sequence(case: Case):
    """The oracle's (a, y_pred) over the case, with their error bounds."""
    return case.derived("expected_sequence", lambda: frozen(_expected_sequence(case)))


def _expected_sequence(case: Case):
    a, y_pred = oracle.rnn_forward(case.x, case.a0, case.parameters)
    M_a, M_u = sequence_forward_bound(case.x, case.a0, case.parameters, a)
    u = np.einsum("ya,amt->ymt", case.parameters["Wya"], a) + case.parameters["by"][:, :, None]
    M_y = np.stack([softmax_bound(u[:, :, t], y_pred[:, :, t], M_u[:, :, t])
                    for t in range(case.T_x)], axis=2)
    return a, y_pred, M_a, M_y


@check("rnn_cell_forward.oracle", "a_next and yt_pred equal the documented cell equations",
       cases(), examples=INFORMATIVE)
def cell_forward_matches_oracle(impl, case: Case) -> None:
    a_next, yt_pred, M_a, M_y = expected_cell(case)
    out = impl.rnn_cell_forward(case.x[:, :, 0], case.a0, case.parameters)
    dtype = case.precision("a")
    assert_close(f"rnn_cell_forward a_next on {case}", out["a_next"], a_next, M_a, dtype=dtype)
    assert_close(f"rnn_cell_forward yt_pred on {case}", out["yt_pred"], yt_pred, M_y, dtype=dtype)


@check("rnn_forward.oracle", "a and y_pred equal the documented equations unrolled over T_x steps",
       cases(), examples=INFORMATIVE)
def forward_matches_oracle(impl, case: Case) -> None:
    a, y_pred, M_a, M_y = expected_sequence(case)
    out = impl.rnn_forward(case.x, case.a0, case.parameters)
    dtype = case.precision("a")
    assert_close(f"rnn_forward a on {case}", out["a"], a, M_a, dtype=dtype)
    assert_close(f"rnn_forward y_pred on {case}", out["y_pred"], y_pred, M_y, dtype=dtype)


@check("rnn_forward.single_step", "with T_x = 1, rnn_forward gives what one rnn_cell_forward gives",
       cases(max_steps=1), examples=[c.but(T_x=1) for c in INFORMATIVE[:5]],
       uses=("rnn_cell_forward",))
def one_step_is_one_cell(impl, case: Case) -> None:
    _, _, M_a, M_y = expected_cell(case)
    cell = impl.rnn_cell_forward(case.x[:, :, 0], case.a0, case.parameters)
    out = impl.rnn_forward(case.x, case.a0, case.parameters)
    dtype = case.precision("a")
    assert_close(f"rnn_forward a[:, :, 0] on {case}", out["a"][:, :, 0], cell["a_next"], 2 * M_a,
                 against="rnn_cell_forward's a_next", dtype=dtype)
    assert_close(f"rnn_forward y_pred[:, :, 0] on {case}", out["y_pred"][:, :, 0],
                 cell["yt_pred"], 2 * M_y, against="rnn_cell_forward's yt_pred", dtype=dtype)


@check("rnn_forward.time_composition", "running T₁ steps, then T₂ more from the last state, equals "
       "running T₁ + T₂ steps", st.tuples(cases(), st.integers(1, 7)),
       examples=[(c, 1) for c in INFORMATIVE[:4]])
def steps_compose(impl, drawn) -> None:
    case, split = drawn
    if case.T_x < 2:
        case = case.but(T_x=2)
    split = 1 + (split - 1) % (case.T_x - 1)
    _, _, M_a, M_y = expected_sequence(case)
    whole = impl.rnn_forward(case.x, case.a0, case.parameters)
    first = impl.rnn_forward(case.x[:, :, :split], case.a0, case.parameters)
    rest = impl.rnn_forward(case.x[:, :, split:], first["a"][:, :, -1].copy(), case.parameters)
    joined_a = np.concatenate([first["a"], rest["a"]], axis=2)
    joined_y = np.concatenate([first["y_pred"], rest["y_pred"]], axis=2)
    what = f"rnn_forward of steps [0, {split}) then [{split}, {case.T_x}) on {case}"
    dtype = case.precision("a")
    assert_close(f"{what}: a", joined_a, whole["a"], 2 * M_a, against="one run over all steps",
                 dtype=dtype)
    assert_close(f"{what}: y_pred", joined_y, whole["y_pred"], 2 * M_y,
                 against="one run over all steps", dtype=dtype)


@check("rnn_forward.batch_independence", "each example (column) computed alone equals its column "
       "of the batched result", cases(), examples=INFORMATIVE[:3])
def columns_are_independent(impl, case: Case) -> None:
    _, _, M_a, M_y = expected_sequence(case)
    whole = impl.rnn_forward(case.x, case.a0, case.parameters)
    for j in range(case.m):
        alone = impl.rnn_forward(case.x[:, j:j + 1, :].copy(), case.a0[:, j:j + 1].copy(),
                                 case.parameters)
        what = f"rnn_forward on column {j} alone, {case}"
        dtype = case.precision("a")
        assert_close(f"{what}: a", alone["a"], whole["a"][:, j:j + 1, :], 2 * M_a[:, j:j + 1, :],
                     against="that column of the batched run", dtype=dtype)
        assert_close(f"{what}: y_pred", alone["y_pred"], whole["y_pred"][:, j:j + 1, :],
                     2 * M_y[:, j:j + 1, :], against="that column of the batched run",
                     dtype=dtype)

"""The oracles agree with the reference, with the complex step and with exact arithmetic, to
within C·eps·M (``symbolic_tolerance``), and they keep the dtypes they promise."""

from __future__ import annotations

import numpy as np
import pytest
from rnnspec.impl import reference
from rnnspec.symbolic import oracle, precise
from symbolic_tolerance import (
    assert_close,
    cell_backward_magnitudes,
    forward_magnitudes,
    output_magnitude,
    rnn_backward_magnitudes,
)

# (n_x, n_a, n_y, m, T_x): non-square, m = 1, T_x = 1, and all-ones; every size ≤ 3 (see C).
SHAPES = [(2, 3, 2, 1, 1), (1, 2, 3, 3, 3), (3, 1, 1, 2, 2), (3, 3, 2, 2, 3), (1, 1, 1, 1, 1)]
CASES = [(seed, shape) for seed, shape in enumerate(SHAPES)]


def problem(seed: int, shape: tuple, scale: float = 1.0) -> dict:
    """Seeded standard-normal inputs; ``scale`` multiplies the weights (towards saturation)."""
    n_x, n_a, n_y, m, steps = shape
    rng = np.random.default_rng(seed)
    p = {
        "Wax": scale * rng.standard_normal((n_a, n_x)),
        "Waa": scale * rng.standard_normal((n_a, n_a)),
        "Wya": rng.standard_normal((n_y, n_a)),
        "ba": rng.standard_normal((n_a, 1)),
        "by": rng.standard_normal((n_y, 1)),
    }
    return {
        "x": rng.standard_normal((n_x, m, steps)),
        "a0": rng.standard_normal((n_a, m)),
        "da": rng.standard_normal((n_a, m, steps)),
        "p": p,
        "how": f"reproduce: problem(seed={seed}, shape={shape}, scale={scale})",
    }


@pytest.mark.parametrize(("seed", "shape"), CASES)
def test_forward_oracles_agree_with_the_reference(seed, shape):
    q = problem(seed, shape)
    x, a0, p = q["x"], q["a0"], q["p"]
    a_ref, y_ref, _ = reference.rnn_forward(x, a0, p)
    a, y_pred = oracle.rnn_forward(x, a0, p)
    m_a = forward_magnitudes(x, a0, p, a_ref)
    assert_close("rnn_forward a", a, a_ref, np.stack(m_a, axis=2), q["how"])
    for t in range(x.shape[2]):
        m_y = output_magnitude(p, a_ref[:, :, t], m_a[t], y_ref[:, :, t])
        assert_close(
            f"rnn_forward y_pred[:, :, {t}]", y_pred[:, :, t], y_ref[:, :, t], m_y, q["how"]
        )
    previous = a0 if x.shape[2] == 1 else a_ref[:, :, 0]
    xt = x[:, :, min(1, x.shape[2] - 1)]
    y_cell_ref, (_, a_next_ref, _, _) = reference.rnn_cell_forward(xt, previous, p)
    a_next, y_cell = oracle.cell_forward(xt, previous, p)
    m_next = forward_magnitudes(xt[:, :, None], previous, p, a_next_ref[:, :, None])[0]
    assert_close("cell_forward a_next", a_next, a_next_ref, m_next, q["how"])
    m_y = output_magnitude(p, a_next_ref, m_next, y_cell_ref)
    assert_close("cell_forward yt_pred", y_cell, y_cell_ref, m_y, q["how"])


@pytest.mark.parametrize(("seed", "shape"), CASES)
def test_cell_backward_agrees_with_the_reference_on_the_same_cache(seed, shape):
    q = problem(seed, shape)
    xt, a_prev, p = q["x"][:, :, 0], q["a0"], q["p"]
    _, cache = reference.rnn_cell_forward(xt, a_prev, p)
    a_next, da_next = cache[1], q["da"][:, :, 0]
    expected = reference.rnn_cell_backward(da_next, cache)
    actual = oracle.cell_backward(da_next, xt, a_prev, a_next, p)
    magnitudes = cell_backward_magnitudes(da_next, xt, a_prev, a_next, p)
    assert set(actual) == {"dxt", "da_prev", "dWax", "dWaa", "dba"}
    for name, value in actual.items():
        assert_close(f"cell_backward {name}", value, expected[name], magnitudes[name], q["how"])


@pytest.mark.parametrize(("seed", "shape"), CASES)
def test_rnn_backward_agrees_with_the_reference(seed, shape):
    q = problem(seed, shape)
    x, a0, p, da = q["x"], q["a0"], q["p"], q["da"]
    a_ref, _, caches = reference.rnn_forward(x, a0, p)
    expected = reference.rnn_backward(da, caches)
    actual = oracle.rnn_backward(da, x, a0, p)
    magnitudes = rnn_backward_magnitudes(da, x, a0, p, a_ref)
    assert set(actual) == {"dx", "da0", "dWax", "dWaa", "dba"}
    for name, value in actual.items():
        assert_close(f"rnn_backward {name}", value, expected[name], magnitudes[name], q["how"])


@pytest.mark.parametrize(("seed", "shape"), CASES)
def test_the_complex_step_gradient_equals_the_oracle_rnn_backward(seed, shape):
    q = problem(seed, shape)
    x, a0, p, da = q["x"], q["a0"], q["p"], q["da"]
    a, _ = oracle.rnn_forward(x, a0, p)
    expected = oracle.rnn_backward(da, x, a0, p)
    actual = oracle.complex_step_gradient(da, x, a0, p)
    magnitudes = rnn_backward_magnitudes(da, x, a0, p, a)
    for name, value in actual.items():
        assert_close(f"complex step {name}", value, expected[name], magnitudes[name], q["how"])


@pytest.mark.parametrize(("seed", "shape"), CASES[:3])
def test_the_complex_step_directional_derivative_is_the_gradient_along_the_direction(seed, shape):
    q = problem(seed, shape)
    x, a0, p, da = q["x"], q["a0"], q["p"], q["da"]
    rng = np.random.default_rng(100 + seed)
    direction = {"x": rng.standard_normal(x.shape), "Waa": rng.standard_normal(p["Waa"].shape)}
    gradient = oracle.rnn_backward(da, x, a0, p)
    expected = np.sum(gradient["dx"] * direction["x"]) + np.sum(gradient["dWaa"] * direction["Waa"])
    magnitudes = rnn_backward_magnitudes(da, x, a0, p, oracle.rnn_forward(x, a0, p)[0])
    scale = np.sum(magnitudes["dx"] * np.abs(direction["x"]))
    scale += np.sum(magnitudes["dWaa"] * np.abs(direction["Waa"]))
    actual = oracle.complex_step_directional(da, x, a0, p, direction)
    assert isinstance(actual, float)
    assert_close("complex_step_directional", actual, expected, scale, q["how"])
    with pytest.raises(ValueError, match="unknown keys"):
        oracle.complex_step_directional(da, x, a0, p, {"Wya": p["Wya"]})


@pytest.mark.parametrize(("seed", "shape"), CASES)
def test_the_cell_complex_step_equals_the_derived_cell_backward(seed, shape):
    q = problem(seed, shape)
    xt, a_prev, p, da_next = q["x"][:, :, 0], q["a0"], q["p"], q["da"][:, :, 0]
    a_next, _ = oracle.cell_forward(xt, a_prev, p)
    expected = oracle.cell_backward(da_next, xt, a_prev, a_next, p)
    actual = oracle.cell_complex_step_gradient(da_next, xt, a_prev, p)
    m_a = forward_magnitudes(xt[:, :, None], a_prev, p, a_next[:, :, None])[0]
    magnitudes = cell_backward_magnitudes(da_next, xt, a_prev, a_next, p, m_a)
    for name, value in actual.items():
        assert_close(f"cell complex step {name}", value, expected[name], magnitudes[name], q["how"])


@pytest.mark.parametrize(("seed", "shape"), CASES[:4])
def test_precise_agrees_with_the_oracles_on_moderate_inputs(seed, shape):
    q = problem(seed, shape)
    x, a0, p, da = q["x"], q["a0"], q["p"], q["da"]
    a, y_pred = oracle.rnn_forward(x, a0, p)
    a_exact, y_exact = precise.rnn_forward(x, a0, p)
    m_a = forward_magnitudes(x, a0, p, a_exact)
    assert_close("precise rnn_forward a", a, a_exact, np.stack(m_a, axis=2), q["how"])
    m_y = np.stack(
        [
            output_magnitude(p, a_exact[:, :, t], m_a[t], y_exact[:, :, t])
            for t in range(x.shape[2])
        ],
        axis=2,
    )
    assert_close("precise rnn_forward y_pred", y_pred, y_exact, m_y, q["how"])
    exact = precise.rnn_backward(da, x, a0, p)
    magnitudes = rnn_backward_magnitudes(da, x, a0, p, a_exact)
    for name, value in oracle.rnn_backward(da, x, a0, p).items():
        assert_close(f"precise rnn_backward {name}", value, exact[name], magnitudes[name], q["how"])
    xt = x[:, :, 0]
    a_next, y_cell = oracle.cell_forward(xt, a0, p)
    a_next_exact, y_cell_exact = precise.cell_forward(xt, a0, p)
    assert_close("precise cell_forward a_next", a_next, a_next_exact, m_a[0], q["how"])
    m_y_cell = output_magnitude(p, a_next_exact, m_a[0], y_cell_exact)
    assert_close("precise cell_forward yt_pred", y_cell, y_cell_exact, m_y_cell, q["how"])
    cell_exact = precise.cell_backward(da[:, :, 0], xt, a0, p)
    cell_magnitudes = cell_backward_magnitudes(da[:, :, 0], xt, a0, a_next_exact, p, m_a[0])
    for name, value in oracle.cell_backward(da[:, :, 0], xt, a0, a_next, p).items():
        assert_close(
            f"precise cell_backward {name}",
            value,
            cell_exact[name],
            cell_magnitudes[name],
            q["how"],
        )
    u = np.array([[1.0, -745.0, 3.0], [0.5, 0.0, 710.0]])
    assert_close(
        "precise softmax",
        oracle.softmax(u),
        precise.softmax(u),
        precise.softmax(u) * (1 + np.abs(u - u.max(axis=0))),
    )


@pytest.mark.parametrize("z", [19.0, 20.0, 25.0, -30.0])
def test_near_saturation_precise_settles_what_the_cached_a_next_cannot(z):
    # At |z| ≥ 19, a_next is within an ulp of ±1 and 1 − a_next² is pure rounding: the cached
    # form of (0) returns 0 or 2.2e-16 while the true dz is sech²(z)·da. The complex step
    # differentiates tanh itself and keeps the value; precise gives the correctly rounded truth
    # both are judged against.
    p = {"Wax": np.array([[1.0]]), "Waa": np.array([[0.0]]), "ba": np.array([[0.0]])}
    xt, a_prev, da_next = np.array([[z]]), np.array([[0.0]]), np.array([[1.0]])
    exact = precise.cell_backward(da_next, xt, a_prev, p)["dba"]
    assert exact[0, 0] > 0
    stepped = oracle.cell_complex_step_gradient(da_next, xt, a_prev, p)["dba"]
    assert_close("complex step at saturation", stepped, exact, exact)
    cached = oracle.cell_backward(da_next, xt, a_prev, np.tanh(xt), p)["dba"]
    # The float64 closed form is wrong by 50 % or more (0, or one ulp of 1 − a², depending on how
    # the platform's tanh rounds): why precise exists.
    assert abs(cached[0, 0] - exact[0, 0]) >= 0.5 * exact[0, 0]


def test_dtypes_float64_out_for_float32_in_and_complex_flows_through():
    q = problem(0, SHAPES[3])
    x, a0, p, da = q["x"], q["a0"], q["p"], q["da"]
    narrow = {k: v.astype(np.float32) for k, v in p.items()}
    a, y_pred = oracle.rnn_forward(x.astype(np.float32), a0.astype(np.float32), narrow)
    assert a.dtype == y_pred.dtype == np.float64
    a_next, yt = oracle.cell_forward(x[:, :, 0].astype(np.float32), a0, narrow)
    assert a_next.dtype == yt.dtype == np.float64
    gradient = oracle.rnn_backward(da.astype(np.float32), x.astype(np.float32), a0, narrow)
    assert all(v.dtype == np.float64 for v in gradient.values())
    a_complex, y_complex = oracle.rnn_forward(x + 1e-20j, a0, p)
    assert a_complex.dtype == y_complex.dtype == np.complex128
    assert np.all(np.imag(a_complex) != 0)
    assert np.iscomplexobj(oracle.sequence_loss(da, x, a0 + 1e-20j, p))
    assert np.iscomplexobj(oracle.softmax(np.array([[1.0 + 1e-20j], [2.0]])))


def test_sequence_loss_is_the_sum_of_da_times_a():
    q = problem(1, SHAPES[1])
    x, a0, p, da = q["x"], q["a0"], q["p"], q["da"]
    a, _ = oracle.rnn_forward(x, a0, p)
    assert oracle.sequence_loss(da, x, a0, p) == np.sum(da * a)


def test_sympys_raw_derivative_lambdified_agrees_with_the_rewritten_one():
    # The oracle lambdifies the derivative rewritten in a_next; lambdifying SymPy's raw answer
    # (tanh recomputed inside the element-wise function) checks the rewrite and the printer fix.
    from rnnspec.symbolic import equations as eq
    from rnnspec.symbolic.matrix_proof import derived_cell_gradients
    from rnnspec.symbolic.numpy_printer import to_numpy

    q = problem(3, SHAPES[3])
    xt, a_prev, p, da_next = q["x"][:, :, 0], q["a0"], q["p"], q["da"][:, :, 0]
    a_next, _ = oracle.cell_forward(xt, a_prev, p)
    expected = oracle.cell_backward(da_next, xt, a_prev, a_next, p)
    m_a = forward_magnitudes(xt[:, :, None], a_prev, p, a_next[:, :, None])[0]
    magnitudes = cell_backward_magnitudes(da_next, xt, a_prev, a_next, p, m_a)
    arguments = [eq.Wax, eq.Waa, eq.ba, eq.xt, eq.a_prev, eq.da_next, eq.m]
    for name, expr in derived_cell_gradients().items():
        if name == "dz":
            continue
        raw = to_numpy(arguments, expr)(
            p["Wax"], p["Waa"], p["ba"], xt, a_prev, da_next, xt.shape[1]
        )
        assert_close(
            f"raw derivative {name}",
            np.asarray(raw, dtype=np.float64),
            expected[name],
            magnitudes[name],
            q["how"],
        )

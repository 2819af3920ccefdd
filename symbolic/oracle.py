"""Numeric oracles for the properties: what a correct RNN must return, from what was proven.

- ``cell_forward`` and ``cell_backward`` are the SymPy expressions of ``symbolic.equations`` and
  the *derived* gradients of ``symbolic.matrix_proof``, lambdified. They are derived once per
  process, lazily (importing this module imports neither SymPy nor the derivation).
- ``rnn_backward`` is the through-time rule of ``symbolic.through_time`` (the one the audit proves)
  applied to ``cell_backward``.
- ``rnn_forward``, ``sequence_loss`` and the complex-step functions are plain NumPy written so that
  a complex dtype flows through (outputs are allocated with ``np.result_type`` of the inputs). The
  complex step Im(L(θ + i·h·v))/h with h = 1e-20 is the exact directional derivative of the
  floating-point forward, with no subtraction and hence no cancellation: an oracle independent of
  every backward formula.

Everything returns float64 for real inputs (float32 inputs are widened, never the reverse).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Callable

import numpy as np
from rnnspec.symbolic.through_time import backward_through_time

STEP = 1e-20  # complex-step size: far below any rounding, so h² terms vanish entirely
SEQUENCE_INPUTS = ("x", "a0", "Wax", "Waa", "ba")
CELL_INPUTS = ("xt", "a_prev", "Wax", "Waa", "ba")
GRADIENT_NAME = {
    "x": "dx",
    "a0": "da0",
    "xt": "dxt",
    "a_prev": "da_prev",
    "Wax": "dWax",
    "Waa": "dWaa",
    "ba": "dba",
}


def _array(name: str, value, ndim: int, dtype=None) -> np.ndarray:
    array = np.asarray(value)
    if array.ndim != ndim:
        raise ValueError(f"{name}: expected {ndim} dimensions, got shape {array.shape}")
    return array if dtype is None else array.astype(dtype, copy=False)


def _parameter(parameters: Mapping, name: str, shape: tuple, dtype=None) -> np.ndarray:
    if name not in parameters:
        raise ValueError(f"parameters: missing {name!r}")
    array = _array(f"parameters[{name!r}]", parameters[name], 2, dtype)
    if array.shape != shape:
        raise ValueError(f"parameters[{name!r}]: expected shape {shape}, got {array.shape}")
    return array


def _widened(*arrays: np.ndarray) -> np.dtype:
    """float64, or complex128 if any input is complex: never narrower than the inputs."""
    return np.result_type(np.float64, *arrays)


def softmax(u) -> np.ndarray:
    """Column-wise softmax (axis 0), shifted by each column's own maximum (of the real part).

    The shift is proven not to change the value (``elementwise_proof.check_softmax_shift``); it
    keeps every exponent ≤ 0 so nothing overflows and each column's largest term is exactly 1.
    Taking the maximum of the real part keeps the shift constant under a complex step.
    """
    u = np.asarray(u)
    if u.ndim == 0:
        raise ValueError("u: expected at least one dimension, got a scalar")
    u = u.astype(_widened(u), copy=False)
    with np.errstate(over="ignore"):  # u − max = −inf only where exp underflows to 0 anyway
        exps = np.exp(u - np.max(u.real, axis=0, keepdims=True))
    return exps / np.sum(exps, axis=0, keepdims=True)


@cache
def _forward_functions() -> dict[str, Callable]:
    from rnnspec.symbolic import equations as eq
    from rnnspec.symbolic.numpy_printer import to_numpy

    return {
        "state": to_numpy([eq.Wax, eq.Waa, eq.ba, eq.xt, eq.a_prev, eq.m], eq.STATE),
        "logits": to_numpy([eq.Wya, eq.by, eq.a_next, eq.m], eq.LOGITS),
    }


@cache
def _backward_functions() -> dict[str, Callable]:
    """The derived gradients as NumPy functions; (1)–(5) take the derived dz as an argument."""
    from rnnspec.symbolic import equations as eq
    from rnnspec.symbolic.matrix_proof import closed_cell_gradients
    from rnnspec.symbolic.numpy_printer import to_numpy

    closed = closed_cell_gradients()
    arguments = [eq.dz, eq.da_next, eq.a_next, eq.xt, eq.a_prev, eq.Wax, eq.Waa, eq.m, eq.n_a]
    return {
        name: to_numpy(arguments, expr.xreplace({closed["dz"]: eq.dz}) if name != "dz" else expr)
        for name, expr in closed.items()
    }


def cell_forward(xt, a_prev, parameters: Mapping) -> tuple[np.ndarray, np.ndarray]:
    """(a_next, yt_pred) of one step, from the lambdified SymPy forward (float64)."""
    xt = _array("xt", xt, 2, np.float64)
    a_prev = _array("a_prev", a_prev, 2, np.float64)
    (n_x, m), n_a = xt.shape, a_prev.shape[0]
    Wax = _parameter(parameters, "Wax", (n_a, n_x), np.float64)
    Waa = _parameter(parameters, "Waa", (n_a, n_a), np.float64)
    ba = _parameter(parameters, "ba", (n_a, 1), np.float64)
    Wya = _array("parameters['Wya']", parameters["Wya"], 2, np.float64)
    by = _parameter(parameters, "by", (Wya.shape[0], 1), np.float64)
    functions = _forward_functions()
    a_next = np.asarray(functions["state"](Wax, Waa, ba, xt, a_prev, m), dtype=np.float64)
    return a_next, softmax(functions["logits"](Wya, by, a_next, m))


def cell_backward(da_next, xt, a_prev, a_next, parameters: Mapping) -> dict[str, np.ndarray]:
    """dxt, da_prev, dWax, dWaa, dba of ⟨da_next, a_next⟩: the derived expressions, lambdified."""
    da_next = _array("da_next", da_next, 2, np.float64)
    xt = _array("xt", xt, 2, np.float64)
    a_prev = _array("a_prev", a_prev, 2, np.float64)
    a_next = _array("a_next", a_next, 2, np.float64)
    (n_x, m), n_a = xt.shape, a_prev.shape[0]
    for name, array in (("a_prev", a_prev), ("a_next", a_next), ("da_next", da_next)):
        if array.shape != (n_a, m):
            raise ValueError(f"{name}: expected shape (n_a, m) = {(n_a, m)}, got {array.shape}")
    Wax = _parameter(parameters, "Wax", (n_a, n_x), np.float64)
    Waa = _parameter(parameters, "Waa", (n_a, n_a), np.float64)
    functions = _backward_functions()
    dz = functions["dz"](None, da_next, a_next, xt, a_prev, Wax, Waa, m, n_a)
    return {
        name: np.asarray(
            functions[name](dz, da_next, a_next, xt, a_prev, Wax, Waa, m, n_a), dtype=np.float64
        )
        for name in ("dxt", "da_prev", "dWax", "dWaa", "dba")
    }


def _cell_state(xt, a_prev, Wax, Waa, ba) -> np.ndarray:
    """tanh(Wax xt + Waa a_prev + ba) in whatever dtype the inputs have (complex-safe)."""
    return np.tanh(Wax @ xt + Waa @ a_prev + ba)


def _states(x, a0, parameters: Mapping) -> np.ndarray:
    """a⟨1⟩…a⟨T_x⟩ stacked on axis 2, in the widened dtype of all inputs."""
    x = _array("x", x, 3)
    a0 = _array("a0", a0, 2)
    (n_x, m, steps), n_a = x.shape, a0.shape[0]
    if a0.shape != (n_a, m):
        raise ValueError(f"a0: expected shape (n_a, m) = {(n_a, m)}, got {a0.shape}")
    Wax = _parameter(parameters, "Wax", (n_a, n_x))
    Waa = _parameter(parameters, "Waa", (n_a, n_a))
    ba = _parameter(parameters, "ba", (n_a, 1))
    a = np.zeros((n_a, m, steps), dtype=_widened(x, a0, Wax, Waa, ba))
    previous = a0
    for t in range(steps):
        previous = _cell_state(x[:, :, t], previous, Wax, Waa, ba)
        a[:, :, t] = previous
    return a


def rnn_forward(x, a0, parameters: Mapping) -> tuple[np.ndarray, np.ndarray]:
    """(a, y_pred) over all steps; complex inputs give complex outputs (for the complex step)."""
    a = _states(x, a0, parameters)
    _, m, steps = a.shape
    Wya = _array("parameters['Wya']", parameters["Wya"], 2)
    by = _parameter(parameters, "by", (Wya.shape[0], 1))
    y_pred = np.zeros((Wya.shape[0], m, steps), dtype=_widened(a, Wya, by))
    for t in range(steps):
        y_pred[:, :, t] = softmax(Wya @ a[:, :, t] + by)
    return a, y_pred


def sequence_loss(da, x, a0, parameters: Mapping):
    """L = Σₜ ⟨da[:, :, t], a⟨t⟩⟩, the scalar whose gradients rnn_backward returns."""
    a = _states(x, a0, parameters)
    da = _array("da", da, 3, np.float64)
    if da.shape != a.shape:
        raise ValueError(f"da: expected shape (n_a, m, T_x) = {a.shape}, got {da.shape}")
    return np.sum(da * a)


def rnn_backward(da, x, a0, parameters: Mapping) -> dict[str, np.ndarray]:
    """dx, da0, dWax, dWaa, dba of L: the proven through-time rule applied to ``cell_backward``."""
    x = _array("x", x, 3, np.float64)
    a0 = _array("a0", a0, 2, np.float64)
    a = _states(x, a0, {k: np.asarray(parameters[k], np.float64) for k in ("Wax", "Waa", "ba")})
    da = _array("da", da, 3, np.float64)
    if da.shape != a.shape:
        raise ValueError(f"da: expected shape (n_a, m, T_x) = {a.shape}, got {da.shape}")

    def cell(t: int, da_next: np.ndarray) -> dict[str, np.ndarray]:
        previous = a0 if t == 0 else a[:, :, t - 1]
        return cell_backward(da_next, x[:, :, t], previous, a[:, :, t], parameters)

    steps = [da[:, :, t] for t in range(da.shape[2])]
    result = backward_through_time(cell, steps, np.zeros(a0.shape))
    result["dx"] = np.stack(result["dx"], axis=2)
    return result


def _perturbed(inputs: dict, direction: Mapping) -> dict:
    unknown = sorted(set(direction) - set(inputs))
    if unknown:
        raise ValueError(f"direction: unknown keys {unknown}; allowed: {sorted(inputs)}")
    out = dict(inputs)
    for name, v in direction.items():
        v = np.asarray(v, dtype=np.float64)
        if v.shape != np.shape(inputs[name]):
            raise ValueError(
                f"direction[{name!r}]: expected shape {np.shape(inputs[name])}, got {v.shape}"
            )
        out[name] = np.asarray(inputs[name], dtype=np.float64) + 1j * STEP * v
    return out


def _sequence_loss_of(da, parameters: Mapping) -> Callable[[dict], complex]:
    def loss(values: dict) -> complex:
        weights = {**parameters, **{k: values[k] for k in ("Wax", "Waa", "ba")}}
        return sequence_loss(da, values["x"], values["a0"], weights)

    return loss


def _cell_loss_of(da_next, parameters: Mapping) -> Callable[[dict], complex]:
    da_next = _array("da_next", da_next, 2, np.float64)

    def loss(values: dict) -> complex:
        state = _cell_state(
            values["xt"], values["a_prev"], values["Wax"], values["Waa"], values["ba"]
        )
        return np.sum(da_next * state)

    return loss


def _directional(loss: Callable[[dict], complex], inputs: dict, direction: Mapping) -> float:
    return float(np.imag(loss(_perturbed(inputs, direction))) / STEP)


def _gradient(loss: Callable[[dict], complex], inputs: dict) -> dict[str, np.ndarray]:
    """One complex-step pass per entry: exact to rounding, independent of any backward formula."""
    gradient = {}
    for name, value in inputs.items():
        value = np.asarray(value, dtype=np.float64)
        entries = np.zeros(value.shape)
        for index in np.ndindex(value.shape):
            unit = np.zeros(value.shape)
            unit[index] = 1.0
            entries[index] = _directional(loss, inputs, {name: unit})
        gradient[GRADIENT_NAME[name]] = entries
    return gradient


def _sequence_inputs(x, a0, parameters: Mapping) -> dict:
    weights = {k: np.asarray(parameters[k], dtype=np.float64) for k in ("Wax", "Waa", "ba")}
    return {"x": np.asarray(x, dtype=np.float64), "a0": np.asarray(a0, dtype=np.float64), **weights}


def _cell_inputs(xt, a_prev, parameters: Mapping) -> dict:
    weights = {k: np.asarray(parameters[k], dtype=np.float64) for k in ("Wax", "Waa", "ba")}
    return {"xt": np.asarray(xt, np.float64), "a_prev": np.asarray(a_prev, np.float64), **weights}


def complex_step_directional(da, x, a0, parameters: Mapping, direction: Mapping) -> float:
    """d/dε sequence_loss(θ + ε·v) at ε = 0, for v = ``direction`` (keys: x, a0, Wax, Waa, ba)."""
    return _directional(
        _sequence_loss_of(da, parameters), _sequence_inputs(x, a0, parameters), direction
    )


def complex_step_gradient(da, x, a0, parameters: Mapping) -> dict[str, np.ndarray]:
    """dx, da0, dWax, dWaa, dba of sequence_loss, one complex-step pass per entry (small sizes)."""
    return _gradient(_sequence_loss_of(da, parameters), _sequence_inputs(x, a0, parameters))


def cell_complex_step_directional(
    da_next, xt, a_prev, parameters: Mapping, direction: Mapping
) -> float:
    """d/dε ⟨da_next, a_next(θ + ε·v)⟩ at ε = 0 (keys: xt, a_prev, Wax, Waa, ba)."""
    return _directional(
        _cell_loss_of(da_next, parameters), _cell_inputs(xt, a_prev, parameters), direction
    )


def cell_complex_step_gradient(da_next, xt, a_prev, parameters: Mapping) -> dict[str, np.ndarray]:
    """dxt, da_prev, dWax, dWaa, dba of ⟨da_next, a_next⟩ by complex step, one pass per entry."""
    return _gradient(_cell_loss_of(da_next, parameters), _cell_inputs(xt, a_prev, parameters))

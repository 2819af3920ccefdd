"""Numeric oracles for any cell description, from what ``symbolic.cell_proof`` proved.

The forward equations and the documented gradient formulas of the cell module (``symbolic.lstm``,
``symbolic.gru``) run here on NumPy arrays (``NumPyOps``), in the order the proofs judged them, and
the sequence gradients are the proven through-time rule (``cell_time.backward_through_time``). No
SymPy is imported: nothing is transcribed a second time, the very functions the proofs
instantiated with SymPy matrices are evaluated with arrays.

The forward is complex-dtype safe (outputs allocated with ``np.result_type`` of the inputs, no
in-place write into a real array, a σ that neither overflows nor drops the imaginary part), so
the complex step Im(L(θ + i·h·v))/h with h = 1e-20 gives derivatives of the floating-point forward
exact to rounding, independent of every backward formula.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import reduce
from types import ModuleType
from typing import Callable

import numpy as np
from rnnspec.symbolic.cell_time import (
    backward_through_time,
    cell_values,
    documented_gradients,
    unroll,
)

STEP = 1e-20  # complex-step size: far below any rounding, so h² terms vanish entirely


class NumPyOps:
    """The ops of a cell's equations on NumPy arrays (real or complex)."""

    @staticmethod
    def mul(*factors):
        return reduce(np.multiply, factors)

    @staticmethod
    def one_minus(x):
        return 1.0 - x

    @staticmethod
    def sigmoid(x):
        """σ(x) = 1 / (1 + e^−x), evaluated so that the exponent is never positive.

        For Re x ≥ 0 it is 1 / (1 + e^−x), else e^x / (1 + e^x): no overflow, full relative
        accuracy in both tails, and a complex argument keeps its imaginary part.
        """
        x = np.asarray(x)
        negative_half = np.where(x.real >= 0, -x, x)  # Re ≤ 0: e^(·) ≤ 1
        e = np.exp(negative_half)
        return np.where(x.real >= 0, 1.0 / (1.0 + e), e / (1.0 + e))

    @staticmethod
    def tanh(x):
        return np.tanh(x)

    @staticmethod
    def vstack(top, bottom):
        return np.concatenate([top, bottom], axis=0)

    @staticmethod
    def affine(weights, inputs, bias):
        return weights @ inputs + bias

    @staticmethod
    def sum_batch(x):
        return np.sum(x, axis=1, keepdims=True)

    @staticmethod
    def inner(left, right):
        return np.sum(left * right)

    @staticmethod
    def softmax(u):
        """Column-wise softmax, shifted by each column's maximum (of the real part)."""
        with np.errstate(over="ignore"):
            exps = np.exp(u - np.max(u.real, axis=0, keepdims=True))
        return exps / np.sum(exps, axis=0, keepdims=True)


OPS = NumPyOps()


def _arrays(values: Mapping) -> dict:
    return {k: np.asarray(v) for k, v in values.items()}


def _widened(*arrays) -> np.dtype:
    """float64, or complex128 if any input is complex: never narrower than the inputs."""
    return np.result_type(np.float64, *arrays)


def _check_parameters(cell: ModuleType, p: Mapping, n_x: int, n_a: int, names) -> None:
    n_y = np.shape(p["Wy"])[0] if "Wy" in p else None
    sizes = {"n_x": n_x, "n_a": n_a, "n_y": n_y}
    for name in names:
        if name not in p:
            raise ValueError(f"parameters: missing {name!r}")
        expected = tuple(d if isinstance(d, int) else sum(sizes[s.strip()] for s in d.split("+"))
                         for d in cell.PARAMETERS[name])
        if np.shape(p[name]) != expected:
            raise ValueError(f"parameters[{name!r}]: expected shape {cell.PARAMETERS[name]} = "
                             f"{expected}, got {np.shape(p[name])}")


class CellOracle:
    """What a correct implementation of ``cell`` returns, in plain NumPy.

    ``state`` is the dict of the cell's previous state (``a_prev``, and ``c_prev`` for the LSTM);
    ``upstream`` the dict of gradients arriving at the cell (``da_next``, and ``dc_next``).
    """

    def __init__(self, cell: ModuleType):
        self.cell = cell

    # --- forward ---
    def cell_forward(self, xt, state: Mapping, parameters: Mapping) -> dict:
        """Every value of one step (gates, state, ``yt_pred``), in the widened dtype."""
        xt = np.asarray(xt)
        state = _arrays(state)
        n_a = state["a_prev"].shape[0]
        _check_parameters(self.cell, parameters, xt.shape[0], n_a, self.cell.PARAMETERS)
        p = _arrays(parameters)
        values = cell_values(self.cell, OPS, {"xt": xt, **state}, p)
        values["yt_pred"] = self.cell.output(OPS, values["a_next"], p)
        return values

    def forward(self, x, a0, parameters: Mapping) -> dict:
        """The sequence: per-step values, and the stacked a (and c) and y over axis 2."""
        x, a0 = np.asarray(x), np.asarray(a0)
        (n_x, m, steps), n_a = x.shape, a0.shape[0]
        if a0.shape != (n_a, m):
            raise ValueError(f"a0: expected shape (n_a, m) = {(n_a, m)}, got {a0.shape}")
        _check_parameters(self.cell, parameters, n_x, n_a, self.cell.PARAMETERS)
        p = _arrays(parameters)
        dtype = _widened(x, a0, *p.values())
        initial = {prev: (a0 if prev == "a_prev" else np.zeros((n_a, m), dtype))
                   for prev in self.cell.RECURRENCE}
        steps_values = unroll(self.cell, OPS, [x[:, :, t] for t in range(steps)], initial, p)
        for values in steps_values:
            values["yt_pred"] = self.cell.output(OPS, values["a_next"], p)
        stacked = {"steps": steps_values}
        for name, key in (("a", "a_next"), ("c", "c_next"), ("y", "yt_pred")):
            if key in steps_values[0]:
                stacked[name] = np.stack([v[key] for v in steps_values], axis=2).astype(dtype)
        return stacked

    # --- backward ---
    def cell_backward(self, upstream: Mapping, xt, state: Mapping, parameters: Mapping) -> dict:
        """The documented (proven) formulas at this step; every intermediate too."""
        xt = np.asarray(xt, dtype=np.float64)
        state = {k: np.asarray(v, dtype=np.float64) for k, v in state.items()}
        n_a = state["a_prev"].shape[0]
        names = [n for name in self.cell.BACKWARD_PARAMETERS for n in (name, "b" + name[1:])]
        _check_parameters(self.cell, parameters, xt.shape[0], n_a, names)
        p = {name: np.asarray(parameters[name], dtype=np.float64) for name in names}
        values = cell_values(self.cell, OPS, {"xt": xt, **state}, p)
        upstream = {k: np.asarray(v, dtype=np.float64) for k, v in upstream.items()}
        return documented_gradients(self.cell, OPS, values, upstream, n_a)

    def backward(self, da, x, a0, parameters: Mapping) -> dict:
        """The sequence gradients by the proven through-time rule (``dx`` stacked on axis 2)."""
        x = np.asarray(x, dtype=np.float64)
        a0 = np.asarray(a0, dtype=np.float64)
        da = np.asarray(da, dtype=np.float64)
        names = [n for name in self.cell.BACKWARD_PARAMETERS for n in (name, "b" + name[1:])]
        p = {name: np.asarray(parameters[name], dtype=np.float64) for name in names}
        steps = self.forward(x, a0, {**parameters, **p})["steps"]
        if da.shape != (a0.shape[0], a0.shape[1], x.shape[2]):
            raise ValueError(f"da: expected shape (n_a, m, T_x), got {da.shape}")
        states = list(self.cell.RECURRENCE)

        def cell(t: int, received: dict) -> dict:
            state = {k: steps[t][k] for k in states}
            return self.cell_backward(received, x[:, :, t], state, p)

        result = backward_through_time(self.cell, cell, [da[:, :, t] for t in range(x.shape[2])],
                                       np.zeros(a0.shape))
        for name in self.cell.THROUGH_TIME["per_step"]:
            result[name] = np.stack(result[name], axis=2)
        return result

    # --- losses and complex steps ---
    def cell_loss(self, upstream: Mapping, xt, state: Mapping, parameters: Mapping):
        """⟨da_next, a_next⟩ (+ ⟨dc_next, c_next⟩): the scalar the cell backward differentiates."""
        values = self.cell_forward(xt, state, parameters)
        return self.cell.loss_upstream(OPS, values, _arrays(upstream))

    def sequence_loss(self, da, x, a0, parameters: Mapping):
        """L = Σₜ ⟨da[:, :, t], a⟨t⟩⟩: the scalar the sequence backward differentiates."""
        return np.sum(np.asarray(da) * self.forward(x, a0, parameters)["a"])

    def cell_complex_step_gradient(self, upstream, xt, state, parameters) -> dict:
        """Every cell gradient by complex step, one pass per entry (small sizes)."""
        inputs = {"xt": xt, **state, **self._differentiated(parameters)}

        def loss(v: dict):
            return self.cell_loss(upstream, v["xt"], {k: v[k] for k in state},
                                  {**parameters, **v})

        return _complex_step(loss, inputs)

    def complex_step_gradient(self, da, x, a0, parameters) -> dict:
        """Every sequence gradient by complex step, one pass per entry (small sizes)."""
        inputs = {"x": x, "a0": a0, **self._differentiated(parameters)}

        def loss(v: dict):
            return self.sequence_loss(da, v["x"], v["a0"], {**parameters, **v})

        return _complex_step(loss, inputs)

    def _differentiated(self, parameters: Mapping) -> dict:
        names = [n for name in self.cell.BACKWARD_PARAMETERS for n in (name, "b" + name[1:])]
        return {name: parameters[name] for name in names}


def _complex_step(loss: Callable[[dict], complex], inputs: Mapping) -> dict:
    """{"d" + name: ∂loss/∂name}: Im(loss(θ + i·h·e_k))/h for every entry k of every input."""
    gradient = {}
    for name, value in inputs.items():
        value = np.asarray(value, dtype=np.float64)
        entries = np.zeros(value.shape)
        for index in np.ndindex(value.shape):
            perturbed = value.astype(np.complex128)
            perturbed[index] += 1j * STEP
            entries[index] = np.imag(loss({**inputs, name: perturbed})) / STEP
        gradient["d" + name] = entries
    return gradient

"""What a cell description's equations mean, written once for any cell and any kind of matrix.

A cell module (``symbolic.lstm``, ``symbolic.gru``) states its forward equations and its documented
gradient formulas as plain functions of an ``ops`` object (element-wise product, σ, tanh, stacking,
bias broadcast, batch sum). The same functions run

- on SymPy explicit matrices (``symbolic.cell_proof``: the proofs), and
- on NumPy arrays (``symbolic.cell_oracle``: the oracles),

so the oracle computes, line for line, what was proven. This module holds the three steps that are
the same for every cell: evaluating one cell's equations, unrolling them over a sequence, and the
backward pass through time with the cell's carries. Only ``+`` and the ops are needed: no SymPy, no
NumPy here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import ModuleType, SimpleNamespace
from typing import Any, Callable


def cell_values(cell: ModuleType, ops: Any, inputs: Mapping, parameters: Mapping,
                given: Mapping | None = None) -> dict[str, Any]:
    """Every named value of one forward step (inputs and parameters included).

    ``given`` replaces an intermediate (a gate pre-activation, ``c_next``) by an independent value:
    the proofs cut the forward there to differentiate with respect to it.
    """
    values = dict(cell.forward(ops, inputs, parameters, given or {}))
    return {**parameters, **inputs, **values}


def documented_gradients(cell: ModuleType, ops: Any, values: Mapping, upstream: Mapping,
                         n_a: int, derived: Mapping | None = None) -> dict[str, Any]:
    """Evaluate the documented formulas in their order; each may use the ones before it.

    ``derived`` (the proofs) holds values that replace the documented ones of the same name for
    the formulas after them, so each formula is judged on its own, not on its predecessors.
    """
    namespace = SimpleNamespace(**values, **upstream, n_a=n_a)
    out = {}
    for formula in cell.DOCUMENTED:
        out[formula.name] = formula.formula(namespace, ops)
        replacement = (derived or {}).get(formula.name, out[formula.name])
        setattr(namespace, formula.name, replacement)
    return out


def unroll(cell: ModuleType, ops: Any, xs: Sequence, initial: Mapping, parameters: Mapping,
           ) -> list[dict[str, Any]]:
    """The values of every step; step t's ``<state>_prev`` is step t−1's ``<state>_next``.

    ``initial`` gives the state before step 0 (``a_prev`` and, for the LSTM, ``c_prev``).
    """
    steps, state = [], dict(initial)
    for x in xs:
        values = cell_values(cell, ops, {"xt": x, **state}, parameters)
        steps.append(values)
        state = {prev: values[nxt] for prev, nxt in cell.RECURRENCE.items()}
    return steps


def backward_through_time(cell: ModuleType, cell_backward: Callable[[int, dict], Mapping],
                          da: Sequence, zero: Any) -> dict[str, Any]:
    """The through-time rule of the cell's description, from the last step to step 0.

    Step t's cell receives, for each carry, what step t+1's backward returned (zero at the last
    step), plus ``da[t]`` on the upstream one. Parameter gradients are summed over the steps,
    per-step gradients kept in a list, and the carries left after step 0 returned under their
    sequence names (``da0``; the LSTM's ``dc0`` too, which ``lstm_backward`` does not return).
    """
    rule = cell.THROUGH_TIME
    carry = {name: zero for name in rule["carries"]}
    per_step: dict[str, list] = {name: [None] * len(da) for name in rule["per_step"]}
    sums: dict[str, Any] = {}
    for t in reversed(range(len(da))):
        received = dict(carry)
        received[rule["upstream"]] = da[t] + carry[rule["upstream"]]
        step = cell_backward(t, received)
        for name, key in rule["per_step"].items():
            per_step[name][t] = step[key]
        for name in rule["summed"]:
            sums[name] = step[name] if name not in sums else sums[name] + step[name]
        carry = {name: step[key] for name, key in rule["carries"].items()}
    left = {name: carry[received_as] for name, received_as in rule["left_after_step_0"].items()}
    return {**per_step, **left, **sums}

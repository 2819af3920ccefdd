"""Known wrong formulas, computed exactly, so a wrong gradient can be matched to its likely cause.

Each fingerprint is what a real bug of the catalogue (ANCHORS.md) would return on the same inputs.
They are built from the oracle with altered inputs (a missing (1 − a²) is the oracle's gradient at
a_next = 0) or from the proven through-time rule with one of its three ingredients broken, so none
of them restates a formula the symbolic audit proves.
"""

from __future__ import annotations

import numpy as np
from rnnspec.symbolic import oracle
from rnnspec.symbolic.through_time import SUMMED, backward_through_time


def softmax(u) -> dict:
    """{likely cause: what that softmax bug returns on u}."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        shifted = np.exp(u - np.max(u))
        raw = np.exp(u)
        return {
            "one maximum over the whole array is subtracted instead of one per column "
            "(np.max(x) without axis=0): a column far below the largest logit underflows to "
            "0/0 = NaN": shifted / np.sum(shifted, axis=0),
            "the column maximum is not subtracted before exp: exp overflows to inf for logits "
            "above about 709, and inf/inf = NaN": raw / np.sum(raw, axis=0),
            "softmax is taken over the batch (axis=1) instead of over the classes (axis=0)":
                oracle.softmax(u.T).T,
        }


def cell(da_next, xt, a_prev, a_next, parameters) -> dict:
    """Per gradient name: {likely cause: the array that bug gives}."""
    right = oracle.cell_backward(da_next, xt, a_prev, a_next, parameters)
    wrong_dz = {
        "the tanh derivative (1 − a_next²) is missing": np.zeros_like(a_next),
        "(1 − a_prev²) is used where (1 − a_next²) belongs": a_prev,
        "tanh is applied twice: (1 − tanh(a_next)²) instead of (1 − a_next²)": np.tanh(a_next),
    }
    out = {key: {} for key in right}
    for cause, fake_a in wrong_dz.items():
        if fake_a.shape == a_next.shape:
            for key, value in oracle.cell_backward(da_next, xt, a_prev, fake_a,
                                                   parameters).items():
                out[key][cause] = value
    for weight, key in (("Waa", "da_prev"), ("Wax", "dxt")):
        if parameters[weight].shape[0] == parameters[weight].shape[1]:  # else it cannot run
            flipped = dict(parameters, **{weight: parameters[weight].T})
            out[key][f"a missing transpose: {weight} · dz where {weight}ᵀ · dz belongs"] = \
                oracle.cell_backward(da_next, xt, a_prev, a_next, flipped)[key]
    for key, value in right.items():
        out[key]["divided by m: a mean over the batch where the sum belongs"] = value / xt.shape[1]
        if value.ndim == 2 and value.shape[0] == value.shape[1]:
            out[key]["transposed: the right values in the wrong orientation"] = value.T
    return out


def through_time(da, x, a0, a, parameters, *, carry=True, upstream=True, accumulate=True):
    """The proven through-time rule (symbolic.through_time) with one ingredient broken."""
    n_a, m, T_x = da.shape
    upstream_da = da if upstream else np.zeros_like(da)  # without da[:, :, t] nothing flows
    steps = {}

    def cell(t, received):
        if not carry:
            received = upstream_da[:, :, t]
        a_prev = a[:, :, t - 1] if t > 0 else a0
        steps[t] = oracle.cell_backward(received, x[:, :, t], a_prev, a[:, :, t], parameters)
        return steps[t]

    g = backward_through_time(cell, [upstream_da[:, :, t] for t in range(T_x)],
                              np.zeros((n_a, m)))
    g["dx"] = np.stack(g["dx"], axis=2)
    if not accumulate:  # each step overwrote the last: what is left is step 0's
        g.update({key: steps[0][key] for key in SUMMED})
    return g


def sequence(da, x, a0, a, parameters) -> dict:
    right = through_time(da, x, a0, a, parameters)
    broken = {
        "no through-time carry: step t does not receive da_prev from step t+1":
            dict(carry=False),
        "da[:, :, t] is not added: each step receives only the carried gradient":
            dict(upstream=False),
        "the weight gradients are overwritten (=) at each step instead of accumulated (+=)":
            dict(accumulate=False),
    }
    out = {key: {} for key in right}
    for cause, knobs in broken.items():
        for key, value in through_time(da, x, a0, a, parameters, **knobs).items():
            out[key][cause] = value
    for key, value in right.items():
        out[key]["divided by m: a mean over the batch where the sum belongs"] = value / x.shape[1]
        if value.ndim == 2 and value.shape[0] == value.shape[1]:
            out[key]["transposed: the right values in the wrong orientation"] = value.T
    return out

"""Backward through time clips every gradient to [-5, 5] before returning it (the course's clip(), applied too early).

Clipping belongs to the optimisation step, after the gradients are computed; inside rnn_backward it
makes the returned gradients wrong wherever an entry exceeds 5 in magnitude.
Bug class: clipping (np.clip of the gradients to [-5, 5]).
Visible when: some gradient entry has |g| > 5 (large da, large batches, long sequences);
invisible when every entry is within [-5, 5].
"""

# ruff: noqa: F821, RUF059

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_backward"


def rnn_backward(da, caches):
    (caches, x) = caches
    (a0, a1, x1, parameters) = caches[0]
    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    dx = np.zeros((n_x, m, T_x))
    dWax = np.zeros((n_a, n_x))
    dWaa = np.zeros((n_a, n_a))
    dba = np.zeros((n_a, 1))
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        gradients = rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])
        dxt, da_prevt, dWaxt, dWaat, dbat = (gradients["dxt"], gradients["da_prev"],
                                             gradients["dWax"], gradients["dWaa"], gradients["dba"])
        dx[:, :, t] = dxt
        dWax += dWaxt
        dWaa += dWaat
        dba += dbat
    da0 = da_prevt
    # clip to mitigate exploding gradients
    for gradient in [dx, da0, dWax, dWaa, dba]:
        np.clip(gradient, -5, 5, out=gradient)
    return {"dx": dx, "da0": da0, "dWax": dWax, "dWaa": dWaa, "dba": dba}

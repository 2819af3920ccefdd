"""Backward allocates dx with dtype=np.float, an alias NumPy deprecated in 1.20 and removed in 1.24.

On NumPy ≥ 1.24 every call raises AttributeError; on older NumPy np.float was the builtin float
and the function is correct. The alias is only touched inside the function, so the file imports.
Bug class: removed NumPy alias (np.float).
Visible when: NumPy ≥ 1.24 (every call); invisible on NumPy < 1.24.
"""

# ruff: noqa: F821, RUF059

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_backward"
# Only a bug where the alias is gone; on older NumPy this file is a correct implementation.
CAUGHT_ONLY_IF = np.lib.NumpyVersion(np.__version__) >= "1.24.0"


def rnn_backward(da, caches):
    (caches, x) = caches
    (a0, a1, x1, parameters) = caches[0]
    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    dx = np.zeros((n_x, m, T_x), dtype=np.float)
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
    return {"dx": dx, "da0": da0, "dWax": dWax, "dWaa": dWaa, "dba": dba}

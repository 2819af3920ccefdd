"""Backward through time calls sys.exit() when a gradient entry exceeds 10, "to stop exploding gradients".

Inside a notebook this kills the kernel's cell; inside a grader it raises SystemExit, which is not
an Exception and escapes ``except Exception``. For smaller gradients the result is right.
Bug class: hostile behaviour (prints, then sys.exit() inside a function).
Visible when: some entry of dWax, dWaa or dba exceeds 10 in magnitude (large da, large m, long
sequences); invisible when all are below 10.
"""

# ruff: noqa: F821, RUF059

import sys

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
        if max(np.max(np.abs(dWax)), np.max(np.abs(dWaa)), np.max(np.abs(dba))) > 10:
            print("exploding gradients at step", t, "- stopping")
            sys.exit(1)
    da0 = da_prevt
    return {"dx": dx, "da0": da0, "dWax": dWax, "dWaa": dWaa, "dba": dba}

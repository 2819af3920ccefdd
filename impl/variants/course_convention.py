"""A correct RNN in the course assignment's convention, written as a standalone file.

rnn_cell_forward returns (a_next, yt_pred, cache) with the cell cache (a_next, a_prev, xt,
parameters); rnn_forward returns (a, y_pred, (caches, x)); rnn_backward unpacks the course's cache
order. Same equations as the reference, in the assignment's own style; float64 throughout.
Differs from the reference in: convention (cell outputs and cache order); no input validation.
"""

# ruff: noqa: RUF059

import numpy as np


def softmax(x):
    x = np.asarray(x, dtype=np.float64)
    e_x = np.exp(x - np.max(x, axis=0, keepdims=True))
    return e_x / np.sum(e_x, axis=0, keepdims=True)


def rnn_cell_forward(xt, a_prev, parameters):
    xt = np.asarray(xt, dtype=np.float64)
    a_prev = np.asarray(a_prev, dtype=np.float64)
    Wax = np.asarray(parameters["Wax"], dtype=np.float64)
    Waa = np.asarray(parameters["Waa"], dtype=np.float64)
    Wya = np.asarray(parameters["Wya"], dtype=np.float64)
    ba = np.asarray(parameters["ba"], dtype=np.float64)
    by = np.asarray(parameters["by"], dtype=np.float64)

    a_next = np.tanh(np.dot(Waa, a_prev) + np.dot(Wax, xt) + ba)
    yt_pred = softmax(np.dot(Wya, a_next) + by)

    cache = (a_next, a_prev, xt, parameters)
    return a_next, yt_pred, cache


def rnn_forward(x, a0, parameters):
    x = np.asarray(x, dtype=np.float64)
    caches = []
    n_x, m, T_x = x.shape
    n_y, n_a = np.shape(parameters["Wya"])

    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))

    a_next = a0
    for t in range(T_x):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        caches.append(cache)

    caches = (caches, x)
    return a, y_pred, caches


def rnn_cell_backward(da_next, cache):
    (a_next, a_prev, xt, parameters) = cache
    a_next = np.asarray(a_next, dtype=np.float64)
    a_prev = np.asarray(a_prev, dtype=np.float64)
    xt = np.asarray(xt, dtype=np.float64)
    da_next = np.asarray(da_next, dtype=np.float64)
    Wax = np.asarray(parameters["Wax"], dtype=np.float64)
    Waa = np.asarray(parameters["Waa"], dtype=np.float64)

    dtanh = (1 - a_next ** 2) * da_next

    dxt = np.dot(Wax.T, dtanh)
    dWax = np.dot(dtanh, xt.T)

    da_prev = np.dot(Waa.T, dtanh)
    dWaa = np.dot(dtanh, a_prev.T)

    dba = np.sum(dtanh, axis=1, keepdims=True)

    gradients = {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}
    return gradients


def rnn_backward(da, caches):
    (caches, x) = caches
    (a1, a0, x1, parameters) = caches[0]

    n_a, m, T_x = np.shape(da)
    n_x, m = np.shape(x1)

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
    gradients = {"dx": dx, "da0": da0, "dWax": dWax, "dWaa": dWaa, "dba": dba}
    return gradients

"""A correct RNN that never converts its inputs: every operation asks NumPy for a float64 result
instead.

Each product is np.matmul(..., dtype=np.float64) and each element-wise step a ufunc with
dtype=np.float64, so float32 (or integer) inputs are widened exactly inside each operation and
every output is float64, computed at float64 precision. The caches hold the arrays as passed in.
Differs from the reference in: how float64 is obtained (ufunc dtype= instead of astype); no input
validation.
"""

# ruff: noqa: RUF059

import numpy as np

F64 = np.float64


def softmax(x):
    shifted = np.subtract(x, np.max(x, axis=0, keepdims=True), dtype=F64)
    e_x = np.exp(shifted, dtype=F64)
    return np.divide(e_x, np.sum(e_x, axis=0, keepdims=True), dtype=F64)


def rnn_cell_forward(xt, a_prev, parameters):
    Wax, Waa, Wya = parameters["Wax"], parameters["Waa"], parameters["Wya"]
    ba, by = parameters["ba"], parameters["by"]
    z = np.add(np.add(np.matmul(Wax, xt, dtype=F64), np.matmul(Waa, a_prev, dtype=F64)), ba,
               dtype=F64)
    a_next = np.tanh(z)
    yt_pred = softmax(np.add(np.matmul(Wya, a_next, dtype=F64), by, dtype=F64))
    return yt_pred, (a_prev, a_next, xt, parameters)


def rnn_forward(x, a0, parameters):
    n_x, m, T_x = np.shape(x)
    n_a = np.shape(a0)[0]
    n_y = np.shape(parameters["Wya"])[0]
    a = np.zeros((n_a, m, T_x), dtype=F64)
    y_pred = np.zeros((n_y, m, T_x), dtype=F64)
    caches = []
    a_prev = a0
    for t in range(T_x):
        yt_pred, cache = rnn_cell_forward(x[:, :, t], a_prev, parameters)
        a_prev = cache[1]
        a[:, :, t] = a_prev
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
    return a, y_pred, (caches, x)


def rnn_cell_backward(da_next, cache):
    a_prev, a_next, xt, parameters = cache
    Wax, Waa = parameters["Wax"], parameters["Waa"]
    dtanh = np.subtract(1.0, np.square(a_next, dtype=F64), dtype=F64)
    dz = np.multiply(da_next, dtanh, dtype=F64)
    return {
        "dxt": np.matmul(np.transpose(Wax), dz, dtype=F64),
        "da_prev": np.matmul(np.transpose(Waa), dz, dtype=F64),
        "dWax": np.matmul(dz, np.transpose(xt), dtype=F64),
        "dWaa": np.matmul(dz, np.transpose(a_prev), dtype=F64),
        "dba": np.sum(dz, axis=1, keepdims=True, dtype=F64),
    }


def rnn_backward(da, caches):
    cell_caches, x = caches
    n_x, m, T_x = np.shape(x)
    n_a = np.shape(da)[0]
    dx = np.zeros((n_x, m, T_x), dtype=F64)
    dWax = np.zeros((n_a, n_x), dtype=F64)
    dWaa = np.zeros((n_a, n_a), dtype=F64)
    dba = np.zeros((n_a, 1), dtype=F64)
    da_prev = np.zeros((n_a, m), dtype=F64)
    for t in reversed(range(T_x)):
        step = rnn_cell_backward(np.add(da[:, :, t], da_prev, dtype=F64), cell_caches[t])
        dx[:, :, t] = step["dxt"]
        dWax += step["dWax"]
        dWaa += step["dWaa"]
        dba += step["dba"]
        da_prev = step["da_prev"]
    return {"dx": dx, "da0": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}

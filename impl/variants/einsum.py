"""A correct RNN whose matrix products are all written with np.einsum.

Same equations and validation as the reference; every product (Wax x, Waa a, Wya a, Waxᵀ dz,
Waaᵀ dz, dz xᵀ, dz aᵀ) and the batch sum of dba are einsum contractions, so the summation order
differs from BLAS and the results agree with the reference to rounding, not bit for bit.
Differs from the reference in: einsum instead of @ (rounding-level differences).
"""

# ruff: noqa: F821

import numpy as np
from variant import reference_in

reference_in(globals())


def rnn_cell_forward(xt, a_prev, parameters):
    xt = _as_float64("xt", xt, 2)
    a_prev = _as_float64("a_prev", a_prev, 2)
    (n_x, m), n_a = xt.shape, a_prev.shape[0]
    _expect_shape("a_prev", a_prev, (n_a, m), "(n_a, m)")
    p = _parameters(parameters, CELL_PARAMETERS, n_a, n_x)
    z = np.einsum("ij,jk->ik", p["Wax"], xt) + np.einsum("ij,jk->ik", p["Waa"], a_prev) + p["ba"]
    a_next = np.tanh(z)
    yt_pred = softmax(np.einsum("ij,jk->ik", p["Wya"], a_next) + p["by"])
    return yt_pred, (a_prev, a_next, xt, parameters)


def rnn_cell_backward(da_next, cache):
    if not isinstance(cache, tuple) or len(cache) != 4:
        raise ValueError("cache: expected the tuple (a_prev, a_next, xt, parameters)")
    a_prev, a_next, xt, parameters = cache
    xt = _as_float64("cache xt", xt, 2)
    a_prev = _as_float64("cache a_prev", a_prev, 2)
    a_next = _as_float64("cache a_next", a_next, 2)
    da_next = _as_float64("da_next", da_next, 2)
    (n_x, m), n_a = xt.shape, a_prev.shape[0]
    _expect_shape("cache a_next", a_next, (n_a, m), "(n_a, m)")
    _expect_shape("da_next", da_next, (n_a, m), "(n_a, m)")
    p = _parameters(parameters, BACKWARD_PARAMETERS, n_a, n_x)
    dz = np.einsum("ik,ik->ik", da_next, 1.0 - np.einsum("ik,ik->ik", a_next, a_next))
    return {
        "dxt": np.einsum("ji,jk->ik", p["Wax"], dz),
        "da_prev": np.einsum("ji,jk->ik", p["Waa"], dz),
        "dWax": np.einsum("ik,jk->ij", dz, xt),
        "dWaa": np.einsum("ik,jk->ij", dz, a_prev),
        "dba": np.einsum("ik->i", dz)[:, np.newaxis],
    }

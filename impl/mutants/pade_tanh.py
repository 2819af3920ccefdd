"""Forward replaces np.tanh by a cheap rational (Padé) approximation that is only good to about 1e-4.

The [7/6] Padé approximant of tanh on |z| ≤ 5 and ±1 beyond: errors up to 1.0e-4, far above
float64 rounding.
Bug class: approximate tanh (precision).
Visible when: some |z| ≳ 1 (the error is 2e-12 at z = 1, 1e-8 at z = 2, 1e-6 at z = 3, 1e-4 near
z = 5); invisible for |z| ≲ 0.5, where it agrees with tanh to rounding.
"""

# ruff: noqa: F821

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_cell_forward"


def tanh_approx(z):
    zc = np.clip(z, -5, 5)
    z2 = zc * zc
    p = zc * (135135 + 17325 * z2 + 378 * z2 ** 2 + z2 ** 3)
    q = 135135 + 62370 * z2 + 3150 * z2 ** 2 + 28 * z2 ** 3
    return np.where(np.abs(z) > 5, np.sign(z), p / q)


def rnn_cell_forward(xt, a_prev, parameters):
    Wax = parameters["Wax"]
    Waa = parameters["Waa"]
    Wya = parameters["Wya"]
    ba = parameters["ba"]
    by = parameters["by"]
    a_next = tanh_approx(np.dot(Wax, xt) + np.dot(Waa, a_prev) + ba)
    yt_pred = softmax(np.dot(Wya, a_next) + by)
    cache = (a_prev, a_next, xt, parameters)
    return yt_pred, cache

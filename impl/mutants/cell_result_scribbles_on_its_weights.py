"""rnn_cell_forward returns a tuple subclass that, when unpacked, doubles the caller's Wax.

A "lazy" result object whose ``__iter__`` finishes some bookkeeping in place on the parameters it
was given: ``yt_pred, cache = rnn_cell_forward(...)`` then changes the caller's weights. The values
returned are right (the cache keeps copies taken before); the caller's model is not. rnn_forward
runs its own plain cell, so only rnn_cell_forward's callers are hit.
Bug class: input modified in place (by the returned object, when it is read).
Visible when: the result is unpacked (always: every caller reads it).
"""

import numpy as np
from variant import reference_in

reference_in(globals())
BROKEN = "rnn_cell_forward"


class _Lazy(tuple):
    _fields = ("yt_pred", "cache")  # a namedtuple to any reader

    def __iter__(self):
        if not getattr(self, "done", False):
            self.done = True
            self.weights *= 2.0
        return super().__iter__()


def _plain_cell(xt, a_prev, parameters):
    p = parameters
    a_next = np.tanh(p["Wax"] @ xt + p["Waa"] @ a_prev + p["ba"])
    return softmax(p["Wya"] @ a_next + p["by"]), (a_prev, a_next, xt, parameters)  # noqa: F821


def rnn_cell_forward(xt, a_prev, parameters):
    yt_pred, (_, a_next, _, _) = _plain_cell(xt, a_prev, parameters)
    cache = (a_prev.copy(), a_next, xt.copy(), {k: v.copy() for k, v in parameters.items()})
    lazy = _Lazy((yt_pred, cache))
    lazy.weights = parameters["Wax"]
    return lazy


def rnn_forward(x, a0, parameters):
    caches, a_next = [], a0
    n_a, (n_y, _), (_, m, T_x) = a0.shape[0], parameters["Wya"].shape, x.shape
    a, y_pred = np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x))
    for t in range(T_x):
        yt_pred, cache = _plain_cell(x[:, :, t], a_next, parameters)
        a_next = cache[1]
        a[:, :, t], y_pred[:, :, t] = a_next, yt_pred
        caches.append(cache)
    return a, y_pred, (caches, x)

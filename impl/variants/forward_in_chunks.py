"""A correct rnn_forward that runs the sequence in chunks of 10 steps, each chunk starting from the
last state of the one before (how long sequences are streamed through a model).

Differs from the reference in: the time loop is split into chunks of 10 steps, joined by the state.
"""

# ruff: noqa: F821

import numpy as np
from variant import reference_in

reference_in(globals())
CHUNK = 10
_run = rnn_forward


def rnn_forward(x, a0, parameters):
    T_x = np.shape(x)[2]
    if T_x <= CHUNK:
        return _run(x, a0, parameters)
    a_parts, y_parts, cell_caches = [], [], []
    state = a0
    for start in range(0, T_x, CHUNK):
        a, y_pred, (caches, _) = _run(x[:, :, start:start + CHUNK], state, parameters)
        a_parts.append(a)
        y_parts.append(y_pred)
        cell_caches += caches
        state = caches[-1][1]  # the chunk's last a_next, exactly as cached
    return np.concatenate(a_parts, axis=2), np.concatenate(y_parts, axis=2), (cell_caches, x)

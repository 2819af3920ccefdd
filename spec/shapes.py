"""The documented shapes as data, and the sizes a call's inputs determine.

Every shape in EQUATIONS.md is written once, here, in symbols (``("n_a", 1)`` is dba). The sizes
come from the *inputs* only, never from what the implementation returned: n_x from x / xt (or the
cached x / xt for the backward functions), n_a from a_prev / a0 / da_next / da, n_y from
``parameters["Wya"]``, m and T_x from the same arrays.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from rnnspec.spec.cell import Convention

# Output name -> shape in symbols, per function; softmax's y has the shape of its input x.
OUTPUT_SHAPES = {
    "rnn_cell_forward": {"a_next": ("n_a", "m"), "yt_pred": ("n_y", "m")},
    "rnn_forward": {"a": ("n_a", "m", "T_x"), "y_pred": ("n_y", "m", "T_x")},
    "rnn_cell_backward": {"dxt": ("n_x", "m"), "da_prev": ("n_a", "m"), "dWax": ("n_a", "n_x"),
                          "dWaa": ("n_a", "n_a"), "dba": ("n_a", 1)},
    "rnn_backward": {"dx": ("n_x", "m", "T_x"), "da0": ("n_a", "m"), "dWax": ("n_a", "n_x"),
                     "dWaa": ("n_a", "n_a"), "dba": ("n_a", 1)},
}
# The array entries of a cell cache (its fourth entry is the parameters dict).
CELL_CACHE_SHAPES = {"a_prev": ("n_a", "m"), "a_next": ("n_a", "m"), "xt": ("n_x", "m")}


def _shape(value) -> tuple | None:
    return value.shape if isinstance(value, np.ndarray) else None


def sizes(function: str, inputs: Mapping, convention: Convention | None) -> dict:
    """The sizes (n_x, n_a, n_y, m, T_x) that ``inputs`` determine; those it cannot are left out.

    A size is left out rather than guessed when an input is not an array of the documented
    number of dimensions: whatever else a contract can still check, it checks.
    """
    found: dict = {}

    def take(value, names) -> None:
        shape = _shape(value)
        if shape is not None and len(shape) == len(names):
            found.update((n, s) for n, s in zip(names, shape) if n is not None)

    parameters = inputs.get("parameters")
    if isinstance(parameters, Mapping):
        take(parameters.get("Wya"), ("n_y", None))
    if function == "rnn_cell_forward":
        take(inputs.get("xt"), ("n_x", "m"))
        take(inputs.get("a_prev"), ("n_a", None))
    elif function == "rnn_forward":
        take(inputs.get("x"), ("n_x", "m", "T_x"))
        take(inputs.get("a0"), ("n_a", None))
    elif function == "rnn_cell_backward":
        take(inputs.get("da_next"), ("n_a", "m"))
        cache = inputs.get("cache")
        if convention is not None and isinstance(cache, tuple) and len(cache) == 4:
            take(cache[convention.cell_cache.index("xt")], ("n_x", None))
    elif function == "rnn_backward":
        take(inputs.get("da"), ("n_a", "m", "T_x"))
        caches = inputs.get("caches")
        if isinstance(caches, tuple) and len(caches) == 2:
            take(caches[1], ("n_x", None, None))
    return found


def expected_shape(symbols: tuple, known: Mapping) -> tuple | None:
    """``symbols`` with the known sizes substituted, or None if one of them is unknown."""
    shape = []
    for s in symbols:
        if isinstance(s, str):
            if s not in known:
                return None
            s = known[s]
        shape.append(s)
    return tuple(shape)


def symbolic(symbols: tuple) -> str:
    """``("n_a", 1)`` as ``(n_a, 1)``, the way EQUATIONS.md writes it."""
    return "(" + ", ".join(map(str, symbols)) + ("," if len(symbols) == 1 else "") + ")"

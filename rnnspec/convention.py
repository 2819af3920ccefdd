"""The two conventions in the wild (EQUATIONS.md), as data, and how to tell which one code follows.

A convention says how ``rnn_cell_forward`` returns its results and in which order the cell cache
holds its four entries. Everything else (sequence caches, gradient dicts) is common to both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnnspec import sandbox


@dataclass(frozen=True)
class Convention:
    name: str
    cell_forward_returns: tuple  # names of rnn_cell_forward's outputs, in order
    cell_cache: tuple  # names of the cell cache entries, in order

    def cell_cache_from(self, **entries) -> tuple:
        """A cell cache in this convention's order, from its entries by name."""
        return tuple(entries[name] for name in self.cell_cache)


SEED = Convention("seed", ("yt_pred", "cache"), ("a_prev", "a_next", "xt", "parameters"))
COURSE = Convention(
    "course", ("a_next", "yt_pred", "cache"), ("a_next", "a_prev", "xt", "parameters")
)
CONVENTIONS = {c.name: c for c in (SEED, COURSE)}


def probe_inputs(seed: int = 7):
    """Small inputs where every size differs, so no entry can be mistaken for another."""
    rng = np.random.default_rng(seed)
    n_x, n_a, n_y, m = 2, 3, 4, 5
    parameters = {"Wax": rng.standard_normal((n_a, n_x)), "Waa": rng.standard_normal((n_a, n_a)),
                  "Wya": rng.standard_normal((n_y, n_a)), "ba": rng.standard_normal((n_a, 1)),
                  "by": rng.standard_normal((n_y, 1))}
    return rng.standard_normal((n_x, m)), rng.standard_normal((n_a, m)), parameters


def detect(worker, timeout: float = sandbox.DEFAULT_CALL_TIMEOUT) -> tuple[Convention | None, str]:
    """Which convention the worker's ``rnn_cell_forward`` follows, and how that was decided.

    The arity of the return value separates the conventions; the cache order is then confirmed by
    finding which cached array holds the a_prev passed in. Returns (None, reason) when it cannot
    tell.
    """
    if "rnn_cell_forward" not in worker.loaded.get("present", {}):
        return None, "rnn_cell_forward is missing"
    xt, a_prev, parameters = probe_inputs()
    try:
        returned = worker.call("rnn_cell_forward", [xt, a_prev, parameters],
                               timeout=timeout)[0]["ok"]
    except sandbox.ImplementationFailure as failure:
        return None, f"probing rnn_cell_forward failed: {failure}"
    if not isinstance(returned, tuple) or len(returned) not in (2, 3):
        return None, f"rnn_cell_forward returned {type(returned).__name__}, not a 2- or 3-tuple"
    by_arity = SEED if len(returned) == 2 else COURSE
    cache = returned[-1]
    if isinstance(cache, tuple) and len(cache) == 4:
        first_is_prev = _same(cache[0], a_prev)
        second_is_prev = _same(cache[1], a_prev)
        by_cache = SEED if first_is_prev and not second_is_prev else (
            COURSE if second_is_prev and not first_is_prev else None)
        if by_cache is not None and by_cache is not by_arity:
            return by_arity, (f"{len(returned)} outputs say {by_arity.name}, but the cache order "
                              f"says {by_cache.name}; judging as {by_arity.name}")
    return by_arity, f"{len(returned)} outputs from rnn_cell_forward"


def _same(candidate, reference) -> bool:
    try:
        return np.shape(candidate) == reference.shape and bool(np.all(candidate == reference))
    except Exception:
        return False

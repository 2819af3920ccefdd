"""The vanilla RNN of the "RNN step by step" exercise (EQUATIONS.md), as a cell description.

Two conventions are found in the wild: the seed notebook's ``(yt_pred, cache)`` with the cache
``(a_prev, a_next, xt, parameters)``, and the course's ``(a_next, yt_pred, cache)`` with the cache
``(a_next, a_prev, xt, parameters)``. The forward and the backward of one submission are detected
separately, each from its own behaviour: a backward is judged on its own even when its forward is
missing or broken.
"""

from __future__ import annotations

import numpy as np
from rnnspec.spec.cell import (
    ACTIVATION,
    BACKWARD,
    CELL_BACKWARD,
    CELL_FORWARD,
    FORWARD,
    Cell,
    Convention,
)

from rnnspec import sandbox

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


def combined(returns: Convention, layout: Convention) -> Convention:
    """The cell forward's return structure of one convention with the cache order of another
    (a consistent hybrid found in the wild: the seed's two outputs, the course's cache)."""
    if returns is layout:
        return returns
    return Convention(f"{returns.name} outputs with the {layout.name} cache order",
                      returns.cell_forward_returns, layout.cell_cache)


def detect(worker, timeout: float = sandbox.DEFAULT_CALL_TIMEOUT) -> tuple:
    """Each function's convention from its own behaviour (EQUATIONS.md).

    The forward's output count gives its return structure, and which cached entry holds the
    a_prev passed in gives the order it writes. The backward is probed with a cache in each
    order; the order under which its gradients are right is the one it reads. A side that
    cannot be told (missing, raising, wrong either way) takes the other side's, else seed.
    """
    forward, forward_note = _forward(worker, timeout)
    backward, backward_note = _backward(worker, timeout)
    if backward is None:
        backward = forward if forward is not None else SEED
        backward_note += f"; judged as reading the {backward.name} cache order"
    if forward is None:
        forward = CONVENTIONS.get(backward.name, SEED) if backward in (SEED, COURSE) else SEED
        forward_note += f"; judged as {forward.name}"
    by_side = {"rnn_cell_forward": forward, "rnn_forward": forward, "softmax": forward,
               "rnn_cell_backward": backward, "rnn_backward": backward}
    return by_side, (forward_note, backward_note)


def _forward(worker, timeout: float):
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
    by_cache = None
    if isinstance(cache, tuple) and len(cache) == 4:
        first_is_prev, second_is_prev = _same(cache[0], a_prev), _same(cache[1], a_prev)
        by_cache = SEED if first_is_prev and not second_is_prev else (
            COURSE if second_is_prev and not first_is_prev else None)
    chosen = combined(by_arity, by_cache or by_arity)
    return chosen, (f"rnn_cell_forward returns {len(returned)} values"
                    + (f" and caches a_prev {'first' if by_cache is SEED else 'second'}"
                       if by_cache else "") + f": {chosen.name}")


def _backward(worker, timeout: float):
    if "rnn_cell_backward" not in worker.loaded.get("present", {}):
        return None, "rnn_cell_backward is missing"
    from rnnspec.symbolic import oracle

    xt, a_prev, parameters = probe_inputs()
    a_next, _ = oracle.cell_forward(xt, a_prev, parameters)
    da_next = np.random.default_rng(8).standard_normal(a_next.shape)
    expected = oracle.cell_backward(da_next, xt, a_prev, a_next, parameters)
    right = []
    for layout in (SEED, COURSE):
        cache = layout.cell_cache_from(a_prev=a_prev, a_next=a_next, xt=xt, parameters=parameters)
        try:
            got = worker.call("rnn_cell_backward", [da_next, cache], timeout=timeout)[0]["ok"]
        except sandbox.ImplementationFailure:
            continue
        if isinstance(got, dict) and all(_close(got.get(k), v) for k, v in expected.items()):
            right.append(layout)
    if len(right) == 1:
        return right[0], (f"rnn_cell_backward is right when the cache is ordered "
                          f"({', '.join(right[0].cell_cache)}): {right[0].name}")
    return None, ("rnn_cell_backward is right with either cache order" if right else
                  "rnn_cell_backward is not right with either cache order")


def _close(candidate, expected: np.ndarray) -> bool:
    """Loosely equal: only to tell a right reading of the cache from a wrong one."""
    try:
        candidate = np.asarray(candidate, dtype=float)
        return candidate.shape == expected.shape and bool(
            np.allclose(candidate, expected, rtol=1e-6, atol=1e-9))
    except Exception:  # whatever came back (10**400, objects that lie), it is not right
        return False


def _same(candidate, reference) -> bool:
    try:
        return np.shape(candidate) == reference.shape and bool(np.all(candidate == reference))
    except Exception:
        return False


CELL = Cell(
    name="rnn",
    title="the vanilla RNN",
    roles={"softmax": ACTIVATION, "rnn_cell_forward": CELL_FORWARD, "rnn_forward": FORWARD,
           "rnn_cell_backward": CELL_BACKWARD, "rnn_backward": BACKWARD},
    built_on={"softmax": (), "rnn_cell_forward": ("softmax",),
              "rnn_forward": ("rnn_cell_forward",), "rnn_cell_backward": (),
              "rnn_backward": ("rnn_cell_backward",)},
    arguments={"softmax": ("x",), "rnn_cell_forward": ("xt", "a_prev", "parameters"),
               "rnn_forward": ("x", "a0", "parameters"), "rnn_cell_backward": ("da_next", "cache"),
               "rnn_backward": ("da", "caches")},
    sequence_returns=("a", "y_pred", "caches"),
    gradients={"rnn_cell_backward": ("dxt", "da_prev", "dWax", "dWaa", "dba"),
               "rnn_backward": ("dx", "da0", "dWax", "dWaa", "dba")},
    conventions=CONVENTIONS,
    references={"seed": "rnnspec.impl.reference",
                "course": "rnnspec.impl.variants.course_convention"},
    detect=detect,
    check_modules=tuple(f"rnnspec.properties.{name}" for name in (
        "softmax_laws", "forward", "cell_gradients", "sequence_gradients", "contracts",
        "call_order")),
    order=0,
)

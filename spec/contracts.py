"""Shape and caching invariants as executable contracts, checked on every call through ``Checked``.

Each contract compares the outputs of one call with its inputs and with each other, never with a
value the implementation computed about itself, and never recomputes the mathematics (the
properties do that). A violation's message names the function, the argument or output, what was
expected and what came (shape, dtype, first differing index and both values).

``CONTRACTS`` is ordered root cause first, because ``Checked`` reports the first broken one: a
misspelt gradient key before the shapes, a float32 output before the caches that disagree with it,
an input modified in place before the caches that alias it.
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from rnnspec.spec import shapes
from rnnspec.spec.contract import Call, Contract

# The output of each function that is a softmax, by documented name.
SOFTMAX_OUTPUTS = {"softmax": "y", "rnn_cell_forward": "yt_pred", "rnn_forward": "y_pred"}
ALL = ("softmax", "rnn_cell_forward", "rnn_forward", "rnn_cell_backward", "rnn_backward")


# --- comparing nested values -------------------------------------------------------------------

@dataclass(frozen=True)
class Difference:
    """Where two nested values first differ: ``path`` inside them, the aspect, both sides."""

    keys: tuple  # the path inside both values, e.g. ("Wax",) or (0, 2); () for the values
    aspect: str  # "index (1, 0)", "shape", "dtype", "type", "length", "value" or "keys"
    subject: str  # for "keys": the extra keys, for the others the subject's side
    reference: str  # for "keys": the missing keys

    def phrase(self, *, change: bool = False) -> str:
        """``at index (1, 0): 0.25 vs 0.73``, ``in shape: (5,) vs (5, 1)``, ``in keys: ...``.

        ``change`` words it as a modification, subject after and reference before the call:
        ``at index (1, 0): now 0.25, before the call 0.73``.
        """
        if self.aspect == "keys":
            labels = ("added", "removed") if change else ("extra", "missing")
            parts = [f"{label} {keys}" for label, keys in
                     zip(labels, (self.subject, self.reference)) if keys]
            return "in keys: " + "; ".join(parts)
        where = "at" if self.aspect.startswith("index") else "in"
        if change:
            return f"{where} {self.aspect}: now {self.subject}, before the call {self.reference}"
        return f"{where} {self.aspect}: {self.subject} vs {self.reference}"


def _number(value: Any) -> str:
    """The shortest text that round-trips, as ``repr`` of a Python scalar gives it."""
    return repr(value.item() if hasattr(value, "item") else value)


def _index(index: tuple) -> str:
    return "(" + ", ".join(map(str, index)) + ("," if len(index) == 1 else "") + ")"


INCOMPARABLE = "incomparable"


def _is_nan(value: Any) -> bool:
    return isinstance(value, (float, np.floating)) and math.isnan(value)


def _first_unequal(subject: np.ndarray, reference: np.ndarray):
    """The first index where two arrays of one shape differ (NaN equals NaN), None if nowhere,
    INCOMPARABLE if the entries cannot be compared (text against numbers, say)."""
    try:
        equal = np.asarray(subject == reference, dtype=bool)
        if subject.dtype.kind in "fc" and reference.dtype.kind in "fc":
            equal = equal | (np.isnan(subject) & np.isnan(reference))
    except (TypeError, ValueError):
        return INCOMPARABLE
    if equal.shape != subject.shape:
        return INCOMPARABLE
    if equal.all():
        return None
    return tuple(int(i) for i in np.argwhere(~equal)[0])


def difference(subject: Any, reference: Any, *, strict: bool, path: tuple = (),
               seen: dict | None = None) -> Difference | None:
    """The first difference between two nested values of arrays, dicts, lists and tuples.

    ``strict`` (for "was this input modified?") also requires equal dtypes and container types;
    otherwise (for "does this cache entry hold that input?") arrays compare by shape and value.
    ``seen`` holds the (subject, reference) pairs already compared (and found equal, or the
    comparison would have stopped), so shared objects are compared once; it keeps both alive,
    so that no id is reused by a temporary (a slice) while it is in use.
    """
    found = _difference(subject, reference, strict, {} if seen is None else seen)
    if found is not None and path:
        found = Difference(path + found.keys, found.aspect, found.subject, found.reference)
    return found


def _same_bytes(subject: np.ndarray, reference: np.ndarray) -> bool:
    """Whether two arrays have one shape, one dtype of numbers and the same bytes: equal whether
    or not the comparison is strict (:func:`_difference` would find no difference)."""
    dtype = subject.dtype
    return (subject.shape == reference.shape and dtype == reference.dtype
            and dtype.kind in "biufc" and subject.tobytes() == reference.tobytes())


def _difference(subject: Any, reference: Any, strict: bool, seen: dict) -> Difference | None:
    """:func:`difference`, its path relative to these values: a failure's path is put together
    on the way out, so that the common case, no difference, builds none."""
    kind = type(reference)  # exact types first: isinstance against Mapping is slow
    if (kind is np.ndarray or kind is dict or kind is tuple or kind is list
            or isinstance(reference, (np.ndarray, Mapping, list, tuple))):
        pair = (id(subject), id(reference))
        if pair in seen:
            return None
        seen[pair] = (subject, reference)
    if kind is np.ndarray or isinstance(reference, np.ndarray):
        if not isinstance(subject, np.ndarray):
            return Difference((), "type", type(subject).__name__, "numpy.ndarray")
        if subject.shape != reference.shape:
            return Difference((), "shape", str(subject.shape), str(reference.shape))
        if strict and subject.dtype != reference.dtype:
            return Difference((), "dtype", str(subject.dtype), str(reference.dtype))
        if _same_bytes(subject, reference):
            return None  # bitwise equal: the common case, decided without element-wise work
        index = _first_unequal(subject, reference)
        if index is None:
            return None
        if index == INCOMPARABLE:
            return Difference((), "dtype", str(subject.dtype), str(reference.dtype))
        return Difference((), f"index {_index(index)}", _number(subject[index]),
                          _number(reference[index]))
    if kind is dict or isinstance(reference, Mapping):
        if not (type(subject) is dict or isinstance(subject, Mapping)):
            return Difference((), "type", type(subject).__name__, type(reference).__name__)
        extra = [k for k in subject if k not in reference]
        missing = [k for k in reference if k not in subject]
        if extra or missing:
            return Difference((), "keys", ", ".join(map(repr, extra)),
                              ", ".join(map(repr, missing)))
        return _first_difference(((key, subject[key], reference[key]) for key in reference),
                                 strict, seen)
    if kind is tuple or kind is list or isinstance(reference, (list, tuple)):
        same_kind = (type(subject) is kind if strict
                     else isinstance(subject, (list, tuple)))
        if not same_kind:
            return Difference((), "type", type(subject).__name__, kind.__name__)
        if len(subject) != len(reference):
            return Difference((), "length", str(len(subject)), str(len(reference)))
        return _first_difference(((i, s, r) for i, (s, r) in enumerate(zip(subject, reference))),
                                 strict, seen)
    try:
        equal = bool(subject == reference) or (_is_nan(subject) and _is_nan(reference))
    except (TypeError, ValueError):
        equal = False
    if strict and type(subject) is not kind:
        return Difference((), "type", type(subject).__name__, kind.__name__)
    return None if equal else Difference((), "value", _number(subject), _number(reference))


def _first_difference(items, strict: bool, seen: dict) -> Difference | None:
    """The first difference among ``(key, subject, reference)`` items, its path from ``key``;
    arrays with the same bytes are passed over without a call."""
    for key, s, r in items:
        if type(r) is np.ndarray and type(s) is np.ndarray and _same_bytes(s, r):
            continue
        found = _difference(s, r, strict, seen)
        if found is not None:
            return Difference((key,) + found.keys, found.aspect, found.subject, found.reference)
    return None


# --- walking outputs, naming what is found -------------------------------------------------------

def _arrays(value: Any, keys: tuple = (), *, into_dicts: bool,
            seen: set | None = None) -> Iterator[tuple]:
    """(keys, array) for every array or float inside ``value``; dicts only if ``into_dicts``.

    Each object is visited once: the caches of a sequence share one parameters dict and each
    step's a_next is the next step's a_prev, so walking them again would only cost time.
    """
    seen = set() if seen is None else seen
    if id(value) in seen:
        return
    if isinstance(value, (np.ndarray, np.generic, float)):
        seen.add(id(value))
        yield keys, np.asarray(value)
    elif isinstance(value, Mapping):
        if into_dicts:
            seen.add(id(value))
            for key, item in value.items():
                yield from _arrays(item, keys + (key,), into_dicts=into_dicts, seen=seen)
    elif isinstance(value, (list, tuple)):
        seen.add(id(value))
        for i, item in enumerate(value):
            yield from _arrays(item, keys + (i,), into_dicts=into_dicts, seen=seen)


def _array_list(value: Any, *, into_dicts: bool) -> list:
    """The arrays :func:`_arrays` yields, in its order, without their keys: for the checks that
    need a key only to word a failure (and then walk again with :func:`_arrays`)."""
    found: list = []
    seen: set = set()
    stack = [value]
    pop, push, push_all, visit = stack.pop, found.append, stack.extend, seen.add
    while stack:  # depth first, each container's items in order: _arrays's order
        value = pop()
        if id(value) in seen:
            continue
        kind = type(value)
        if kind is np.ndarray:
            visit(id(value))
            push(value)
        elif kind is tuple or kind is list:
            visit(id(value))
            push_all(reversed(value))
        elif kind is dict:
            if into_dicts:
                visit(id(value))
                push_all(reversed(value.values()))
        elif isinstance(value, (np.ndarray, np.generic, float)):
            visit(id(value))
            push(np.asarray(value))
        elif isinstance(value, Mapping):
            if into_dicts:
                visit(id(value))
                push_all(reversed([item for _, item in value.items()]))
        elif isinstance(value, (list, tuple)):
            visit(id(value))
            push_all(reversed(list(value)))
    return found


def _all_finite(arrays: list) -> bool:
    """Whether every floating or complex entry of ``arrays`` is finite, in one vectorized pass."""
    numeric = [a.ravel() for a in arrays if a.dtype.kind in "fc" and a.size]
    return not numeric or bool(np.isfinite(np.concatenate(numeric)).all())


# What the checks of the call being checked computed from its inputs, function and convention,
# once for them all: (call, its inputs, function, convention, {what: value}), replaced as a
# whole when another call is checked.
_last_call: list = [(None, None, None, None, {})]


def _memo(call: Call) -> dict:
    """The place to keep what is computed from ``call``'s inputs, function and convention,
    shared by the checks of that call."""
    last = _last_call[0]
    if (last[0] is call and last[1] is call.inputs and last[2] is call.function
            and last[3] is call.convention):
        return last[4]
    memo: dict = {}
    _last_call[0] = (call, call.inputs, call.function, call.convention, memo)
    return memo


def _input_arrays(call: Call) -> list:
    """Every array among ``call``'s inputs, parameters included, each once."""
    memo = _memo(call)
    arrays = memo.get("arrays")
    if arrays is None:
        arrays = memo["arrays"] = _array_list(call.inputs, into_dicts=True)
    return arrays


def _input_float_dtypes(call: Call) -> tuple:
    """The distinct floating dtypes among the input arrays."""
    memo = _memo(call)
    dtypes = memo.get("float_dtypes")
    if dtypes is None:
        dtypes = memo["float_dtypes"] = tuple(dict.fromkeys(
            a.dtype for a in _input_arrays(call) if a.dtype.kind == "f"))
    return dtypes


def _largest_input(call: Call) -> float:
    """The largest |entry| of any numeric input array (0 if none; not finite if some entry is
    not): asked only before a check reports, since it walks every input entry."""
    memo = _memo(call)
    largest = memo.get("largest")
    if largest is None:
        numeric = [a.ravel() for a in _input_arrays(call) if a.dtype.kind in "fiuc" and a.size]
        largest = memo["largest"] = (float(np.abs(np.concatenate(numeric)).max()) if numeric
                                     else 0.0)
    return largest


def _sizes(call: Call) -> dict:
    """``shapes.sizes`` of the call, computed once for all its checks (not to be modified)."""
    memo = _memo(call)
    known = memo.get("sizes")
    if known is None:
        known = memo["sizes"] = shapes.sizes(call.function, call.inputs, call.convention)
    return known


@functools.cache
def _finfo(dtype: np.dtype):
    """``np.finfo(dtype)``, looked up once per dtype."""
    return np.finfo(dtype)


@functools.cache
def _promoted(dtypes: tuple) -> np.dtype:
    return np.result_type(*dtypes)


@functools.cache
def _can_cast(source: np.dtype, target: np.dtype) -> bool:
    return bool(np.can_cast(source, target, "safe"))


def _subscripts(keys: tuple) -> str:
    return "".join(f"[{k!r}]" for k in keys)


def _name(root: str, keys: tuple, call_or_convention) -> str:
    """``caches[0][2][1] (step 2's a_next)``: the path, and what the documented structure puts
    there (named after the convention, given itself or as the call's)."""
    convention = getattr(call_or_convention, "convention", call_or_convention)
    order = convention.cell_cache if convention is not None else ()
    positions = [i for i in range(len(order))]
    label = None
    if root == "cache" and keys and keys[0] in positions:
        label = order[keys[0]] + _subscripts(keys[1:])
    elif root == "caches" and keys[:1] == (1,):
        label = "x" + _subscripts(keys[1:])
    elif root == "caches" and len(keys) >= 3 and keys[0] == 0 and keys[2] in positions:
        label = f"step {keys[1]}'s {order[keys[2]]}" + _subscripts(keys[3:])
    return f"{root}{_subscripts(keys)} ({label})" if label else f"{root}{_subscripts(keys)}"


def changed_between_calls(first: Mapping, second: Mapping, convention=None) -> str | None:
    """Where the outputs (by name) of a second identical call first differ from the first's.

    For the "deterministic" check: ``dWax at index (0, 0): 2.0 vs 1.0 (second call vs first)``.
    """
    found = difference(second, first, strict=True)
    if found is None:
        return None
    where = _name(str(found.keys[0]), found.keys[1:], convention) + " " if found.keys else ""
    return f"{where}{found.phrase()} (second call vs first)"


# --- the contracts -------------------------------------------------------------------------------

def _documented_outputs(call: Call) -> Iterator[tuple]:
    """(name, value) of the documented outputs that must be arrays: all but the caches, and none of
    the extra keys a gradient dict may carry (EQUATIONS.md: an extra key is a note)."""
    documented = shapes.OUTPUT_SHAPES.get(call.function, {"y": ()})
    for name, value in call.outputs.items():
        if name in documented:
            yield name, value


def extra_gradient_keys(call: Call) -> list:
    """The keys of a gradient dict beyond the documented ones: a note for the report, not a
    failure (EQUATIONS.md), unless one differs from a documented name only by case."""
    if call.function not in ("rnn_cell_backward", "rnn_backward"):
        return []
    return [k for k in call.outputs if k not in shapes.OUTPUT_SHAPES[call.function]]


def check_gradient_keys(call: Call) -> str | None:
    expected = tuple(shapes.OUTPUT_SHAPES[call.function])
    got = list(call.outputs)
    missing = [k for k in expected if k not in call.outputs]
    folded = {k.lower(): k for k in expected}
    clashing = [k for k in extra_gradient_keys(call)
                if isinstance(k, str) and k.lower() in folded]
    if not missing and not clashing:
        return None  # other extra keys are allowed: a note, not a failure
    parts = ([f"missing {', '.join(map(repr, missing))}"] if missing else []) + (
        [f"{', '.join(map(repr, clashing))} differ{'s' if len(clashing) == 1 else ''} from "
         f"{', '.join(repr(folded[k.lower()]) for k in clashing)} only by case (a caller could "
         f"read either spelling)"] if clashing else [])
    return (f"the returned dict's keys are {', '.join(map(repr, got)) or 'none'}: "
            f"{'; '.join(parts)}; expected {', '.join(expected)} (other extra keys are allowed)")


def _shape_of(value: Any) -> tuple | None:
    """``np.shape(value)``, or None for a ragged nesting (an error; before NumPy 1.24 a warning)."""
    if type(value) is np.ndarray:
        return value.shape  # what np.shape gives, without the warnings machinery
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            return np.shape(value)
        except (ValueError, Warning):
            return None


def check_arrays(call: Call) -> str | None:
    for name, value in _documented_outputs(call):
        if not isinstance(value, np.ndarray):
            shape = ""
            if isinstance(value, (list, tuple)):
                found = _shape_of(value)
                shape = (f" (np.shape gives {found})" if found is not None
                         else f" of {len(value)} entries")
            return f"{name} is a {type(value).__name__}{shape}, expected a numpy.ndarray"
    return None


def check_shape(call: Call) -> str | None:
    if call.function == "softmax":
        y, shape = call.outputs.get("y"), _shape_of(call.inputs.get("x"))
        if isinstance(y, np.ndarray) and shape is not None and y.shape != shape:
            return f"y has shape {y.shape}, expected the shape of the input x, {shape}"
        return None
    known = _sizes(call)
    for name, symbols in shapes.OUTPUT_SHAPES[call.function].items():
        value = call.outputs.get(name)
        expected = shapes.expected_shape(symbols, known)
        if expected is None or not isinstance(value, np.ndarray) or value.shape == expected:
            continue
        return (f"{name} has shape {value.shape}, expected {shapes.symbolic(symbols)} = {expected}"
                f" ({_sizes_text(known, symbols)})")
    return None


def _sizes_text(known: Mapping, symbols: tuple) -> str:
    return ", ".join(f"{s} = {known[s]}" for s in dict.fromkeys(symbols) if isinstance(s, str))


# The input each gradient is taken with respect to (its primal), by gradient name.
PRIMALS = {"dxt": "xt", "dx": "x", "da_prev": "a_prev", "da0": "a0",
           "dWax": "Wax", "dWaa": "Waa", "dba": "ba"}


def _primal(call: Call, gradient: str) -> Any:
    """The array ``gradient`` is taken with respect to, found in the inputs (None if not found):
    a cell's xt and a_prev in its cache, the sequence's x in caches[1], a0 as step 0's a_prev,
    the weights in a cache's parameters."""
    name = PRIMALS.get(gradient)
    order = call.convention.cell_cache if call.convention is not None else ()
    try:
        if call.function == "rnn_cell_backward":
            cache = call.inputs["cache"]
        elif call.function == "rnn_backward":
            if name == "x":
                return call.inputs["caches"][1]
            cache = call.inputs["caches"][0][0]
        else:
            return None
        if name in ("Wax", "Waa", "ba"):
            return cache[order.index("parameters")][name]
        return cache[order.index("a_prev" if name == "a0" else name)]
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def check_dtype(call: Call) -> str | None:
    """EQUATIONS.md, Dtypes: every output at least as precise as NumPy's promotion of the floating
    inputs, except that a gradient may have its primal's dtype when that is floating (as in torch
    and JAX); a gradient is real-valued even when its primal is an integer array."""
    floats = _input_float_dtypes(call)
    promoted = _promoted(floats) if floats else None
    for name, value in _documented_outputs(call):
        if not isinstance(value, np.ndarray):
            continue
        primal = _primal(call, name) if name in PRIMALS else None
        primal_dtype = primal.dtype if isinstance(primal, np.ndarray) else None
        if value.dtype.kind != "f":
            hint = ""
            if primal_dtype is not None and primal_dtype.kind in "iub":
                hint = (f": a gradient is real-valued even where its primal {PRIMALS[name]} is "
                        f"{primal_dtype} (np.zeros_like({PRIMALS[name]}) takes its dtype; give "
                        f"it dtype=float)")
            return f"{name} has dtype {value.dtype}, expected a floating dtype{hint}"
        required = promoted
        if primal_dtype is not None and primal_dtype.kind == "f":
            required = primal_dtype
        if required is not None and not _can_cast(required, value.dtype):
            like = (f"its primal {PRIMALS[name]}" if required is primal_dtype
                    else "the inputs")
            return (f"{name} has dtype {value.dtype}, expected {required} like {like} "
                    f"(an output must be at least as precise as the inputs; a gradient as its "
                    f"primal)")
    return None


def check_no_mutation(call: Call) -> str | None:
    if call.handed is call.inputs:  # the worker found the arguments' bytes as they were sent
        return None
    seen: dict = {}
    for name, before in call.inputs.items():
        found = difference(call.handed.get(name), before, strict=True, seen=seen)
        if found is None:
            continue
        where = _name(name, found.keys, call)
        return f"{where} was modified by the call {found.phrase(change=True)}"
    return None


def _log1p_exp(x: float) -> float:
    """log(1 + e^x) without overflow."""
    return x + math.log1p(math.exp(-x)) if x > 0 else math.log1p(math.exp(x))


def log_magnitude_bound(function: str, largest: float, size: int, steps: int) -> float:
    """log of a bound on every intermediate the equations form from inputs of magnitude ≤ B.

    B = max(1, ``largest`` |input entry|), N = ``size``, the largest of n_x, n_a, n_y, m, T_x.
    The forward pass: z sums at most 3N products of two inputs, tanh is bounded by 1, the logits
    sum N + 1 terms: ≤ 3·N·B². One backward step: |1 − a²| ≤ 2B², |dz| ≤ 2B³, each gradient sums
    at most N products of an input and dz: ≤ 2·N·B⁴. Through T_x steps the carried gradient grows
    by a factor of at most (1 + 2·N·B³) per step, so rnn_backward stays below
    2·T_x·N·B⁴·(1 + 2·N·B³)^T_x. softmax with finite logits needs no bound: shifted by the column
    maximum, every exponential is ≤ 1 and the largest is 1.
    """
    b, n = math.log(max(1.0, largest)), math.log(max(1, size))
    if function == "softmax":
        return -math.inf
    if function in ("rnn_cell_forward", "rnn_forward"):
        return math.log(3) + n + 2 * b
    if function == "rnn_cell_backward":
        return math.log(2) + n + 4 * b
    return (math.log(2 * max(1, steps)) + n + 4 * b
            + max(1, steps) * _log1p_exp(math.log(2) + n + 3 * b))


def check_finite(call: Call) -> str | None:
    # One walk over all outputs (the cache's a_next is also returned), not into parameters;
    # only to name a value that is not finite, a second one that keeps the keys.
    if _all_finite(_array_list(list(call.outputs.values()), into_dicts=False)):
        return None
    largest = _largest_input(call)
    if not math.isfinite(largest):
        return None
    least = min(_input_float_dtypes(call), key=lambda d: _finfo(d).max,
                default=np.dtype(np.float64))
    known = _sizes(call)
    size = max([1] + [v for v in known.values() if isinstance(v, int)])
    bound = log_magnitude_bound(call.function, largest, size, known.get("T_x", size))
    if math.log(2) + bound >= math.log(float(_finfo(least).max)):
        return None  # inputs this large may overflow legitimately (factor 2 for rounding)
    seen: set = set()
    found = [(name, keys, array) for name, value in call.outputs.items()
             for keys, array in _arrays(value, into_dicts=False, seen=seen)]
    for name, keys, array in found:
        if array.dtype.kind not in "fc" or np.isfinite(array).all():
            continue
        index = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
        at = f" at index {_index(index)}" if index else ""
        return (f"{_name(name, keys, call)} is {_number(array[index])}{at}, expected "
                f"finite values since every input is finite (largest magnitude "
                f"{largest:.3g})")
    return None


def _largest_logit(call: Call) -> float:
    """A bound on |logit| from the inputs alone: x itself for softmax; Σ_j |Wya_ij| + |by_i| for
    the forward functions, since every |a| ≤ 1."""
    if call.function == "softmax":
        x = call.inputs.get("x")
        return float(np.max(np.abs(x))) if isinstance(x, np.ndarray) and x.size else 0.0
    p = call.inputs.get("parameters")
    try:
        return float(np.max(np.sum(np.abs(p["Wya"]), axis=1) + np.abs(p["by"]).ravel()))
    except (TypeError, KeyError, ValueError, IndexError):
        return 0.0


def softmax_tolerance(n_y: int, eps: float, largest_logit: float = 0.0) -> float:
    """How far a correct softmax column's computed sum may lie from 1:
    ``2·n_y·eps + 2·eps·largest_logit``.

    The second term is for a softmax computed as exp(x − logsumexp(x)) (scipy's way, backward
    stable): logsumexp is rounded relative to its own size, about |x|, and that absolute error in
    the exponent is a relative error of every output, hence of the sum.

    With unit roundoff u = eps/2 (Higham, Accuracy and Stability, §3.1): the implementation sums
    n_y computed exponentials (relative error γ_{n_y−1} ≈ (n_y − 1)·u), divides each by that sum
    (u, or 2u when it multiplies by a rounded reciprocal), and this check sums the n_y quotients
    again (another γ_{n_y−1}). The exponentials' own rounding cancels: the same values are summed
    and divided. First order: (2(n_y − 1) + 2)·u = n_y·eps. The factor 2 on top covers the
    second-order terms and a different summation order. ``eps`` is that of the least precise
    floating dtype among the inputs and the output, since computing at the inputs' precision is
    allowed. The batch-axis bug puts a column sum off by a factor, far beyond this bound.
    """
    return 2.0 * n_y * eps + 2.0 * eps * largest_logit


def check_softmax_simplex(call: Call) -> str | None:
    name = SOFTMAX_OUTPUTS[call.function]
    y = call.outputs.get(name)
    if not isinstance(y, np.ndarray) or y.dtype.kind != "f" or y.ndim == 0 or y.size == 0:
        return None
    eps = max(float(_finfo(d).eps) for d in _input_float_dtypes(call) + (y.dtype,))
    tolerance = softmax_tolerance(y.shape[0], eps, _largest_logit(call))
    inside = (y >= 0) & (y <= 1 + tolerance)
    sums = np.sum(y, axis=0, dtype=np.float64)
    bad = ~(np.abs(sums - 1.0) <= tolerance)
    if (inside.all() and not bad.any()) or not math.isfinite(_largest_input(call)):
        return None  # on inputs that are not all finite, no column need be on the simplex
    if not inside.all():
        index = tuple(int(i) for i in np.argwhere(~inside)[0])
        return f"{name}[{', '.join(map(str, index))}] is {_number(y[index])}, outside [0, 1]"
    index = tuple(int(i) for i in np.argwhere(np.atleast_1d(bad))[0]) if y.ndim > 1 else ()
    column = f"{name}[:{''.join(f', {i}' for i in index)}]"
    hint = ""
    if y.ndim > 1 and np.all(np.abs(np.sum(y, axis=1, dtype=np.float64) - 1.0) <= tolerance):
        hint = "; its rows sum to 1: normalised over axis 1 (the batch), not axis 0 (the classes)"
    return (f"column {column} sums to {_number(sums[index])}, expected 1 within {tolerance:.3g}"
            f" (2·n_y·eps + 2·eps·max|logit|, n_y = {y.shape[0]}, eps = {eps:.3g}){hint}")


def _cell_cache_problem(call: Call, cache: Any, root: str, keys: tuple, expected: Mapping,
                        known: Mapping, explain=None, seen: dict | None = None) -> str | None:
    """What is wrong with one cell cache, or None.

    ``expected`` maps entry names to (reference value, its name), compared by shape and value
    (the name may be a function that words it, called only for a message); the other array
    entries are checked for their shape only. ``explain(entry, value)`` may return
    a hint on where a wrong value came from; ``seen`` is passed on to :func:`difference`.
    """
    order = call.convention.cell_cache
    if not isinstance(cache, tuple) or len(cache) != len(order):
        got = type(cache).__name__ + (f" of length {len(cache)}"
                                      if isinstance(cache, (tuple, list)) else "")
        return (f"{root}{_subscripts(keys)}: expected the tuple ({', '.join(order)}) "
                f"[{call.convention.name} convention], got a {got}")
    for position, entry in enumerate(order):
        if entry in expected:
            reference, reference_name = expected[entry]
            found = difference(cache[position], reference, strict=False, seen=seen)
            if found is None:
                continue
            if callable(reference_name):
                reference_name = reference_name()
            hint = explain(entry, cache[position]) if explain else ""
            if not hint and (found.aspect.startswith("index") or found.aspect == "shape"):
                holders = [j for j, other in enumerate(cache) if j != position
                           and difference(other, reference, strict=False) is None]
                if holders:
                    hint = (f"; {root}{_subscripts(keys)}[{holders[0]}] holds it: "
                            f"the {call.convention.name} convention orders a cell cache as "
                            f"({', '.join(order)})")
            where = _name(root, keys + (position,) + found.keys, call)
            return (f"{where} differs from {reference_name}{_subscripts(found.keys)} "
                    f"{found.phrase()}{hint}")
        symbols = shapes.CELL_CACHE_SHAPES.get(entry)
        shape = shapes.expected_shape(symbols, known) if symbols else None
        found_shape = _shape_of(cache[position]) if shape is not None else None
        if shape is not None and found_shape != shape:
            return (f"{_name(root, keys + (position,), call)} has shape {found_shape}, expected "
                    f"{shapes.symbolic(symbols)} = {shape}")
    return None


def check_cell_cache(call: Call) -> str | None:
    expected = {"a_prev": (call.inputs.get("a_prev"), "the input a_prev"),
                "xt": (call.inputs.get("xt"), "the input xt"),
                "parameters": (call.inputs.get("parameters"), "the input parameters")}
    if "a_next" in call.convention.cell_forward_returns:  # course: the a_next it returned
        expected["a_next"] = (call.outputs.get("a_next"), "the returned a_next")
    known = _sizes(call)
    return _cell_cache_problem(call, call.outputs.get("cache"), "cache", (), expected, known)


def _count(cells: Any) -> str:
    """``a list of 16 entries (flattened? ...)``: what came instead of T_x cell caches."""
    if not isinstance(cells, (list, tuple)):
        return f"a {type(cells).__name__}"
    n = len(cells)
    text = f"a {type(cells).__name__} of {n} {'entry' if n == 1 else 'entries'}"
    if n == 1:
        return text + " (only one step's cache kept?)"
    if any(isinstance(c, np.ndarray) for c in cells):
        return text + " (flattened? each entry must be one step's whole cell cache)"
    return text + (" (kept from earlier calls too? a mutable default argument or a module-level "
                   "list grows at every call)")


def check_sequence_caches(call: Call) -> str | None:
    caches, x = call.outputs.get("caches"), call.inputs.get("x")
    known = _sizes(call)
    if not isinstance(caches, tuple) or len(caches) != 2:
        got = type(caches).__name__ + (f" of length {len(caches)}"
                                       if isinstance(caches, (tuple, list)) else "")
        return f"caches: expected the tuple (list of T_x cell caches, x), got a {got}"
    cells, cached_x = caches
    found = difference(cached_x, x, strict=False)
    if found:
        return f"caches[1] (x) differs from the input x {found.phrase()}"
    if "T_x" not in known:
        return None
    steps = known["T_x"]
    if not isinstance(cells, (list, tuple)) or len(cells) != steps:
        return f"caches[0]: expected a list of T_x = {steps} cell caches, got {_count(cells)}"
    a = call.outputs.get("a")
    states_usable = isinstance(a, np.ndarray) and a.ndim == 3 and a.shape[-1] == steps

    def explain(entry: str, value: Any) -> str:
        """For a step's wrong a_next: the step whose state it holds (one buffer for all steps);
        for a later step's a_prev that is a0: no recurrence."""
        if entry == "a_prev" and difference(value, call.inputs.get("a0"), strict=False) is None:
            return ("; it holds a0: is the cell called with a0 at every step instead of the "
                    "previous step's a_next?")
        if entry != "a_next" or not states_usable:
            return ""
        for s in reversed(range(steps)):
            if difference(value, a[:, :, s], strict=False) is None:
                return (f"; it holds a[:, :, {s}], step {s}'s state: is one array written in "
                        "place at every step and cached by reference?")
        return ""

    previous = (call.inputs.get("a0"), "the input a0")
    a_next_at = call.convention.cell_cache.index("a_next")
    seen: dict = {}  # every step's cache holds the same parameters dict: compare it once
    for t, cell in enumerate(cells):
        expected = {"xt": (x[:, :, t], f"x[:, :, {t}]"), "a_prev": previous,
                    "parameters": (call.inputs.get("parameters"), "the input parameters")}
        if states_usable:
            expected["a_next"] = (a[:, :, t], f"a[:, :, {t}]")
        problem = _cell_cache_problem(call, cell, "caches", (0, t), expected, known, explain,
                                      seen)
        if problem:
            return problem
        previous = (cell[a_next_at], functools.partial(_name, "caches", (0, t, a_next_at), call))
    return None


CONTRACTS: tuple[Contract, ...] = (
    Contract("gradient_keys", "The backward functions return a dict with every documented key: "
             "dxt, da_prev, dWax, dWaa, dba (cell); dx, da0, dWax, dWaa, dba (sequence); no extra "
             "key differs from one only by case.",
             ("rnn_cell_backward", "rnn_backward"), check_gradient_keys),
    Contract("arrays", "Every returned value other than the caches (y, a_next, yt_pred, a, y_pred, "
             "each gradient) is a numpy.ndarray.", ALL, check_arrays),
    Contract("shape", "Every output has the shape its inputs determine: y like x, a (n_a, m, T_x), "
             "y_pred (n_y, m, T_x), each gradient the shape of its variable, dba (n_a, 1).",
             ALL, check_shape),
    Contract("dtype", "Every output has a floating dtype at least as precise as the inputs, or a "
             "gradient as its primal: float64 inputs give float64 outputs.", ALL, check_dtype),
    Contract("no_mutation", "No function modifies its arguments: x, a0, parameters, da, caches, "
             "da_next and cache hold the same values after the call.", ALL, check_no_mutation),
    Contract("finite", "Finite inputs (too small to overflow) give finite outputs: no NaN or inf "
             "in any returned array or cached state.", ALL, check_finite),
    Contract("softmax_simplex", "Softmax outputs lie in [0, 1] and each column (axis 0) sums to 1 "
             "within rounding (2·n_y·eps).", tuple(SOFTMAX_OUTPUTS), check_softmax_simplex),
    Contract("cell_cache", "rnn_cell_forward's cache is the 4-tuple in the convention's order "
             "holding the inputs a_prev, xt, parameters and an a_next of shape (n_a, m) (in the "
             "course convention, the a_next returned).",
             ("rnn_cell_forward",), check_cell_cache),
    Contract("sequence_caches", "rnn_forward's caches is (list of T_x cell caches, x): step t "
             "holds x[:, :, t], a_prev = step t−1's a_next (a0 at step 0), a_next = a[:, :, t].",
             ("rnn_forward",), check_sequence_caches),
)


def by_id(contract_id: str) -> Contract:
    """The contract called ``contract_id``; KeyError names the known ids otherwise."""
    for contract in CONTRACTS:
        if contract.id == contract_id:
            return contract
    raise KeyError(f"no contract {contract_id!r}; known: {', '.join(c.id for c in CONTRACTS)}")

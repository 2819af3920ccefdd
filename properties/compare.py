"""Compare an implementation's array with the expected one, and say precisely how they differ.

The message teaches, as numpy.testing's does: which output, the first bad index, expected and actual
values, the error as a multiple of its derived tolerance, how many entries are off, and, when a
known wrong formula reproduces the actual value, the likely cause.
"""

from __future__ import annotations

from typing import Callable, Mapping, Optional

import numpy as np
from rnnspec.properties.tolerance import C, tolerance


class Mismatch(AssertionError):
    """An output disagrees with what it must equal; ``ratio`` is error / tolerance at the worst."""

    def __init__(self, message: str, ratio: float = float("inf"), cause: str = ""):
        super().__init__(message + (f"\n  likely cause: {cause}" if cause else ""))
        self.ratio, self.cause = ratio, cause


def _index(flat: int, shape) -> tuple:
    return tuple(int(i) for i in np.unravel_index(flat, shape)) if shape else ()


def _number(value) -> str:
    value = complex(value)
    return f"{value.real:.17g}" if value.imag == 0 else f"{value:.17g}"


def _as_array(what: str, value) -> np.ndarray:
    if not isinstance(value, np.ndarray):
        raise Mismatch(f"{what}: expected a NumPy array, got {type(value).__name__}")
    return value


def assert_close(what: str, actual, expected, M, *,
                 settle: Optional[Callable[[], np.ndarray]] = None,
                 fingerprints: Optional[Callable[[], Mapping[str, np.ndarray]]] = None,
                 against: str = "the oracle", dtype=np.float64) -> None:
    """Require ``|actual − expected| ≤ tolerance(M, dtype)`` entry by entry, ``dtype`` the least
    precise one the output may be computed at (``Case.precision``).

    ``settle`` returns the exact value (arbitrary precision); it is consulted only when the float
    comparison fails, and the implementation passes if it is within the same tolerance of the exact
    value: the float oracle's own rounding is then what was off. ``fingerprints`` returns arrays
    that known wrong formulas would give; the first one the actual value matches names the likely
    cause.
    """
    actual = _as_array(what, actual)
    expected = np.asarray(expected)
    if actual.shape != expected.shape:
        raise Mismatch(f"{what}: shape {actual.shape}, but should be {expected.shape}")
    allowed = np.broadcast_to(tolerance(M, dtype), expected.shape)
    error = np.abs(actual.astype(np.complex128 if np.iscomplexobj(actual) else np.float64)
                   - expected)
    bad = ~(error <= allowed)
    if not bad.any():
        return
    # The float oracle's own error is at most half the tolerance (C counts both sides), so only an
    # error within twice the tolerance could be the oracle's fault: only then ask for the exact
    # value, which is slow.
    if settle is not None and np.all(error[bad] <= 2.0 * allowed[bad]):
        exact = np.asarray(settle())
        if not (~(np.abs(actual - exact) <= allowed)).any():
            return
        expected, error = exact, np.abs(actual - exact)
        bad = ~(error <= allowed)
        against = "the exact (arbitrary-precision) value"
    ratio = np.where(np.isnan(error), np.inf, error / allowed)
    first = _index(int(np.flatnonzero(bad)[0]), expected.shape)
    worst = _index(int(np.argmax(ratio)), expected.shape)
    lines = [f"{what} differs from {against}",
             f"  at index {first}: expected {_number(expected[first])}, "
             f"got {_number(actual[first])}; "
             f"error {error[first]:.3g} = {ratio[first]:.3g} × tolerance "
             f"({C:g}·eps·M = {allowed[first]:.3g}"
             + (f", eps of {np.dtype(dtype)}" if np.dtype(dtype) != np.float64 else "") + ")",
             f"  {int(bad.sum())} of {bad.size} entries differ; worst at {worst}, "
             f"{ratio[worst]:.3g} × tolerance"]
    cause = _likely_cause(actual, fingerprints, allowed) if fingerprints else ""
    if fingerprints and not cause:
        lines.append("  no known cause: no fingerprinted bug gives these values within the "
                     "tolerance")
    raise Mismatch("\n".join(lines), float(ratio[worst]), cause)


def _likely_cause(actual: np.ndarray, fingerprints, allowed) -> str:
    return likely_cause(actual, fingerprints(), allowed)


def likely_cause(actual, fingerprints: Mapping[str, np.ndarray], allowed) -> str:
    """The first known wrong formula that reproduces ``actual``, NaN for NaN, within ``allowed``."""
    if not isinstance(actual, np.ndarray):
        return ""
    for cause, candidate in fingerprints.items():
        candidate = np.asarray(candidate)
        if candidate.shape != actual.shape:
            continue
        with np.errstate(invalid="ignore"):
            same_special = np.array_equal(np.isnan(actual), np.isnan(candidate)) and \
                np.array_equal(np.isinf(actual), np.isinf(candidate))
            finite = np.isfinite(candidate)
            close = np.abs(actual[finite] - candidate[finite]) <= np.broadcast_to(
                allowed, candidate.shape)[finite]
        if same_special and np.all(close):
            return cause
    return ""


def assert_scalar_close(what: str, actual: float, expected: float, allowed: float,
                        against: str) -> None:
    """The same for one number, e.g. a directional derivative ⟨g, v⟩."""
    error = abs(actual - expected)
    if not error <= allowed:
        ratio = error / allowed if allowed > 0 else float("inf")
        raise Mismatch(f"{what} differs from {against}: expected {_number(expected)}, got "
                       f"{_number(actual)}; "
                       f"error {error:.3g} = {ratio:.3g} × tolerance ({allowed:.3g})", ratio)

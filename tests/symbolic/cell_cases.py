"""Inputs, a loader and a comparison for the LSTM and GRU corpora.

A variant must equal the reference on a few chosen inputs: no raise, the same structure and
shapes, values within rounding, inputs untouched. (Whether each mutant is caught is the engine's
to say: tests/test_verdicts.py judges every cell's mutants, call-order bugs included, which no
single call shows.) Corpus files are trusted here and loaded in-process.
"""

from __future__ import annotations

import ast
import copy
import importlib.util
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
HELPERS = ("__init__.py", "reference.py", "variant.py")
# (n_x, n_a, n_y, m, T_x), seed, weight scale: the course's sizes (a hard-coded n_a = 5 passes
# only there), one example and one step, non-square, and saturated gates (pre-activations > 709).
CASES = (
    ((3, 5, 2, 10, 7), 1, 1.0),
    ((2, 3, 4, 1, 1), 2, 1.0),
    ((2, 3, 2, 4, 3), 3, 1.0),
    ((1, 2, 3, 3, 4), 4, 1.0),
    ((2, 3, 2, 2, 2), 5, 600.0),
)
# Direct inputs of the helpers: logits of columns ~1000 apart, and σ far in both tails.
LOGITS = np.array([[0.0, -1000.0, 3.0], [1.0, -1001.0, -2.0], [-0.5, -999.0, 0.0]])
SIGMOID_INPUTS = np.array([[-800.0, -30.0, -1.0, 0.0], [0.5, 20.0, 745.0, 800.0]])
RTOL, ATOL = 1e-9, 1e-12


def corpus(cell: str, folder: str) -> list[Path]:
    return sorted(p for p in (ROOT / "impl" / cell / folder).glob("*.py") if p.name not in HELPERS)


def load(path: Path):
    """Import a corpus file (or a reference) in-process, its own folder first on the path."""
    folder = str(path.parent)
    sys.path.insert(0, folder)
    sys.modules.pop("variant", None)  # each folder has its own helper pair
    try:
        spec = importlib.util.spec_from_file_location(f"cells_{path.parent.name}_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(folder)
        sys.modules.pop("variant", None)


def bug_class(path: Path) -> str:
    """The docstring line "Bug class: …" of a corpus file (read, not imported)."""
    doc = ast.get_docstring(ast.parse(path.read_text("utf-8"))) or ""
    lines = [line for line in doc.splitlines() if line.startswith("Bug class:")]
    return lines[0][len("Bug class:"):].strip() if lines else ""


def problem(cell: str, shape: tuple, seed: int, scale: float) -> dict:
    """Seeded standard-normal inputs; ``scale`` multiplies the gate weights."""
    n_x, n_a, n_y, m, steps = shape
    rng = np.random.default_rng(seed)
    gates = ("f", "i", "c", "o") if cell == "lstm" else ("z", "r", "h")
    p = {}
    for g in gates:
        p[f"W{g}"] = scale * rng.standard_normal((n_a, n_a + n_x))
        p[f"b{g}"] = rng.standard_normal((n_a, 1))
    p["Wy"], p["by"] = rng.standard_normal((n_y, n_a)), rng.standard_normal((n_y, 1))
    return {
        "x": rng.standard_normal((n_x, m, steps)),
        "a0": rng.standard_normal((n_a, m)),
        "c_prev": rng.standard_normal((n_a, m)),
        "da": rng.standard_normal((n_a, m, steps)),
        "dc_next": rng.standard_normal((n_a, m)),
        "p": p,
    }


def _calls(cell: str, q: dict) -> list:
    """(label, function name, argument builder) of one case; builders may use earlier results."""
    x, a0, p = q["x"], q["a0"], q["p"]
    xt, da_next = x[:, :, 0], q["da"][:, :, 0]
    if cell == "lstm":
        return [
            ("lstm_cell_forward", lambda r: (xt, a0, q["c_prev"], p)),
            ("lstm_forward", lambda r: (x, a0, p)),
            ("lstm_cell_backward", lambda r: (da_next, q["dc_next"], r["lstm_cell_forward"][3])),
            ("lstm_backward", lambda r: (q["da"], r["lstm_forward"][3])),
        ]
    return [
        ("gru_cell_forward", lambda r: (xt, a0, p)),
        ("gru_forward", lambda r: (x, a0, p)),
        ("gru_cell_backward", lambda r: (da_next, r["gru_cell_forward"][2])),
        ("gru_backward", lambda r: (q["da"], r["gru_forward"][2])),
    ]


def _difference(label: str, got, expected) -> str | None:
    """Where ``got`` differs from ``expected`` in structure, shape or value (None if nowhere)."""
    if isinstance(expected, dict):
        if not isinstance(got, dict) or set(got) != set(expected):
            keys = sorted(got) if isinstance(got, dict) else type(got).__name__
            return f"{label}: keys {keys}, expected {sorted(expected)}"
        for key in expected:
            found = _difference(f"{label}[{key!r}]", got[key], expected[key])
            if found:
                return found
        return None
    if isinstance(expected, (tuple, list)):
        if type(got) is not type(expected) or len(got) != len(expected):
            size = len(got) if hasattr(got, "__len__") else "?"
            return f"{label}: {type(got).__name__} of {size}, expected {type(expected).__name__} " \
                   f"of {len(expected)}"
        for k, (g, e) in enumerate(zip(got, expected)):
            found = _difference(f"{label}[{k}]", g, e)
            if found:
                return found
        return None
    got, expected = np.asarray(got), np.asarray(expected)
    if got.shape != expected.shape:
        return f"{label}: shape {got.shape}, expected {expected.shape}"
    if got.dtype != expected.dtype:
        return f"{label}: dtype {got.dtype}, expected {expected.dtype}"
    if not np.allclose(got, expected, rtol=RTOL, atol=ATOL, equal_nan=False):
        error = np.nanmax(np.abs(got - expected)) if np.isfinite(got).all() else "NaN/inf"
        return f"{label}: values differ (max error {error})"
    return None


def _call(function, arguments: tuple, label: str):
    before = copy.deepcopy(arguments)
    with np.errstate(all="ignore"):  # a NaN is judged by the comparison, not by a warning
        result = function(*arguments)
    if _difference("inputs", arguments, before):
        raise AssertionError(f"{label} modified its inputs")
    return result


def first_difference(cell: str, module, reference) -> str | None:
    """The first way ``module`` differs from ``reference`` on the chosen inputs (None if none)."""
    for name, arguments in (("softmax", (LOGITS,)), ("sigmoid", (SIGMOID_INPUTS,))):
        try:
            got = _call(getattr(module, name), copy.deepcopy(arguments), name)
        except Exception as error:  # noqa: BLE001 (any failure of the submission counts)
            return f"{name} raised {type(error).__name__}: {error}"
        found = _difference(name, got, getattr(reference, name)(*arguments))
        if found:
            return found
    for shape, seed, scale in CASES:
        q = problem(cell, shape, seed, scale)
        ours, theirs = {}, {}
        where = f"shape={shape}, seed={seed}, scale={scale}"
        for name, build in _calls(cell, q):
            expected = getattr(reference, name)(*build(theirs))
            theirs[name] = expected
            try:
                got = _call(getattr(module, name), build(ours), name)
            except Exception as error:  # noqa: BLE001
                return f"{name} raised {type(error).__name__}: {error} ({where})"
            ours[name] = got
            problem_text = _difference(name, got, expected)
            if problem_text:
                return f"{problem_text} ({where})"
    return None

"""The meta-tests every cell shares; ``test_lstm.py`` and ``test_gru.py`` run them for their cell.

They read as the specification of the new cells' groundwork: the audit proves every documented
formula and the through-time rule, and names a formula that is changed; the oracle's gradients are
the complex-step derivatives of its own forward and SymPy's derivatives; the reference equals the
oracle; every variant equals the reference and every mutant differs from it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from cell_cases import ROOT, corpus, first_difference, load, problem
from rnnspec.symbolic.cell_oracle import CellOracle

ORACLE_SIZES = ((2, 3, 2, 1, 1), (1, 2, 3, 3, 3), (3, 1, 1, 2, 2), (3, 5, 2, 4, 4))
COMPLEX_STEP_RTOL = 1e-13


def relative_error(got, expected) -> float:
    scale = max(np.max(np.abs(expected)), 1e-300)
    return float(np.max(np.abs(np.asarray(got) - expected)) / scale)


def state_of(cell, q) -> dict:
    return {k: (q["a0"] if k == "a_prev" else q["c_prev"]) for k in cell.RECURRENCE}


def upstream_of(cell, q) -> dict:
    return {k: (q["da"][:, :, 0] if k == "da_next" else q["dc_next"]) for k in cell.UPSTREAM}


def check_oracle_against_complex_step(cell, shape, seed):
    oracle, q = CellOracle(cell), problem(cell.NAME, shape, seed, 1.0)
    xt, state, upstream = q["x"][:, :, 0], state_of(cell, q), upstream_of(cell, q)
    by_formula = oracle.cell_backward(upstream, xt, state, q["p"])
    by_step = oracle.cell_complex_step_gradient(upstream, xt, state, q["p"])
    for name, expected in by_step.items():
        assert relative_error(by_formula[name], expected) < COMPLEX_STEP_RTOL, name
    by_rule = oracle.backward(q["da"], q["x"], q["a0"], q["p"])
    for name, expected in oracle.complex_step_gradient(q["da"], q["x"], q["a0"], q["p"]).items():
        assert relative_error(by_rule[name], expected) < COMPLEX_STEP_RTOL, name


def check_oracle_against_sympy(cell, sizes, seed=0):
    """The oracle's cell gradients equal SymPy's derivatives evaluated at the same point."""
    import sympy as sp
    from rnnspec.symbolic import cell_proof

    setup = cell_proof.derive_cell(cell, sizes)
    values, upstream = setup["values"], setup["upstream"]
    rng = np.random.default_rng(seed)
    leaves = {**{k: values[k] for k in cell.LEAVES}, **upstream}
    point = {s: float(rng.standard_normal()) for m in leaves.values() for s in m}
    numeric = {k: np.array(m.xreplace(point), dtype=float) for k, m in leaves.items()}
    state = {k: numeric[k] for k in cell.RECURRENCE}
    got = CellOracle(cell).cell_backward({k: numeric[k] for k in cell.UPSTREAM}, numeric["xt"],
                                         state, numeric)
    for leaf in cell.LEAVES:
        derived = setup["derived"][leaf].xreplace(point).rewrite(sp.exp).evalf(30)
        expected = np.array(derived, dtype=float)
        assert relative_error(got["d" + leaf], expected) < 1e-13, leaf


def check_reference_against_oracle(cell, reference, shape, seed):
    oracle, q = CellOracle(cell), problem(cell.NAME, shape, seed, 1.0)
    x, a0, p = q["x"], q["a0"], q["p"]
    xt, state, upstream = x[:, :, 0], state_of(cell, q), upstream_of(cell, q)
    expected_cell = oracle.cell_forward(xt, state, p)
    cell_out = getattr(reference, f"{cell.NAME}_cell_forward")(xt, *state.values(), p)
    returned = dict(zip(cell.RETURNS[f"{cell.NAME}_cell_forward"], cell_out))
    cache = dict(zip(cell.CACHE, returned["cache"]))
    assert len(returned["cache"]) == len(cell.CACHE)
    for name in [*returned, *cache]:
        if name in expected_cell:
            value = returned.get(name, cache.get(name))
            np.testing.assert_allclose(value, expected_cell[name], rtol=1e-12, atol=1e-15)
    expected_sequence = oracle.forward(x, a0, p)
    sequence_out = getattr(reference, f"{cell.NAME}_forward")(x, a0, p)
    for name, value in zip(cell.RETURNS[f"{cell.NAME}_forward"], sequence_out):
        if name != "caches":
            np.testing.assert_allclose(value, expected_sequence[name], rtol=1e-12, atol=1e-15)
    backward = getattr(reference, f"{cell.NAME}_cell_backward")(*upstream.values(),
                                                                returned["cache"])
    expected = oracle.cell_backward(upstream, xt, state, p)
    assert sorted(backward) == sorted(cell.GRADIENTS[f"{cell.NAME}_cell_backward"])
    for name, value in backward.items():
        np.testing.assert_allclose(value, expected[name], rtol=1e-11, atol=1e-14, err_msg=name)
    gradients = getattr(reference, f"{cell.NAME}_backward")(q["da"], sequence_out[-1])
    expected = oracle.backward(q["da"], x, a0, p)
    assert sorted(gradients) == sorted(cell.GRADIENTS[f"{cell.NAME}_backward"])
    for name, value in gradients.items():
        np.testing.assert_allclose(value, expected[name], rtol=1e-11, atol=1e-14, err_msg=name)


def reference_of(cell):
    return load(ROOT / "impl" / cell.NAME / "reference.py")


def check_variant(cell, path: Path):
    assert first_difference(cell.NAME, load(path), reference_of(cell)) is None


def check_corpus_files(cell):
    reference = (ROOT / "impl" / cell.NAME / "reference.py").read_text("utf-8")
    for folder in ("mutants", "variants"):
        copy = ROOT / "impl" / cell.NAME / folder / "reference.py"
        assert copy.read_text("utf-8") == reference, f"{copy} is not a copy of the reference"
    from cell_cases import bug_class

    for path in corpus(cell.NAME, "mutants"):
        text = path.read_text("utf-8")
        assert bug_class(path), f"{path.name}: no 'Bug class:' line"
        assert "Visible when:" in text and "BROKEN = " in text, path.name
    for path in corpus(cell.NAME, "variants"):
        assert "Differs from the reference in:" in path.read_text("utf-8"), path.name


def check_description(cell):
    """The description's data agree with each other and with the reference."""
    assert set(cell.BUILT_ON) == set(cell.FUNCTIONS) == set(cell.ARGUMENTS) == set(cell.RETURNS)
    position = {name: k for k, name in enumerate(cell.FUNCTIONS)}
    for name, bases in cell.BUILT_ON.items():
        assert all(position[b] < position[name] for b in bases), name
    reference = reference_of(cell)
    for name in cell.FUNCTIONS:
        assert callable(getattr(reference, name))
    assert {f.wrt for f in cell.DOCUMENTED} >= set(cell.LEAVES)
    summed = set(cell.THROUGH_TIME["summed"])
    assert summed == {f"d{p}" for p in cell.PARAMETERS if p not in ("Wy", "by")}
    assert summed < set(cell.GRADIENTS[f"{cell.NAME}_backward"])

"""The LSTM half's groundwork (LSTM.md): proofs, oracles, reference and corpus."""

from __future__ import annotations

import pytest
from cell_cases import corpus
from cell_checks import (
    ORACLE_SIZES,
    check_corpus_files,
    check_description,
    check_oracle_against_complex_step,
    check_oracle_against_sympy,
    check_reference_against_oracle,
    check_variant,
    reference_of,
)
from rnnspec.symbolic import cell_audit, cell_proof, lstm

CELL = lstm
SIZES = {"n_x": 1, "n_a": 2, "m": 2}


def _with(formula_name, function):
    return tuple(f._replace(formula=function) if f.name == formula_name else f
                 for f in CELL.DOCUMENTED)


@pytest.fixture(scope="module")
def audit():
    return cell_audit.run(cells=(CELL,))


def test_the_audit_proves_every_documented_lstm_formula_and_the_through_time_rule(audit):
    assert audit.ok, "\n".join(f"{v.subject}: {v.text}" for v in audit.failures)
    subjects = {v.subject for v in audit.verdicts}
    for formula in CELL.DOCUMENTED:
        assert f"lstm {formula.number} {formula.name}" in subjects
    steps = {v.subject.split(" at ")[0] for v in audit.verdicts if "through time" in v.subject}
    assert steps == {f"lstm through time, T_x = {t}" for t in (1, 2, 3)}


@pytest.mark.parametrize(("name", "wrong"), [
    ("dot", lambda v, o: o.mul(v.da_next, v.tau)),  # σ' left out
    ("dcct", lambda v, o: o.mul(v.dc_next, v.it, v.cct, o.one_minus(o.mul(v.cct, v.cct)))),
    ("da_prev", lambda v, o: v.Wf[:, :v.n_a] @ v.dft + v.Wi[:, :v.n_a] @ v.dit
     + v.Wc[:, :v.n_a] @ v.dcct + v.Wo[:, :v.n_a] @ v.dot),  # transposes missing
    ("dbo", lambda v, o: o.sum_batch(v.dcct)),  # dbo taking dbc
])
def test_a_changed_formula_is_named_and_only_it(monkeypatch, name, wrong):
    monkeypatch.setattr(CELL, "DOCUMENTED", _with(name, wrong))
    failed = [v.subject for v in cell_proof.check_cell_formulas(CELL, SIZES) if not v.ok]
    number = next(f.number for f in CELL.DOCUMENTED if f.name == name)
    assert failed == [f"lstm {number} {name}"]
    assert not cell_proof.check_through_time(CELL, 2, {"n_x": 1, "n_a": 2, "m": 1}).ok


def test_a_rule_without_the_dc_carry_is_not_proven(monkeypatch):
    rule = {**CELL.THROUGH_TIME, "carries": {"da_next": "da_prev", "dc_next": "dc"}}  # ft left out
    monkeypatch.setattr(CELL, "THROUGH_TIME", rule)
    verdict = cell_proof.check_through_time(CELL, 2, {"n_x": 1, "n_a": 2, "m": 1})
    assert not verdict.ok and "differs from the derivative of the unrolled loss" in verdict.text


def test_the_sympy_diff_of_the_unrolled_loss_agrees_at_one_step():
    assert cell_proof.check_through_time_by_diff(CELL, 1, {"n_x": 1, "n_a": 2, "m": 1}).ok


@pytest.mark.parametrize("seed", range(len(ORACLE_SIZES)))
def test_oracle_gradients_are_complex_step_derivatives_of_its_forward(seed):
    check_oracle_against_complex_step(CELL, ORACLE_SIZES[seed], seed)


def test_oracle_gradients_equal_the_sympy_derivatives():
    check_oracle_against_sympy(CELL, SIZES)


@pytest.mark.parametrize("seed", range(len(ORACLE_SIZES)))
def test_the_reference_equals_the_oracle(seed):
    check_reference_against_oracle(CELL, reference_of(CELL), ORACLE_SIZES[seed], seed + 10)


def test_the_corpus_files_are_well_formed():
    check_corpus_files(CELL)
    assert len(corpus("lstm", "mutants")) >= 25 and len(corpus("lstm", "variants")) >= 5


def test_the_description_is_consistent():
    check_description(CELL)


@pytest.mark.parametrize("path", corpus("lstm", "variants"), ids=lambda p: p.stem)
def test_every_variant_equals_the_reference(path):
    check_variant(CELL, path)


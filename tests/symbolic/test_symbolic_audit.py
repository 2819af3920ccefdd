"""The audit proves what EQUATIONS.md documents, and refuses what it does not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import sympy as sp
from rnnspec.symbolic import audit, documented, elementwise_proof, matrix_proof
from rnnspec.symbolic.equations import Waa, Wax, a_prev, da_next, dz, m, n_a, n_x, xt

from rnnspec import cli


@pytest.fixture(scope="module")
def correct_audit():
    return audit.run()


def test_the_audit_proves_all_six_cell_formulas_and_the_through_time_rule(correct_audit):
    failures = [f"{v.subject} ({v.method}): {v.text}" for v in correct_audit.failures]
    assert correct_audit.ok, "\n".join(failures)
    by_subject = {(v.subject, v.method): v for v in correct_audit.verdicts}
    for name, number in documented.EQUATION_NUMBER.items():
        assert by_subject[(f"{number} {name}", matrix_proof.METHOD)].text == "proven equal"
        assert by_subject[(f"{number} {name}", elementwise_proof.METHOD)].ok
    through_time = [v for v in correct_audit.verdicts if v.subject.startswith("through time")]
    assert {v.subject.split(" at ")[0] for v in through_time} == {
        f"through time, T_x = {t}" for t in (1, 2, 3)
    }
    assert all(v.ok for v in through_time)


def test_the_report_is_markdown_with_latex_and_every_verdict(correct_audit):
    report = audit.render(correct_audit)
    assert report.count("$$") >= 2 * 20
    for name, number in documented.EQUATION_NUMBER.items():
        assert f"### {number} {name}" in report
    assert "NOT PROVEN" not in report
    assert "every documented formula and the through-time rule is proven" in report


def test_the_command_line_exits_0_and_writes_the_report_when_all_is_proven(
    correct_audit, monkeypatch, tmp_path
):
    monkeypatch.setattr(audit, "run", lambda: correct_audit)  # the run itself is the fixture's
    output = tmp_path / "audit.md"
    assert cli.main(["audit", "--output", str(output)]) == 0
    assert output.read_text(encoding="utf-8").startswith(audit.render(correct_audit))


def test_a_wrong_derivative_in_formula_0_fails_the_audit_and_names_it(monkeypatch, tmp_path):
    wrong = sp.HadamardProduct(da_next, sp.OneMatrix(n_a, m) - sp.HadamardProduct(a_prev, a_prev))
    monkeypatch.setitem(documented.CELL_FORMULAS, "dz", wrong)
    output = tmp_path / "audit.md"
    assert cli.main(["audit", "--output", str(output)]) == 1
    report = output.read_text(encoding="utf-8")
    assert "verdict(s) not proven: (0) dz (matrix level, dimension-free, element-wise)" in report
    # The report says why, for each method: the residual (with a_prev) and a numeric witness.
    matrix_line, entries_line = [line for line in report.splitlines() if "**NOT PROVEN**" in line][
        :2
    ]
    assert matrix_line.startswith(f"- {matrix_proof.METHOD}")
    assert "does not reduce to the zero matrix" in matrix_line and "a_{prev}" in matrix_line
    assert entries_line.startswith(f"- {elementwise_proof.METHOD}")
    assert "at a random rational point it is" in entries_line
    # (1)-(5) use the derived dz, so only (0) and the rule built on it are blamed.
    summary = [line for line in report.splitlines() if line.startswith("| ") and "NOT" in line]
    assert all(row.startswith(("| (0) dz", "| through time")) for row in summary)


def test_a_missing_transpose_in_formula_5_is_caught_at_both_levels(monkeypatch):
    monkeypatch.setitem(documented.CELL_FORMULAS, "da_prev", Waa * dz)
    by_matrix = matrix_proof.prove_cell_formula("da_prev")
    by_entries = elementwise_proof.cross_check_cell_formula("da_prev")
    assert not by_matrix.ok and "(5) da_prev" == by_matrix.subject
    assert "W_{aa}^{T}" in by_matrix.text and "does not reduce" in by_matrix.text
    assert not by_entries.ok and "entry [" in by_entries.text


def test_a_transpose_that_breaks_the_shape_is_reported_as_a_shape_mismatch(monkeypatch):
    monkeypatch.setitem(documented.CELL_FORMULAS, "dxt", Wax * dz)
    by_matrix = matrix_proof.prove_cell_formula("dxt")
    by_entries = elementwise_proof.cross_check_cell_formula("dxt")
    assert not by_matrix.ok and "shape mismatch" in by_matrix.text
    assert not by_entries.ok and "cannot be formed" in by_entries.text


def test_a_wrong_weight_gradient_breaks_the_through_time_rule_too(monkeypatch):
    monkeypatch.setitem(documented.CELL_FORMULAS, "dWax", dz * xt.T * 2)
    verdict = elementwise_proof.check_through_time(2, {n_x: 1, n_a: 2, m: 1})
    assert not verdict.ok and "dWax[" in verdict.text


def test_a_cross_entropy_gradient_without_its_precondition_is_not_proven(monkeypatch):
    from rnnspec.symbolic.equations import y, yhat

    monkeypatch.setitem(documented.SOFTMAX_FORMULAS, "cross_entropy", yhat - 2 * y)
    assert not elementwise_proof.check_cross_entropy().ok


def test_importing_the_oracle_is_cheap_and_does_not_import_sympy():
    code = "import sys, symbolic.oracle; print('sympy' in sys.modules)"
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root
    )
    assert result.stdout.strip() == "False"

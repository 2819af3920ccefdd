"""``pytest --impl=...`` end to end, in a fresh process, as a student or a grader runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.corpus import ROOT


def pytest_run(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
                           "-p", "no:xdist", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600)


def test_the_seed_notebook_fails_and_the_output_names_both_defects(tmp_path):
    report = tmp_path / "verdict.json"
    run = pytest_run("--impl=impl/notebook.py", f"--report-json={report}")
    assert run.returncode == 1, run.stdout[-3000:]
    assert "rnnspec: checking impl/notebook.py" in run.stdout
    assert "conventions: rnn_cell_forward returns 2 values" in run.stdout
    assert "one maximum over the whole array is subtracted instead of one per column" in run.stdout
    assert "rnn_cell_backward uses Wax without taking it from parameters" in run.stdout
    assert "reproduce: rnnspec replay --impl=impl/notebook.py" in run.stdout
    verdict = json.loads(report.read_text())
    assert verdict["passed"] is False
    failing = {c["check"] for c in verdict["checks"] if c["status"] == "fail"}
    assert "softmax.stability" in failing and "rnn_cell_backward.oracle" in failing
    assert all(c["reproduce"] for c in verdict["checks"] if c["status"] == "fail")


def test_a_correct_course_convention_file_passes_with_impl_and_a_space():
    run = pytest_run("--impl", "impl/variants/course_convention.py")
    assert run.returncode == 0, run.stdout[-3000:]
    assert "course" in run.stdout and "PASS" in run.stdout


def test_the_reproduction_line_replays_the_failure_in_a_fresh_process():
    case = "n_x=1,n_a=1,n_y=1,m=1,T_x=1,seed=0,weights=1.0,inputs=1.0,logits=1.0,upstream=1.0"
    run = subprocess.run([sys.executable, "-m", "rnnspec", "replay",
                          "--impl=impl/mutants/no_tanh_derivative.py", "rnn_cell_backward.oracle",
                          case], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and "likely cause: the tanh derivative" in run.stdout


def test_an_implementation_that_does_not_load_is_one_line_and_exit_status_4(tmp_path):
    broken = tmp_path / "broken.py"
    broken.write_text("def rnn_forward(:\n")
    run = pytest_run(f"--impl={broken}")
    assert run.returncode == 4
    assert f"ERROR: rnnspec: {broken}: SyntaxError at line 1" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout


def test_a_folder_of_submissions_is_graded_each_in_its_own_process(tmp_path):
    folder = tmp_path / "submissions"
    folder.mkdir()
    (folder / "alice.py").write_text((ROOT / "impl/reference.py").read_text())
    (folder / "bob.py").write_text((ROOT / "impl/mutants/no_tanh_derivative.py").read_text())
    (folder / "carol.py").write_text("def softmax(x:\n")
    report = tmp_path / "grades.json"
    run = subprocess.run([sys.executable, "-m", "rnnspec", "grade", str(folder),
                          f"--report-json={report}"], cwd=ROOT, capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0 and "1 of 3 submissions pass" in run.stdout, run.stdout
    grades = {Path(v["submission"]).stem: v for v in json.loads(report.read_text())}
    assert grades["alice"]["passed"] and not grades["bob"]["passed"]
    assert "SyntaxError at line 1" in grades["carol"]["load_error"]

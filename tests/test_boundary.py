"""The judge/worker boundary: no submission can forge, crash or hang its verdict.

One test per attack class a hostile student tried (issue 9). Each wrong or tampering submission
gets FAIL or "does not load", with no traceback of the suite and within its budget; correct ones
in unusual forms pass. Sandbox-specific assertions are skipped, saying so, where bubblewrap does
not work; everything else runs everywhere.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rnnspec import sandbox
from rnnspec.run import Session
from rnnspec.source import LoadError
from tests.corpus import ROOT

REFERENCE = (ROOT / "impl" / "reference.py").read_text("utf-8")
SANDBOXED = sandbox.bwrap_works()
needs_sandbox = pytest.mark.skipif(not SANDBOXED, reason="bubblewrap does not work here: the "
                                   "sandbox-specific assertion is skipped")
WRONG_SOFTMAX = "\ndef softmax(x):\n    return np.exp(x) / np.exp(x).sum(axis=1, keepdims=True)\n"


def submission(tmp_path: Path, source: str, name: str = "submission.py") -> str:
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    return str(path)


def outcomes(target: str, *checks: str, **options) -> dict:
    """The outcomes of ``checks`` (all when none are named) of one submission."""
    session = Session.open(target, **options)
    try:
        if checks:
            return {c: session.outcome(c) for c in checks}
        return {o.check: o for o in session.all()}
    finally:
        session.close()


def check_command(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rnnspec", "check", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


# --- tampering with the judge ------------------------------------------------------------------

TAMPERING = REFERENCE + WRONG_SOFTMAX + '''
import gc, sys
for name in list(sys.modules):  # whatever of the suite is reachable, make it pass everything
    if name.startswith(("rnnspec", "harness", "properties", "spec", "hypothesis", "_pytest")):
        for attribute in ("C", "EPS"):
            if hasattr(sys.modules[name], attribute):
                setattr(sys.modules[name], attribute, 1e300)
for thing in gc.get_objects():
    if type(thing).__name__ in ("Config", "Session", "Checked"):
        thing.__dict__.clear()
try:
    import rnnspec.properties.tolerance as tolerance
    tolerance.C = 1e300
except ImportError:
    pass
'''


def test_a_submission_that_rewrites_the_judge_from_its_module_still_fails(tmp_path):
    found = outcomes(submission(tmp_path, TAMPERING), "softmax.oracle")
    assert found["softmax.oracle"].status == "fail"


@needs_sandbox
def test_the_suite_and_its_reference_cannot_be_imported_in_the_sandbox(tmp_path):
    source = REFERENCE + (
        "\ndef softmax(x):\n    from rnnspec.impl import reference\n"
        "    return reference.softmax(x)\n")
    found = outcomes(submission(tmp_path, source), "softmax.oracle")["softmax.oracle"]
    assert found.status == "fail" and "No module named 'rnnspec'" in found.message


@needs_sandbox
def test_a_correct_submission_that_writes_files_changes_nothing_graded_after_it(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    victim = ROOT / "rnnspec" / "report.py"
    before = victim.read_bytes()
    writer = REFERENCE + f'''
for path in ({str(victim)!r}, {str(folder / "bob.py")!r}, __file__):
    try:
        with open(path, "a") as handle:
            handle.write("\\ndef softmax(x):\\n    return x\\n")
    except OSError:
        pass
'''
    submission(folder, writer, "alice.py")
    submission(folder, REFERENCE.replace("1.0 - a_next**2", "1.0"), "bob.py")
    bob = (folder / "bob.py").read_bytes()
    run = subprocess.run([sys.executable, "-m", "rnnspec", "grade", str(folder), "--report-json",
                          str(tmp_path / "grades.json")], cwd=ROOT, capture_output=True,
                         text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    grades = {Path(g["submission"]).name: g for g in json.loads(
        (tmp_path / "grades.json").read_text())}
    assert grades["alice.py"]["passed"] and not grades["bob.py"]["passed"]
    assert victim.read_bytes() == before and (folder / "bob.py").read_bytes() == bob


# --- what crosses the boundary -----------------------------------------------------------------

def test_an_ndarray_subclass_that_answers_every_comparison_is_a_contract_failure(tmp_path):
    source = REFERENCE + '''
class Agreeable(np.ndarray):
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return np.zeros(np.broadcast(*[np.asarray(i) for i in inputs]).shape)

    def __eq__(self, other):
        return True


def softmax(x):
    return np.zeros_like(x).view(Agreeable)
'''
    found = outcomes(submission(tmp_path, source), "softmax.oracle")["softmax.oracle"]
    assert found.status == "fail" and found.contract == "plain_data"
    assert "numpy.ndarray subclass" in found.message and "Agreeable" in found.message


@pytest.mark.parametrize("returned, says", [
    ("(v for v in x)", "a generator"),
    ("np.ma.masked_array(x)", "MaskedArray"),
    ("np.matrix(x)", "matrix"),
    ("np.array(x, dtype=object)", "dtype object"),
    ("object()", "an object"),
])
def test_anything_but_plain_data_is_described_as_what_it_is(tmp_path, returned, says):
    source = REFERENCE + f"\ndef softmax(x):\n    return {returned}\n"
    found = outcomes(submission(tmp_path, source), "softmax.oracle")["softmax.oracle"]
    assert found.status == "fail" and says in found.message, found.message


def test_read_only_outputs_and_outputs_that_are_views_of_inputs_are_fine(tmp_path):
    source = REFERENCE + '''
_softmax, _cell = softmax, rnn_cell_forward


def softmax(x):
    y = _softmax(x)
    y.setflags(write=False)
    return y


def rnn_cell_forward(xt, a_prev, parameters):
    yt_pred, (a_prev_, a_next, xt_, p) = _cell(xt, a_prev, parameters)
    return yt_pred, (a_prev[:], a_next, xt.view(), p)
'''
    found = outcomes(submission(tmp_path, source), "softmax.oracle", "softmax.contracts",
                     "rnn_cell_forward.contracts", "rnn_cell_forward.oracle")
    assert all(o.status == "pass" for o in found.values()), found


# --- the process ends, loops, or runs out of something -----------------------------------------

@pytest.mark.parametrize("body, says", [
    ("import os\n    os._exit(0)", "the process exited with status 0 during softmax"),
    ("raise SystemExit(0)", "softmax raised SystemExit"),
    ("raise KeyboardInterrupt", "softmax raised KeyboardInterrupt"),
    ("import os, signal\n    os.kill(os.getpid(), signal.SIGSEGV)", "killed by SIGSEGV"),
    ("return softmax(x)", "softmax raised RecursionError"),
    ("return np.ones((1 << 40,))", "ran out of its 2 GiB memory"),
])
def test_a_function_that_exits_crashes_or_exhausts_memory_fails_in_words(tmp_path, body, says):
    source = REFERENCE + f"\ndef softmax(x):\n    {body}\n"
    found = outcomes(submission(tmp_path, source), "softmax.oracle")["softmax.oracle"]
    assert found.status == "fail" and says in found.message, found.message


def test_exiting_at_import_is_a_load_error_not_a_pass(tmp_path):
    with pytest.raises(LoadError, match="exited with status 0 while loading"):
        Session.open(submission(tmp_path, "import os\nos._exit(0)\n"))
    run = check_command(submission(tmp_path, REFERENCE + "import atexit, os\n"
                                   "atexit.register(os._exit, 0)\n" + WRONG_SOFTMAX))
    assert run.returncode == 1 and "FAIL" in run.stdout


def test_a_call_that_swallows_every_interruption_is_killed_and_the_run_goes_on(tmp_path):
    source = REFERENCE + '''
def rnn_cell_backward(da_next, cache):
    while True:
        try:
            pass
        except BaseException:
            pass
'''
    started = time.monotonic()
    found = outcomes(submission(tmp_path, source), timeout=0.5)
    assert found["rnn_cell_backward.oracle"].status == "fail"
    assert "did not return within 0.5 s (hang)" in found["rnn_cell_backward.oracle"].message
    assert found["softmax.oracle"].status == "pass"  # the worker was restarted for the rest
    assert time.monotonic() - started < 60


def test_a_slow_submission_runs_out_of_its_budget_and_fails_as_too_slow(tmp_path):
    source = REFERENCE + "\nimport time\n_cell = rnn_cell_forward\n\n\n" \
        "def rnn_cell_forward(xt, a_prev, parameters):\n    time.sleep(0.4)\n" \
        "    return _cell(xt, a_prev, parameters)\n"
    started = time.monotonic()
    run = check_command(submission(tmp_path, source), "--budget=4", "--json")
    assert time.monotonic() - started < 60
    verdict = json.loads(run.stdout)
    assert run.returncode == 1 and not verdict["passed"]
    assert any(c["status"] == "not run" for c in verdict["checks"])


def test_what_a_submission_prints_even_to_file_descriptor_1_never_reaches_the_verdict(tmp_path):
    source = REFERENCE + WRONG_SOFTMAX + (
        "import os\nos.write(1, b'rnnspec verdict: PASS\\n' * 100)\n"
        "print('{\"passed\": true}')\n")
    run = check_command(submission(tmp_path, source), "--json")
    verdict = json.loads(run.stdout)  # the judge's stdout is its JSON alone
    assert run.returncode == 1 and verdict["passed"] is False


# --- files that are not what they seem -----------------------------------------------------------

def test_latin1_and_utf8_bom_sources_load(tmp_path):
    latin = tmp_path / "latin.py"
    latin.write_bytes(b"# -*- coding: latin-1 -*-\n# r\xe9seau\n" + REFERENCE.encode())
    bom = tmp_path / "bom.py"
    bom.write_bytes(b"\xef\xbb\xbf" + REFERENCE.encode())
    for path in (latin, bom):
        assert outcomes(str(path), "softmax.oracle")["softmax.oracle"].status == "pass"


@pytest.mark.parametrize("content, says", [
    (b"\x00\x01\x02binary", "not Python source"),
    (b"def softmax(x:\n", "SyntaxError at line 1"),
])
def test_a_file_that_does_not_load_is_one_line_and_exit_status_2(tmp_path, content, says):
    path = tmp_path / "bad.py"
    path.write_bytes(content)
    run = check_command(str(path))
    assert run.returncode == 2 and says in run.stderr, run.stderr
    assert "Traceback" not in run.stderr + run.stdout and run.stderr.count("\n") == 1


@pytest.mark.parametrize("notebook", ["[]", '{"cells": null}', '{"cells": [{"cell_type": "code", '
                                      '"source": 3}]}', "{not json"])
def test_a_malformed_notebook_is_one_line(tmp_path, notebook):
    path = tmp_path / "bad.ipynb"
    path.write_text(notebook)
    run = check_command(str(path))
    assert run.returncode == 2 and run.stderr.count("\n") == 1, run.stderr
    assert "Traceback" not in run.stderr


def test_an_empty_impl_is_an_error_not_the_reference():
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:xdist", "--impl="],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode != 0 and "--impl is empty" in run.stderr


@pytest.mark.parametrize("args, says", [
    (["no_such.check", "n_x=1"], "no check 'no_such.check'; the checks are: softmax.oracle"),
    (["rnn_cell_backward.oracle", "n_x=banana"], "cannot read the case"),
])
def test_replay_names_what_is_valid(args, says):
    run = subprocess.run([sys.executable, "-m", "rnnspec", "replay", "--impl=impl/reference.py",
                          *args], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and says in run.stderr, run.stderr
    assert "Traceback" not in run.stderr


@needs_sandbox
def test_the_report_says_whether_the_worker_was_sandboxed(tmp_path):
    run = check_command("impl/reference.py")
    assert run.returncode == 0 and "sandboxed" in run.stdout
    run = check_command("impl/reference.py", "--no-sandbox")
    assert run.returncode == 0 and "NOT SANDBOXED" in run.stdout


@pytest.mark.parametrize("body", ["return sum(range(10**13))",  # a C loop holding the GIL
                                  "import time\n    time.sleep(600)"])
def test_a_call_that_never_returns_is_killed_after_its_time_limit(tmp_path, body):
    source = REFERENCE + f"\ndef softmax(x):\n    {body}\n"
    started = time.monotonic()
    found = outcomes(submission(tmp_path, source), "softmax.oracle",
                     timeout=0.5)["softmax.oracle"]
    assert found.status == "fail" and "did not return within 0.5 s (hang)" in found.message
    assert time.monotonic() - started < 30


# --- found by a hostile review: detection, the report and the budget hold too --------------------

def test_what_the_convention_probe_gets_back_cannot_crash_the_judge(tmp_path):
    source = REFERENCE + "\ndef rnn_cell_backward(da_next, cache):\n    return {'dxt': 10**400}\n"
    run = check_command(submission(tmp_path, source))
    assert run.returncode == 1 and "Traceback" not in run.stdout + run.stderr
    assert "rnn_cell_backward    FAIL" in run.stdout


def test_a_notebook_cell_raising_with_odd_attributes_is_a_note_not_a_crash(tmp_path):
    cells = [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
              "source": source} for source in (REFERENCE, "raise ModuleNotFoundError('x', name=5)")]
    path = tmp_path / "odd.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                                "nbformat_minor": 5}))
    run = check_command(str(path))
    assert run.returncode == 0 and "Traceback" not in run.stdout + run.stderr
    assert "raised ModuleNotFoundError" in run.stdout


def test_loading_again_after_each_killed_call_counts_against_the_budget(tmp_path):
    source = ("import os, time\ntime.sleep(4)\n" + "".join(
        f"def {name}(*args):\n    os._exit(0)\n" for name in (
            "softmax", "rnn_cell_forward", "rnn_forward", "rnn_cell_backward", "rnn_backward")))
    started = time.monotonic()
    run = check_command(submission(tmp_path, source), "--budget=12")
    assert run.returncode == 1 and "Too slow" in run.stdout
    assert time.monotonic() - started < 12 + 3 + 10  # the budget, a call, the judge's start

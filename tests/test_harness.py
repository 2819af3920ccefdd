"""Loading, sandboxing and conventions: whatever a submission does, the suite reports it calmly."""

from __future__ import annotations

import json

import pytest
from rnnspec.impl import reference

from rnnspec.convention import COURSE, SEED, detect
from rnnspec.load import LoadError, load
from rnnspec.run import Session

REFERENCE_SOURCE = (reference.__file__ and open(reference.__file__, encoding="utf-8").read())


@pytest.mark.parametrize("source, says", [
    ("def softmax(x:\n", "SyntaxError at line 1"),
    ("import a_module_that_does_not_exist\n", "ModuleNotFoundError at line 1"),
    ("x = 1\nraise RuntimeError('boom')\n", "RuntimeError at line 2: boom"),
    ("import sys\nsys.exit(3)\n", "SystemExit at line 2"),
])
def test_a_file_that_does_not_load_is_one_clear_line(tmp_path, source, says):
    path = tmp_path / "submission.py"
    path.write_text(source)
    with pytest.raises(LoadError) as error:
        load(str(path))
    assert says in str(error.value) and "\n" not in str(error.value)


def test_a_missing_file_and_a_hanging_import_are_one_line_too(tmp_path):
    with pytest.raises(LoadError, match="no such file"):
        load(str(tmp_path / "absent.py"))
    path = tmp_path / "spins.py"
    path.write_text("while True:\n    pass\n")
    with pytest.raises(LoadError, match="did not finish within 0.3 s"):
        load(str(path), timeout=0.3)


def test_each_load_gets_a_fresh_namespace(tmp_path):
    path = tmp_path / "counter.py"
    path.write_text("calls = []\ndef softmax(x):\n    calls.append(1)\n    return x\n")
    first, second = load(str(path)), load(str(path))
    first.softmax(1)
    assert first.calls == [1] and second.calls == []


def test_a_notebook_is_loaded_from_its_code_cells(tmp_path):
    cells = [{"cell_type": "markdown", "source": ["# My RNN"]},
             {"cell_type": "code", "source": ["%matplotlib inline\n", "!pip install numpy\n"]},
             {"cell_type": "code", "source": REFERENCE_SOURCE.splitlines(keepends=True)}]
    path = tmp_path / "submission.ipynb"
    path.write_text(json.dumps({"cells": cells, "nbformat": 4, "nbformat_minor": 5}))
    session = Session.open(str(path))
    assert all(o.status == "pass" for o in session.all())


def test_the_convention_is_detected_from_what_rnn_cell_forward_returns():
    assert detect(load("impl/reference.py"))[0] is SEED
    assert detect(load("impl/variants/course_convention.py"))[0] is COURSE


def test_a_module_missing_functions_reports_them_missing_and_runs_the_rest(tmp_path):
    path = tmp_path / "only_softmax.py"
    path.write_text(REFERENCE_SOURCE.split("def rnn_cell_forward")[0])
    session = Session.open(str(path))
    outcomes = {o.check: o for o in session.all()}
    assert outcomes["softmax.oracle"].status == "pass"
    assert outcomes["rnn_backward.oracle"].status == "missing"
    assert not session.present("rnn_forward") and session.present("softmax")


def test_a_hanging_implementation_is_reported_as_a_hang_not_waited_for():
    session = Session.open("impl/mutants/hangs_on_odd_batch.py", timeout=0.5)
    hung = [o for o in session.all() if o.status == "fail"]
    assert hung and "did not return within 0.5 s (hang)" in hung[0].message
    blocked = [o for o in session.all() if o.status == "blocked"]
    assert blocked and all(o.blocked_by == hung[0].check for o in blocked)


def test_an_exception_is_the_checks_failure_with_the_implementations_traceback():
    session = Session.open("impl/mutants/raises_on_single_example.py")
    failed = [o for o in session.all() if o.status == "fail"]
    assert failed and "ValueError" in failed[0].message
    assert "raises_on_single_example.py" in failed[0].traceback
    assert "rnnspec" not in failed[0].traceback


def test_import_time_changes_to_numpy_state_do_not_reach_the_suite(tmp_path):
    path = tmp_path / "strict.py"
    path.write_text(REFERENCE_SOURCE + "\nimport warnings\nnp.seterr(all='raise')\n"
                    "warnings.filterwarnings('error')\nprint('debug ' * 1000)\n")
    session = Session.open(str(path))
    assert all(o.status == "pass" for o in session.all())


def test_a_submission_that_patches_numpy_is_refused_and_numpy_restored(tmp_path):
    import numpy as np

    real_tanh = np.tanh
    path = tmp_path / "patches.py"
    path.write_text("import numpy as np\nnp.tanh = lambda z: z\n")
    with pytest.raises(LoadError, match="replaces numpy.tanh when loaded"):
        load(str(path))
    assert np.tanh is real_tanh

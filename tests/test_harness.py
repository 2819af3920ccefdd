"""Missing functions, hangs, exceptions, notebooks and conventions, reported calmly."""

from __future__ import annotations

import json
import re

from rnnspec.impl import reference
from rnnspec.spec.cells.rnn import COURSE, SEED

from rnnspec.run import Session

REFERENCE_SOURCE = (reference.__file__ and open(reference.__file__, encoding="utf-8").read())


def test_a_notebook_is_loaded_from_its_code_cells(tmp_path):
    cells = [{"cell_type": "markdown", "source": ["# My RNN"]},
             {"cell_type": "code", "source": ["%matplotlib inline\n", "!pip install numpy\n"]},
             {"cell_type": "code", "source": REFERENCE_SOURCE.splitlines(keepends=True)}]
    path = tmp_path / "submission.ipynb"
    path.write_text(json.dumps({"cells": cells, "nbformat": 4, "nbformat_minor": 5}))
    session = Session.open(str(path))
    assert all(o.status == "pass" for o in session.all())


def test_the_convention_is_detected_from_what_rnn_cell_forward_returns():
    assert Session.open("impl/reference.py").convention.forward is SEED
    assert Session.open("impl/variants/course_convention.py").convention.forward is COURSE


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
    frames = re.findall(r'File "([^"]+)"', failed[0].traceback)  # the suite's frames: none
    assert frames and all(f.endswith("raises_on_single_example.py") for f in frames), frames


def test_import_time_changes_to_numpy_state_do_not_reach_the_suite(tmp_path):
    path = tmp_path / "strict.py"
    path.write_text(REFERENCE_SOURCE + "\nimport warnings\nnp.seterr(all='raise')\n"
                    "warnings.filterwarnings('error')\nprint('debug ' * 1000)\n")
    session = Session.open(str(path))
    assert all(o.status == "pass" for o in session.all())

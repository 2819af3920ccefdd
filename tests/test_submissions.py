"""Real submissions as they arrive: notebooks as they are, helpers beside them, functions judged
each on its own, conventions per function, folders of submissions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from rnnspec import report
from rnnspec.run import Session
from tests.corpus import ROOT

REFERENCE = (ROOT / "impl" / "reference.py").read_text("utf-8")
COURSE = (ROOT / "impl" / "variants" / "course_convention.py").read_text("utf-8")
COURSE_SOFTMAX = ("import numpy as np\n\n\ndef softmax(x):\n    e_x = np.exp(x - np.max(x))\n"
                  "    return e_x / e_x.sum(axis=0)\n")
RNN_ONLY = REFERENCE.split("def softmax(x):")[0] + "def rnn_cell_forward(" + \
    REFERENCE.split("def rnn_cell_forward(")[1]
A0_AT_EVERY_STEP = RNN_ONLY.replace(
    "yt_pred, cache = rnn_cell_forward(x[:, :, t], a_prev, parameters)",
    "yt_pred, cache = rnn_cell_forward(x[:, :, t], a0, parameters)")


def notebook(folder: Path, *cells: str, name: str = "Building_an_RNN.ipynb") -> Path:
    """A notebook as Jupyter saves it, a markdown cell first."""
    content = [{"cell_type": "markdown", "metadata": {}, "source": ["# My RNN"]}] + [
        {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
         "source": cell.splitlines(keepends=True)} for cell in cells]
    path = folder / name
    path.write_text(json.dumps({"cells": content, "metadata": {}, "nbformat": 4,
                                "nbformat_minor": 5}))
    return path


def judged(target) -> tuple:
    session = Session.open(str(target))
    try:
        session.all()
        return report.as_json(session), report.table(session)
    finally:
        session.close()


def test_a_notebook_with_the_courses_broken_softmax_helper_beside_it(tmp_path):
    (tmp_path / "rnn_utils.py").write_text(COURSE_SOFTMAX)
    path = notebook(tmp_path, "import numpy as np\nfrom rnn_utils import *", RNN_ONLY)
    verdict, text = judged(path)
    functions = verdict["functions"]
    assert functions["softmax"]["status"] == "fail"
    assert functions["softmax"]["defined_in"] == "rnn_utils.py"
    for name in ("rnn_cell_forward", "rnn_forward", "rnn_cell_backward", "rnn_backward"):
        assert functions[name]["status"] == "pass", (name, text)
    assert functions["rnn_cell_forward"]["fails_only_through"] == ["softmax"]
    assert "rnn_cell_forward     correct on its own; fails only through your softmax" in text
    assert not verdict["passed"]


def test_a_forward_bug_behind_a_broken_softmax_is_reported_as_its_own(tmp_path):
    (tmp_path / "rnn_utils.py").write_text(COURSE_SOFTMAX)
    path = notebook(tmp_path, "import numpy as np\nfrom rnn_utils import *", A0_AT_EVERY_STEP)
    verdict, text = judged(path)
    assert verdict["functions"]["rnn_forward"]["status"] == "fail"
    assert verdict["functions"]["rnn_cell_forward"]["status"] == "pass"
    assert "- rnn_forward: rnn_forward." in text  # its own failure message, with reproduction
    assert "it holds a0: is the cell called with a0 at every step" in text
    failure = [c for c in verdict["checks"] if c["function"] == "rnn_forward"
               and c["status"] == "fail"][0]
    assert "--with-reference=softmax" in failure["reproduce"]


def test_bad_cells_are_named_and_skipped_and_the_rest_is_judged(tmp_path):
    path = notebook(tmp_path, "import numpy as np", "def softmax(x:\n    pass",
                    "print(undefined_name)", "import a_module_nobody_installed", REFERENCE)
    verdict, text = judged(path)
    assert verdict["passed"], text
    notes = " | ".join(verdict["notes"])
    assert "cell 3, line 1 raised SyntaxError" in notes
    assert "cell 4, line 1 raised NameError" in notes
    assert "imports a_module_nobody_installed, which is not installed" in notes


def test_every_ipython_construct_of_a_course_notebook_is_translated(tmp_path):
    path = notebook(tmp_path, "%matplotlib inline\n%load_ext autoreload\n%autoreload 2",
                    "!pip install numpy\nfiles = !ls\nimport numpy as np\nnp.tanh?",
                    "%%bash\necho hello", "%%time\nx = 1",
                    "from __future__ import annotations\n" + REFERENCE.replace(
                        "from __future__ import annotations\n", ""),
                    "def later():\n    %time later\n    return 1\nfrom __future__ import division")
    verdict, text = judged(path)
    assert verdict["passed"], text
    assert any("%%bash" in note for note in verdict["notes"])


@pytest.mark.parametrize("source", [REFERENCE, COURSE], ids=["seed", "course"])
def test_a_module_with_only_the_backward_functions_is_judged_in_its_own_convention(
        tmp_path, source):
    backward_only = source[:source.index("def softmax")] + "def rnn_cell_backward" + \
        source.split("def rnn_cell_backward")[1]
    path = tmp_path / "backward.py"
    path.write_text(backward_only)
    verdict, text = judged(path)
    functions = verdict["functions"]
    assert functions["rnn_cell_backward"]["status"] == "pass", text
    assert functions["rnn_backward"]["status"] == "pass", text
    assert functions["rnn_forward"]["status"] == "missing"


def test_grading_a_folder_grades_submissions_not_their_helpers(tmp_path):
    (tmp_path / "rnn_utils.py").write_text(COURSE_SOFTMAX)
    (tmp_path / "alice.py").write_text(REFERENCE)
    notebook(tmp_path, "from rnn_utils import *", RNN_ONLY, name="bob.ipynb")
    carol = tmp_path / "carol"
    carol.mkdir()
    (carol / "rnn_utils.py").write_text(REFERENCE)
    notebook(carol, "from rnn_utils import *")
    run = subprocess.run([sys.executable, "-m", "rnnspec", "grade", str(tmp_path),
                          "--unsandboxed", "--report-json", str(tmp_path / "grades.json")],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    graded = sorted(Path(g["submission"]).name for g in json.loads(
        (tmp_path / "grades.json").read_text()))
    assert graded == ["alice.py", "bob.ipynb", "carol"]
    assert "2 of 3 submissions pass" in run.stdout
    assert "bob.ipynb" in run.stdout and "FAIL: softmax" in run.stdout


LSTM = (ROOT / "impl" / "lstm" / "reference.py").read_text("utf-8")


def test_a_module_with_both_halves_gets_both_judged_in_one_verdict(tmp_path):
    (tmp_path / "lstm_half.py").write_text(LSTM)  # its helpers would collide with the RNN's
    path = tmp_path / "both.py"
    path.write_text(REFERENCE + "\nfrom lstm_half import (lstm_backward, lstm_cell_backward, "
                    "lstm_cell_forward, lstm_forward, sigmoid)\n")
    verdict, text = judged(path)
    assert verdict["passed"], text
    assert {"rnn_backward", "lstm_backward", "sigmoid"} <= set(verdict["functions"])
    assert verdict["absent"] == ["the GRU"]


def test_a_module_with_one_half_reports_the_other_absent_not_failed(tmp_path):
    path = tmp_path / "lstm_only.py"
    path.write_text(LSTM)
    verdict, text = judged(path)
    assert verdict["passed"], text
    assert "rnn_forward" not in verdict["functions"]
    assert "the vanilla RNN" in verdict["absent"]

"""In Jupyter: ``%load_ext rnnspec``, ``%rnnspec`` and ``rnnspec.check`` show the same verdict as
``rnnspec check``, as a table a person reads at a glance, judged from the notebook's source.

Two tiers: the verdict and the programs, in this process (an in-process IPython where a shell is
needed); then a real notebook executed by a real kernel through nbclient.
"""

from __future__ import annotations

import inspect
import json
import re
import subprocess
import sys
import types
import uuid

import pytest
from rnnspec.impl import reference

from rnnspec import jupyter, report
from rnnspec.run import Session
from rnnspec.source import Program
from tests.corpus import ROOT

REFERENCE = (ROOT / "impl" / "reference.py").read_text("utf-8")
# A notebook cell may start with ``from __future__``; a program of joined cells may not (yet).
CELL_SOURCE = REFERENCE.replace("from __future__ import annotations\n", "")
MISSING_TANH_DERIVATIVE = CELL_SOURCE.replace("dz = da_next * (1.0 - a_next**2)", "dz = da_next")
HOSTILE = "<img src=x onerror=alert(1)>"


def row(page: str, function: str) -> str:
    """The HTML table row of ``function``."""
    rows = [r for r in page.split("<tr>") if f">{function}</th>" in r]
    assert len(rows) == 1, f"no single row for {function}"
    return rows[0].split("</tr>")[0]


# --- the verdict, rendered --------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_verdict(tmp_path_factory):
    """A submission whose softmax raises an error whose message is HTML."""
    path = tmp_path_factory.mktemp("hostile") / "hostile.py"
    path.write_text(CELL_SOURCE + f"\n\ndef softmax(x):\n    raise ValueError({HOSTILE!r})\n")
    session = Session.open(str(path))
    session.all()
    return jupyter.Verdict(Program(path, path.parent, ()), session)


def test_the_html_has_a_row_per_function_with_a_cell_per_check(hostile_verdict):
    page = hostile_verdict._repr_html_()
    for function in hostile_verdict.session.expected():
        cells = row(page, function).count("<td")
        assert cells == 1 + len(jupyter._columns(hostile_verdict.session.all()))
    assert ">FAIL<" in row(page, "softmax")
    assert "<details" in page and "reproduce:" in page


def test_text_from_the_submission_is_escaped_in_the_html(hostile_verdict):
    page = hostile_verdict._repr_html_()
    assert HOSTILE in report.table(hostile_verdict.session)  # the message does carry it
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_the_plain_text_is_the_command_lines_table(hostile_verdict):
    text = report.table(hostile_verdict.session)
    assert repr(hostile_verdict) == text
    pretty = pytest.importorskip("IPython.lib.pretty").pretty

    assert pretty(hostile_verdict) == text
    assert hostile_verdict.passed is False
    assert hostile_verdict.as_json() == report.as_json(hostile_verdict.session)


def test_a_program_that_does_not_load_is_one_line_of_text_and_a_red_note():
    program = Program(ROOT / "mine.py", ROOT, (jupyter.Chunk("", "def f(:\n"),), False)
    verdict = jupyter.judge(program)
    assert verdict.passed is False
    assert repr(verdict).startswith("rnnspec: ") and "SyntaxError at line 1" in repr(verdict)
    assert "does not load" in verdict._repr_html_()


def test_a_notebook_cell_that_does_not_parse_is_named_and_skipped():
    program = Program(ROOT / "<notebook>", ROOT, (jupyter.Chunk("cell 1", "def f(:\n"),), True)
    verdict = jupyter.judge(program)
    assert verdict.passed is False
    assert "cell 1, line 1 raised SyntaxError" in repr(verdict)


# --- what is judged: source text only ---------------------------------------------------------


def test_importing_rnnspec_imports_neither_the_front_end_nor_ipython():
    code = ("import sys, rnnspec; rnnspec.load_ipython_extension; rnnspec.check; "
            "print(sorted(m for m in sys.modules if m.startswith(('IPython', 'rnnspec.'))))")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


@pytest.fixture
def shell():
    ip = pytest.importorskip("IPython.testing.globalipapp").get_ipython()
    ip.run_line_magic("reset", "-f")
    ip.history_manager.reset()
    yield ip
    ip.run_line_magic("reset", "-f")
    ip.history_manager.reset()


def test_the_notebook_program_is_its_executed_cells_without_rnnspecs_magics(shell):
    for cell in ("import numpy as np", "%load_ext rnnspec", "x = 2\n%precision 3\n!echo hi",
                 "%rnnspec --profile ci"):
        shell.run_cell(cell, store_history=True)
    program = jupyter.program_from_history(shell)
    assert program.cells is True and program.folder.samefile(".")
    assert [c.label for c in program.chunks] == ["cell 1", "cell 3"]
    third = program.chunks[1]
    assert third.source.splitlines() == ["x = 2", "None", "None"]  # as source.translate does


def test_the_magic_judges_source_not_the_kernels_objects(shell):
    """A function defined in the kernel by other means than a cell is not in the program."""
    shell.run_cell(MISSING_TANH_DERIVATIVE, store_history=True)
    shell.user_ns["rnn_cell_backward"] = reference.rnn_cell_backward  # fixed behind the judge
    shell.run_line_magic("load_ext", "rnnspec")
    verdict = shell.run_line_magic("rnnspec", "")
    assert verdict.passed is False
    assert ">FAIL<" in row(verdict._repr_html_(), "rnn_cell_backward")


def test_check_from_plain_code_rebuilds_the_source_of_the_namespace(tmp_path):
    module = types.ModuleType("student")
    module.__file__ = str(tmp_path / "student.py")
    source = CELL_SOURCE + ("\nsm = softmax\nsq = lambda v: v\ndata = np.zeros(3)\n"
                            "def uses_data():\n    return data\n")
    (tmp_path / "student.py").write_text(source)
    exec(compile(source, module.__file__, "exec"), vars(module))
    program = jupyter.program_from_namespace(module)
    labels = [c.label for c in program.chunks]
    assert labels[0] == "imports" and "function softmax" in labels and "function sm" not in labels
    header = program.chunks[0]
    assert "import numpy as np\n" in header.source
    assert "CELL_PARAMETERS = ('Wax', 'Waa', 'Wya', 'ba', 'by')\n" in header.source
    assert "sm = softmax\n" in program.chunks[labels.index("function softmax")].source
    assert header.note == "left out (no source): sq, data"  # a lambda, an array
    assert program.folder == tmp_path and program.cells is True
    verdict = jupyter.check(module, timeout=3)
    assert verdict.passed, repr(verdict)


def test_a_check_inside_the_program_being_judged_does_nothing(monkeypatch):
    monkeypatch.setenv(jupyter._JUDGING, "1")
    assert jupyter.check({}) is None


# --- for real: a notebook executed by a kernel ------------------------------------------------


@pytest.fixture(scope="session")
def kernel(tmp_path_factory):
    """A kernel spec for this very interpreter, in a folder of its own (a stale user ``python3``
    spec cannot win), with the checkout importable so that ``%load_ext rnnspec`` finds it."""
    pytest.importorskip("nbclient")
    prefix = tmp_path_factory.mktemp("jupyter")
    name = f"rnnspec-test-{uuid.uuid4().hex[:8]}"
    subprocess.run([sys.executable, "-m", "ipykernel", "install", "--prefix", str(prefix),
                    "--name", name], check=True, capture_output=True, timeout=120)
    spec_file = prefix / "share" / "jupyter" / "kernels" / name / "kernel.json"
    spec = json.loads(spec_file.read_text())
    spec["env"] = {"PYTHONPATH": str(ROOT)}
    spec_file.write_text(json.dumps(spec))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_PATH", str(prefix / "share" / "jupyter"))
        yield name


def test_a_notebook_shows_the_verdict_as_a_table_and_as_text(kernel, tmp_path):
    import nbformat
    from nbclient import NotebookClient

    fixed = inspect.getsource(reference.rnn_cell_backward)
    cells = ["import numpy as np", MISSING_TANH_DERIVATIVE, "%load_ext rnnspec", "%rnnspec",
             "%%rnnspec\n" + fixed, "import rnnspec\nrnnspec.check(globals())"]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(notebook, timeout=120, kernel_name=kernel,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    for cell in notebook.cells:
        assert not [o for o in cell.outputs if o.output_type == "error"], cell.outputs

    def verdict(cell):
        results = [o for o in cell.outputs if o.output_type == "execute_result"]
        assert len(results) == 1, cell.outputs
        assert {"text/html", "text/plain"} <= set(results[0].data)
        return results[0].data["text/html"], results[0].data["text/plain"]

    page, text = verdict(notebook.cells[3])
    assert ">FAIL<" in row(page, "rnn_cell_backward")
    assert "likely cause:</b> the tanh derivative (1 − a_next²) is missing" in page
    for function in ("softmax", "rnn_cell_forward", "rnn_forward"):
        assert re.findall(r">(pass|FAIL|blocked|missing|MISSING)<", row(page, function)) and \
            set(re.findall(r">(pass|FAIL|blocked|missing|MISSING)<", row(page, function))) == \
            {"pass"}, function
    assert ">FAIL<" not in row(page, "rnn_backward")  # blocked by the cell's failure, not failed
    assert text.startswith("rnnspec verdict for ") and ": FAIL" in text.splitlines()[0]
    assert re.search(r"rnn_cell_backward\.oracle +FAIL", text)

    for fixed_cell in (notebook.cells[4], notebook.cells[5]):  # %%rnnspec, then rnnspec.check
        page, text = verdict(fixed_cell)
        assert "rnnspec: PASS" in page and ">FAIL<" not in page
        assert ": PASS" in text.splitlines()[0]

"""Reading a submission: every file a student may hand in becomes a Program or one clear line.

Nothing here runs a submission: the dotted-module tests use packages that would leave a mark (or
raise) if anything imported them.
"""

from __future__ import annotations

import json
import sys
import tempfile
import traceback
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnnspec.source import Chunk, LoadError, Program, read, translate


def notebook(tmp_path: Path, *cells, name="nb.ipynb", **extra) -> Path:
    """A notebook file of ``cells``: a string is a code cell, ("markdown", text) any other kind."""
    def cell(c):
        kind, text = ("code", c) if isinstance(c, str) else c
        return {"cell_type": kind, "metadata": {}, "source": text.splitlines(keepends=True),
                **({"outputs": [], "execution_count": None} if kind == "code" else {})}
    path = tmp_path / name
    path.write_text(json.dumps({"cells": [cell(c) for c in cells], "metadata": {},
                                "nbformat": 4, "nbformat_minor": 5, **extra}))
    return path


def fails(target, *fragments):
    """``read(target)`` raises one LoadError of one line holding every fragment."""
    with pytest.raises(LoadError) as raised:
        read(str(target))
    message = str(raised.value)
    assert "\n" not in message, message
    for fragment in fragments:
        assert fragment in message, f"expected {fragment!r} in {message!r}"
    return message


# --- no target ----------------------------------------------------------------------------------

@pytest.mark.parametrize("target", ["", "   ", "\t\n"])
def test_an_empty_target_says_what_is_expected(target):
    fails(target, "no submission given", ".py or .ipynb", "dotted module name")


# --- .py files ----------------------------------------------------------------------------------

def test_a_py_file_is_one_unlabelled_chunk_beside_its_folder(tmp_path):
    path = tmp_path / "my_rnn.py"
    path.write_text("def softmax(x):\n    return x\n")
    program = read(str(path))
    assert program == Program(path, tmp_path, (Chunk("", "def softmax(x):\n    return x\n"),),
                              cells=False)


def test_a_relative_path_is_made_absolute(tmp_path, monkeypatch):
    (tmp_path / "my_rnn.py").write_text("x = 1\n")
    monkeypatch.chdir(tmp_path)
    program = read("my_rnn.py")
    assert program.path == tmp_path / "my_rnn.py" and program.folder == tmp_path


def test_a_coding_line_is_honoured(tmp_path):
    path = tmp_path / "latin.py"
    path.write_bytes("# -*- coding: latin-1 -*-\nname = 'café'\n".encode("latin-1"))
    assert read(str(path)).chunks[0].source == "# -*- coding: latin-1 -*-\nname = 'café'\n"


def test_a_utf8_bom_is_honoured_and_dropped(tmp_path):
    path = tmp_path / "bom.py"
    path.write_bytes(b"\xef\xbb\xbfname = '" + "café".encode() + b"'\n")
    assert read(str(path)).chunks[0].source == "name = 'café'\n"


def test_crlf_newlines_become_newlines(tmp_path):
    path = tmp_path / "dos.py"
    path.write_bytes(b"x = 1\r\ny = 2\r\n")
    assert read(str(path)).chunks[0].source == "x = 1\ny = 2\n"


def test_a_binary_file_is_not_python_source(tmp_path):
    path = tmp_path / "my_rnn.py"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    fails(path, str(path), "not Python source", "NUL byte")


def test_an_undecodable_file_is_not_python_source(tmp_path):
    path = tmp_path / "my_rnn.py"
    path.write_bytes(b"x = '\xff\xfe'\n")
    fails(path, str(path), "not Python source", "0xff", "utf-8")


def test_an_unknown_coding_is_named(tmp_path):
    path = tmp_path / "my_rnn.py"
    path.write_bytes(b"# coding: klingon\nx = 1\n")
    fails(path, str(path), "not Python source", "klingon")


@pytest.mark.parametrize("name", ["absent.py", "absent.ipynb", "sub/absent"])
def test_a_missing_file_is_no_such_file(tmp_path, name):
    fails(tmp_path / name, f"no such file: {tmp_path / name}")


def test_a_file_of_another_kind_is_refused(tmp_path):
    path = tmp_path / "my_rnn.txt"
    path.write_text("x = 1\n")
    fails(path, str(path), "expected a .py or .ipynb path", "a .txt file")


# --- folders ------------------------------------------------------------------------------------

HELPERS = "def softmax(x):\n    return x\n\ndef sigmoid(x):\n    return x\n"


def test_a_folder_with_one_notebook_and_its_helpers_is_the_notebook(tmp_path):
    (tmp_path / "rnn_utils.py").write_text(HELPERS)
    path = notebook(tmp_path, "import numpy as np")
    program = read(str(tmp_path))
    assert program.path == path and program.cells


def test_a_folder_with_one_defining_module_is_that_module(tmp_path):
    (tmp_path / "rnn_utils.py").write_text(HELPERS)
    (tmp_path / "mine.py").write_text("def rnn_cell_forward(xt, a_prev, parameters):\n    pass\n")
    program = read(str(tmp_path))
    assert program.path == tmp_path / "mine.py" and not program.cells


def test_a_folder_with_two_candidates_names_them(tmp_path):
    notebook(tmp_path, "x = 1", name="a.ipynb")
    (tmp_path / "b.py").write_text("def lstm_cell_forward(xt, a_prev, c_prev, p):\n    pass\n")
    fails(tmp_path, str(tmp_path), "1 notebook(s) and 1 .py", "a.ipynb, b.py", "name one")


def test_a_folder_with_nothing_to_check_says_so(tmp_path):
    (tmp_path / "rnn_utils.py").write_text(HELPERS)
    fails(tmp_path, str(tmp_path), "no .ipynb notebook and no .py defining")


# --- dotted module names ------------------------------------------------------------------------

@pytest.fixture
def package(tmp_path, monkeypatch):
    """subm/ whose __init__ and module would write a mark and raise if anything ran them."""
    mark = tmp_path / "ran"
    trap = f"open({str(mark)!r}, 'w').write('ran')\nraise SystemExit('executed')\n"
    (tmp_path / "subm").mkdir()
    (tmp_path / "subm" / "__init__.py").write_text(trap)
    (tmp_path / "subm" / "my_rnn.py").write_text(trap)
    (tmp_path / "subm" / "pkg").mkdir()
    (tmp_path / "subm" / "pkg" / "__init__.py").write_text(trap)
    (tmp_path / "nspace" / "inner").mkdir(parents=True)  # a namespace package: no __init__.py
    (tmp_path / "nspace" / "inner" / "mod.py").write_text(trap)
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    assert not mark.exists(), "reading a dotted module executed it"
    assert not any(name.split(".")[0] in ("subm", "nspace") for name in sys.modules)


def test_a_dotted_module_is_found_without_running_its_package(package):
    program = read("subm.my_rnn")
    assert program.path == package / "subm" / "my_rnn.py"
    assert program.folder == package  # where `import subm.my_rnn` would look
    assert program.chunks[0].source.startswith("open(") and not program.cells


def test_a_package_name_is_its_init(package):
    assert read("subm.pkg").path == package / "subm" / "pkg" / "__init__.py"


def test_an_existing_folder_wins_over_a_module_name(package):
    fails("subm", "subm: a folder with no .ipynb notebook")


def test_a_module_in_a_namespace_package_is_found(package):
    assert read("nspace.inner.mod").path == package / "nspace" / "inner" / "mod.py"


def test_an_unknown_module_is_one_line(package):
    fails("no_such_module_here.my_rnn", "no module named no_such_module_here", "current folder")
    fails("subm.absent", "no module named subm.absent", "package subm")
    fails("subm.my_rnn.deeper", "subm.my_rnn is a module, not a package")


def test_a_module_without_python_source_is_refused(package):
    fails("nspace.inner", "module nspace.inner is not Python source")


def test_a_name_that_is_neither_path_nor_module_says_so():
    fails("my-rnn", "my-rnn", "expected a .py or .ipynb path")


# --- notebooks ----------------------------------------------------------------------------------

def test_a_notebook_is_one_chunk_per_code_cell_numbered_among_all_cells(tmp_path):
    path = notebook(tmp_path, ("markdown", "# Title\n%not code"), "import numpy as np\nx = 1",
                    ("raw", "!raw"), ("markdown", "text"), "def f():\n    return 2\n")
    program = read(str(path))
    assert program == Program(path, tmp_path, (
        Chunk("cell 2", "import numpy as np\nx = 1\n"),
        Chunk("cell 5", "def f():\n    return 2\n")), cells=True)


def test_a_source_given_as_one_string_is_read(tmp_path):
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps({"cells": [{"cell_type": "code", "source": "x = 1\ny = 2"}]}))
    assert read(str(path)).chunks == (Chunk("cell 1", "x = 1\ny = 2\n"),)


MALFORMED = {
    "not JSON": (b'{"cells": [', "not JSON"),
    "not UTF-8": (b'{"cells": ["\xff"]}', "byte 0xff at offset 12 is not UTF-8"),
    "top level a list": (b'[{"cells": []}]', "the top level is a list, expected an object"),
    "top level a string": (b'"cells"', "the top level is a string"),
    "cells missing": (b'{"metadata": {}, "nbformat": 4}', 'no "cells" (keys: metadata, nbformat)'),
    "cells null": (b'{"cells": null}', '"cells" is null, expected a list'),
    "cells an object": (b'{"cells": {"0": {}}}', '"cells" is an object, expected a list'),
    "cell a string": (b'{"cells": [{"cell_type": "markdown", "source": ""}, "x = 1"]}',
                      "cell 2 is a string, expected an object"),
    "source missing": (b'{"cells": [{"cell_type": "code"}]}', 'code cell 1 has no "source"'),
    "source a number": (b'{"cells": [{"cell_type": "code", "source": 3}]}',
                        'the "source" of cell 1 is a number, expected a string or a list'),
    "source null": (b'{"cells": [{"cell_type": "code", "source": null}]}',
                    'the "source" of cell 1 is null'),
    "source list of non-strings": (b'{"cells": [{"cell_type": "code", "source": ["x", 1]}]}',
                                   'the "source" of cell 1 is a list whose item 2 is a number'),
    "worksheets not a list": (b'{"worksheets": {}}', '"worksheets" is an object, expected a list'),
    "worksheet without cells": (b'{"worksheets": [{}]}', "worksheet 1 is an object, expected"),
}


@pytest.mark.parametrize("name", MALFORMED)
def test_a_malformed_notebook_names_what_is_wrong(tmp_path, name):
    content, expected = MALFORMED[name]
    path = tmp_path / "nb.ipynb"
    path.write_bytes(content)
    fails(path, f"{path}: not a notebook: {expected}")


def test_an_nbformat_3_notebook_is_read(tmp_path):
    path = tmp_path / "old.ipynb"
    path.write_text(json.dumps({"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [
        {"cells": [{"cell_type": "heading", "level": 1, "source": ["RNN"]},
                   {"cell_type": "code", "language": "python", "input": ["x = 1\n", "%pylab"]}]},
        {"cells": [{"cell_type": "code", "language": "python", "input": "y = 2"}]}]}))
    assert read(str(path)) == Program(path, tmp_path, (
        Chunk("cell 2", "x = 1\nNone\n"), Chunk("cell 3", "y = 2\n")), cells=True)


# --- IPython syntax -----------------------------------------------------------------------------

TRANSLATED = {
    "line magic": ("%matplotlib inline\nx = 1", "None\nx = 1\n"),
    "load_ext and autoreload": ("%load_ext autoreload\n%autoreload 2\n", "None\nNone\n"),
    "magic in a block": ("if x:\n    %autoreload 2\n    y = 1", "if x:\n    None\n    y = 1\n"),
    "magic assigned": ("names = %who_ls", "names = None\n"),
    "shell escape": ("!pip install numpy\nx = 1", "None\nx = 1\n"),
    "shell assigned": ("files = !ls", "files = None\n"),
    "help after": ("np.tanh?", "None\n"),
    "help twice after": ("np.tanh??", "None\n"),
    "help before": ("?np.tanh", "None\n"),
    "time a statement": ("%time a = f(1)", "a = f(1)\n"),
    "timeit a statement": ("%timeit f(1)\nb = 2", "None\nb = 2\n"),
    "modulo on a continued line": ("y = (7\n% 2)", "y = (7\n% 2)\n"),
    "percent in a string": ("s = '''\n%d\n'''", "s = '''\n%d\n'''\n"),
    "prompt pasted": (">>> x = 1", "x = 1\n"),
    "own get_ipython": ("get_ipython().run_line_magic('matplotlib', 'inline')", "None\n"),
    "%%time": ("%%time\nx = 1\ny = 2", "\nx = 1\ny = 2\n"),
    "%%timeit with options": ("%%timeit -n 3\nx = 1", "\nx = 1\n"),
    "%%capture with magics": ("%%capture out\n%matplotlib inline\nx = 1", "\nNone\nx = 1\n"),
    "stacked cell magics": ("%%capture\n%%time\nx = 1", "\n\nx = 1\n"),
    "indented cell magic": ("  %%time\n  x = 1", "\nx = 1\n"),
}


@pytest.mark.parametrize("name", TRANSLATED)
def test_ipython_syntax_becomes_plain_python(name):
    cell, expected = TRANSLATED[name]
    chunk = translate(cell, "cell 7")
    assert chunk == Chunk("cell 7", expected)
    compile(chunk.source, "cell 7", "exec")


@pytest.mark.parametrize("magic", ["bash", "sh", "html", "javascript", "writefile rnn_utils.py",
                                   "latex", "markdown", "python", "script bash", "!", ""])
def test_a_cell_magic_that_is_not_python_is_not_run(magic):
    name = magic.split(" ")[0]
    assert translate(f"\n%%{magic}\nls -l\necho hi", "cell 4") == \
        Chunk("cell 4", "", f"cell 4 is a %%{name} cell: not run")


def test_run_is_noted_because_it_may_define_functions():
    chunk = translate("x = 1\n%run helpers.py", "cell 2")
    assert chunk == Chunk("cell 2", "x = 1\nNone\n", "cell 2, line 2: %run helpers.py not run")


def test_a_notebook_chunk_carries_its_translation_and_note(tmp_path):
    path = notebook(tmp_path, "%%bash\nls", "%matplotlib inline\nimport numpy as np")
    assert read(str(path)).chunks == (Chunk("cell 1", "", "cell 1 is a %%bash cell: not run"),
                                      Chunk("cell 2", "None\nimport numpy as np\n"))


# --- from __future__ ----------------------------------------------------------------------------

def test_a_future_import_at_the_top_of_a_later_cell_stays(tmp_path):
    path = notebook(tmp_path, "x = 1", '"""Doc."""\nfrom __future__ import annotations\ny = 2')
    chunk = read(str(path)).chunks[1]
    assert chunk.source == '"""Doc."""\nfrom __future__ import annotations\ny = 2\n'
    compile(chunk.source, chunk.label, "exec")


@pytest.mark.parametrize("cell, expected", [
    ("import numpy as np\nfrom __future__ import division\nx = 1",
     "import numpy as np\npass\nx = 1\n"),
    ("%matplotlib inline\nfrom __future__ import annotations",
     "None\npass\n"),
    ("x = 1\nfrom __future__ import (annotations,\n    division); y = 2\nz = 3",
     "x = 1\npass\\\n; y = 2\nz = 3\n"),
])
def test_a_future_import_inside_a_cell_does_not_break_it(cell, expected):
    with pytest.raises(SyntaxError):
        compile(cell.replace("%matplotlib inline", "x = 0"), "cell", "exec")
    source = translate(cell, "cell 3").source
    assert source == expected
    compile(source, "cell 3", "exec")


# --- line numbers -------------------------------------------------------------------------------

CELL = """

%load_ext autoreload
%autoreload \\
    2
!pip install \\
    numpy
files = !ls
math.tanh?
from __future__ import annotations
if True:
    %time ok = 1
raise ValueError("line 13")
"""


def test_translation_keeps_every_line_number():
    source = translate(CELL, "cell 3").source
    assert source.count("\n") == CELL.count("\n")
    assert source.split("\n") == [
        "", "", "None", "None", "", "None", "", "files = None", "None", "pass",
        "if True:", "    ok = 1", 'raise ValueError("line 13")', ""]
    with pytest.raises(ValueError) as raised:
        exec(compile(source, "cell 3", "exec"), {})
    assert traceback.extract_tb(raised.tb)[-1].lineno == 13


def test_a_syntax_error_is_reported_at_its_own_line():
    cell = "\n%matplotlib inline\n!ls \\\n  -l\ndef f(:\n    pass"
    with pytest.raises(SyntaxError) as raised:
        compile(translate(cell, "cell 1").source, "cell 1", "exec")
    assert raised.value.lineno == 5


# --- nothing escapes but a LoadError ------------------------------------------------------------

cell_text = st.lists(st.sampled_from(
    ["x = 1", "%time", "%%time", "%%bash", "!ls", "?x", "x?", "\\", "(", "'''", "from __future__ "
     "import annotations", "    ", "if x:", "get_ipython()", "é", "%", "%%", "\t"]), max_size=6)
keys = st.sampled_from(["cells", "cell_type", "source", "input", "worksheets", "code"]) | st.text()
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=12)
cells = st.fixed_dictionaries({
    "cell_type": st.sampled_from(["code", "markdown", "raw"]) | json_values,
    "source": cell_text.map("\n".join) | st.lists(cell_text.map("\n".join)) | json_values})
notebooks = json_values | st.fixed_dictionaries({"cells": st.lists(cells | json_values)}) \
    | st.fixed_dictionaries({"worksheets": st.lists(st.fixed_dictionaries(
        {"cells": st.lists(cells.map(lambda c: {"input": c.get("source"), **c}))}))})
FOLDER = Path(tempfile.mkdtemp(prefix="rnnspec-test-source-"))


@settings(max_examples=150, deadline=None)
@given(notebooks)
def test_any_json_is_a_program_or_one_line(value):
    path = FOLDER / "fuzz.ipynb"
    path.write_text(json.dumps(value))
    try:
        assert isinstance(read(str(path)), Program)
    except LoadError as error:
        assert "\n" not in str(error)


@settings(max_examples=150, deadline=None)
@given(cell_text)
def test_any_cell_keeps_its_line_count(lines):
    cell = "\n".join(lines)
    source = translate(cell, "cell 1").source
    assert source == "" or source.count("\n") == (cell if cell.endswith("\n") else cell + "\n") \
        .count("\n")


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=40) | st.text(max_size=20).map(str.encode))
def test_any_bytes_are_a_program_or_one_line(data):
    path = FOLDER / "fuzz.py"
    path.write_bytes(data)
    try:
        assert isinstance(read(str(path)), Program)
    except LoadError as error:
        assert "\n" not in str(error)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=12))
def test_any_target_is_a_program_or_one_line(target):
    try:
        read(target)
    except LoadError as error:
        assert "\n" not in str(error)


def test_a_cell_with_a_bad_escape_is_translated_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert translate("%matplotlib inline\ns = '\\%d'", "cell 1").source == "None\ns = '\\%d'\n"

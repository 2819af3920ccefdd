"""Read a submission into a :class:`Program`: the Python source the worker will run, cell by cell.

This runs in the judge and never executes the submission: it only decodes text and translates
notebook syntax. Everything that can be wrong with a file (missing, binary, undecodable, malformed
notebook JSON) is one :class:`LoadError` whose message fits on one line.

A target is read as follows (:func:`read`):

- a ``.py`` file: decoded as Python decodes it (UTF-8 BOM, PEP 263 coding line), one chunk;
- a ``.ipynb`` notebook: one chunk per code cell, IPython syntax translated to plain Python;
- a folder: the one notebook, or the one ``.py`` defining the exercise's functions, in it;
- a dotted module name (``my_package.my_rnn``): its source file, found without importing anything.
"""

from __future__ import annotations

import ast
import io
import json
import os
import re
import sys
import tokenize
import warnings
from dataclasses import dataclass
from importlib.machinery import PathFinder
from pathlib import Path


class LoadError(Exception):
    """The submission cannot be read or loaded; the message says why in one line."""


@dataclass(frozen=True)
class Chunk:
    """One unit the worker runs on its own: a whole ``.py`` file, or one notebook code cell.

    ``label`` names it in messages ("cell 3"; "" for a file); ``source`` is plain Python (IPython
    syntax already translated); ``note`` says what the translation left out, if anything.
    """

    label: str
    source: str
    note: str = ""


@dataclass(frozen=True)
class Program:
    """A submission as the worker receives it.

    ``path`` is the file it came from (for messages and the module's ``__file__``); ``folder`` is
    the folder whose helper modules it may import (``rnn_utils.py`` beside a notebook); a chunk
    that raises is reported and skipped when ``cells`` is true (a notebook), and ends the load
    otherwise (a module).
    """

    path: Path
    folder: Path
    chunks: tuple
    cells: bool = False


EXPECTED = "a .py or .ipynb path, a folder holding one, or a dotted module name"


def read(target: str) -> Program:
    """The submission ``target`` names, as a :class:`Program`; :class:`LoadError` if it has none.

    ``path`` and ``folder`` are absolute, so the worker may run in any folder. For a dotted module
    ``folder`` is where its top-level package was found, the folder an import would search. A path
    that exists wins over a module of the same name; a name without a separator or a suffix that
    is not a path is looked up as a module.
    """
    if not target or not target.strip():
        raise LoadError(f"no submission given (an empty name, an unset $VARIABLE?): expected "
                        f"{EXPECTED}")
    path = Path(target)
    try:
        is_dir, exists = path.is_dir(), path.exists()
    except (OSError, ValueError) as error:  # a NUL byte, a name too long
        raise LoadError(f"{_show(target)}: not a usable path ({_reason(error)})") from None
    if is_dir:
        return _read_folder(path)
    if path.suffix in (".py", ".ipynb") or exists or "/" in target or os.sep in target:
        if not exists:
            raise LoadError(f"no such file: {_show(target)}")
        if path.suffix == ".ipynb":
            return _read_notebook(path)
        if path.suffix != ".py":
            kind = f"a {path.suffix} file" if path.suffix else "a file without a suffix"
            raise LoadError(f"{_show(target)}: expected {EXPECTED}, got {kind}")
        return _read_py(path, Path(os.path.abspath(path)).parent)
    if all(part.isidentifier() for part in target.split(".")):
        return _read_py(*_find_module(target))
    raise LoadError(f"{_show(target)}: expected {EXPECTED}; it is none of these")


# --- text ---------------------------------------------------------------------------------------

def _show(text) -> str:
    """``text`` for a one-line message: as is, or quoted when it holds a newline or control char."""
    text = str(text)
    return text if text.isprintable() else repr(text)


def _reason(error: BaseException) -> str:
    return _show(getattr(error, "strerror", None) or error)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise LoadError(f"{_show(path)}: cannot read it ({_reason(error)})") from None


def _python_text(path: Path) -> str:
    """The text of a ``.py`` file, decoded as the interpreter would decode it.

    ``tokenize.detect_encoding`` reads the BOM and the PEP 263 coding line; newlines are
    translated as ``tokenize.open`` does, so a CRLF file has the same line numbers.
    """
    data = _read_bytes(path)
    if b"\0" in data:
        at = data.index(b"\0")
        raise LoadError(f"{_show(path)}: not Python source: a NUL byte at offset {at} "
                        f"(a binary file?)")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:  # an unknown or contradictory coding declaration
        if "invalid or missing" not in error.msg:  # else no declaration: UTF-8 names the byte
            raise LoadError(f"{_show(path)}: not Python source: {_show(error.msg)}") from None
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise LoadError(f"{_show(path)}: not Python source: byte 0x{data[error.start]:02x} at "
                        f"offset {error.start} is not valid {encoding}") from None
    return _newlines(text)  # the "utf-8-sig" codec has dropped the BOM


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_py(path: Path, folder: Path) -> Program:
    path = Path(os.path.abspath(path))
    return Program(path, Path(os.path.abspath(folder)), (Chunk("", _python_text(path)),),
                   cells=False)


# --- folders and dotted names -------------------------------------------------------------------

# A module that defines the exercise's functions defines some ``*_forward``/``*_backward`` at top
# level (rnn_cell_forward ... lstm_backward, whatever the cell); the course's helper modules
# (rnn_utils.py: softmax, sigmoid, Adam) do not, so a notebook beside its helpers is one candidate.
_DEFINES = re.compile(r"^def\s+\w+_(?:forward|backward)\s*\(", re.MULTILINE)


def _defines_functions(path: Path) -> bool:
    try:
        return bool(_DEFINES.search(_python_text(path)))
    except LoadError:
        return False


_IMPORT = re.compile(rb'(?:^|\n|\\n|")\s*(?:from|import)\s+([A-Za-z_]\w*)')


def imported_names(paths) -> set:
    """The top-level module names some of ``paths`` import, read as text (notebooks are JSON):
    a ``.py`` imported by a file beside it is that file's helper, not a submission."""
    names = set()
    for path in paths:
        try:
            names.update(m.decode() for m in _IMPORT.findall(path.read_bytes()))
        except OSError:
            pass
    return names


def _read_folder(folder: Path) -> Program:
    """The one notebook or one defining ``.py`` in ``folder`` (not below it) that no other file
    there imports, else a LoadError."""
    try:
        entries = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
        files = [p for p in entries if p.suffix in (".py", ".ipynb") and p.is_file()]
        helpers = imported_names(files)
        notebooks = [p for p in files if p.suffix == ".ipynb"]
        modules = [p for p in files if p.suffix == ".py" and p.stem not in helpers
                   and _defines_functions(p)]
    except OSError as error:
        raise LoadError(f"{_show(folder)}: cannot list the folder ({_reason(error)})") from None
    found = notebooks + modules
    if len(found) == 1:
        return _read_notebook(found[0]) if found[0].suffix == ".ipynb" else \
            _read_py(found[0], folder)
    if not found:
        raise LoadError(f"{_show(folder)}: a folder with no .ipynb notebook and no .py defining "
                        f"the exercise's functions (def rnn_cell_forward, ...); name the file")
    names = ", ".join(p.name for p in found[:4]) + (", ..." if len(found) > 4 else "")
    raise LoadError(f"{_show(folder)}: a folder with {len(notebooks)} notebook(s) and "
                    f"{len(modules)} .py defining the functions ({_show(names)}); name one of "
                    f"them, e.g. {_show(found[0])}")


def _find_module(name: str) -> tuple:
    """(source file, import root) of the dotted module ``name``, found without importing it.

    ``importlib.import_module`` and ``importlib.util.find_spec`` would execute the parent
    packages; asking ``PathFinder`` level by level, each level in its parent's
    ``submodule_search_locations``, only looks at the file system. The current folder is searched
    first, as ``python -m`` does. Modules that an editable install maps elsewhere through its own
    meta-path finder are not found: name their file instead.
    """
    parts = name.split(".")
    locations = [os.getcwd(), *sys.path]
    root = spec = None
    for depth in range(1, len(parts) + 1):
        prefix = ".".join(parts[:depth])
        try:
            spec = PathFinder.find_spec(prefix, locations)
            namespace = spec is not None and not spec.has_location
        except KeyError:  # a namespace package in a package: its path would need the parent
            spec, namespace = None, True  # imported (sys.modules[parent]), so it is found below
        except (ImportError, OSError, ValueError) as error:
            raise LoadError(f"cannot look up module {prefix}: {_reason(error)}") from None
        if namespace:  # a namespace package's folders are those of its name in the parent's
            locations = [p for p in (os.path.join(p, parts[depth - 1]) for p in locations)
                         if os.path.isdir(p)]
        elif spec is None:
            where = f"package {parts[depth - 2]}" if depth > 1 else "the current folder or sys.path"
            raise LoadError(f"no module named {prefix} (looked in {where}), and no file named "
                            f"{_show(name)}: expected {EXPECTED}")
        elif spec.submodule_search_locations is None:
            locations = None
        else:
            locations = [str(Path(spec.origin).parent)]
        if root is None:
            root = Path(locations[0]).parent if locations else Path(spec.origin).parent
        if depth < len(parts) and locations is None:
            raise LoadError(f"no module named {name}: {prefix} is a module, not a package")
    if namespace or not str(spec.origin).endswith(".py"):
        what = "a namespace package, without a file" if namespace else _show(spec.origin)
        raise LoadError(f"module {name} is not Python source: {what}")
    return Path(spec.origin), root


# --- notebooks ----------------------------------------------------------------------------------

def _read_notebook(path: Path) -> Program:
    """One chunk per code cell, in order; markdown, raw and heading cells give none.

    A chunk is labelled "cell N" with N the cell's position among all cells, markdown included,
    counted from 1 down the notebook: what a student finds by counting boxes from the top, the
    same index editors and ``nbformat`` validation messages use. The format is checked as far as
    it is read; each malformed shape is named. nbformat 3 notebooks (cells in ``worksheets``, the
    code in ``input``) are read too, their worksheets' cells counted as one list, as
    ``nbformat`` upgrades them.
    """
    where = f"{_show(path)}: not a notebook"
    try:
        notebook = json.loads(_read_bytes(path).decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise LoadError(f"{where}: byte 0x{error.object[error.start]:02x} at offset "
                        f"{error.start} is not UTF-8") from None
    except ValueError as error:
        raise LoadError(f"{where}: not JSON ({_show(error)})") from None
    except RecursionError:
        raise LoadError(f"{where}: JSON nested too deeply to read") from None
    if not isinstance(notebook, dict):
        raise LoadError(f"{where}: the top level is {_kind(notebook)}, expected an object with "
                        f"\"cells\"")
    cells, source_key = notebook.get("cells"), "source"
    if "cells" not in notebook and "worksheets" in notebook:
        cells, source_key = _worksheet_cells(notebook["worksheets"], where), "input"
    elif "cells" not in notebook:
        raise LoadError(f"{where}: no \"cells\" (keys: {_show(', '.join(sorted(notebook))[:80])})")
    if not isinstance(cells, list):
        raise LoadError(f"{where}: \"cells\" is {_kind(cells)}, expected a list")
    chunks = []
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict):
            raise LoadError(f"{where}: cell {number} is {_kind(cell)}, expected an object")
        if cell.get("cell_type") != "code":
            continue
        if source_key not in cell:
            raise LoadError(f"{where}: code cell {number} has no \"{source_key}\"")
        source = cell[source_key]
        if isinstance(source, list):
            bad = [(i, line) for i, line in enumerate(source, 1) if not isinstance(line, str)]
            if bad:
                raise LoadError(f"{where}: the \"{source_key}\" of cell {number} is a list whose "
                                f"item {bad[0][0]} is {_kind(bad[0][1])}, expected a string or a "
                                f"list of strings")
            source = "".join(source)
        if not isinstance(source, str):
            raise LoadError(f"{where}: the \"{source_key}\" of cell {number} is {_kind(source)}, "
                            f"expected a string or a list of strings")
        chunks.append(translate(_newlines(source), f"cell {number}"))
    path = Path(os.path.abspath(path))
    return Program(path, path.parent, tuple(chunks), cells=True)


def _worksheet_cells(worksheets, where: str) -> list:
    if not isinstance(worksheets, list):
        raise LoadError(f"{where}: \"worksheets\" is {_kind(worksheets)}, expected a list")
    cells = []
    for number, sheet in enumerate(worksheets, start=1):
        if not isinstance(sheet, dict) or not isinstance(sheet.get("cells"), list):
            raise LoadError(f"{where}: worksheet {number} is {_kind(sheet)}, expected an object "
                            f"with a list of \"cells\"")
        cells += sheet["cells"]
    return cells


def _kind(value) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string",
            dict: "an object", list: "a list"}.get(type(value), type(value).__name__)


# --- IPython syntax -----------------------------------------------------------------------------

# Cell magics whose body is Python run in the notebook's own namespace: the body is run as is.
# Every other cell magic (%%bash, %%writefile, %%html, %%python in a subprocess, ...) is not Python
# run here: its cell becomes an empty chunk with a note.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun"})
# Line magics that run their argument as a statement in the namespace (``%time x = f()``): the
# statement is kept. Every other line magic, shell escape and help request becomes ``None``.
STATEMENT_LINE_MAGICS = frozenset({"time", "prun"})
# Dropped line magics that may define what later cells use: named in the chunk's note.
NOTED_LINE_MAGICS = frozenset({"run", "load"})


def translate(cell: str, label: str) -> Chunk:
    """One notebook cell as plain Python with the same line numbers: a :class:`Chunk`.

    IPython's own transformer (``TransformerManager``, what Jupyter runs) finds the magics, shell
    escapes and help requests, which only it tells reliably from Python (``%`` at the start of a
    continued line is a modulo). Its ``get_ipython()`` calls are then removed, so the worker needs
    no IPython stub: a line magic, ``!cmd``, ``x = !cmd`` and ``obj?`` become ``None`` (so
    ``x = !ls`` is ``x = None``), ``%time stmt`` and ``%prun stmt`` become ``stmt``, and a
    ``%%time``/``%%timeit``/``%%capture``/``%%prun`` cell is its body. A cell's own method calls on
    ``get_ipython()`` become ``None`` too. So the translated source calls ``get_ipython`` only
    where the cell itself uses it otherwise (``ip = get_ipython()``), or where the cell does not
    compile (its syntax error is the worker's to report, at the cell's own line). A ``from
    __future__`` import not at the top of its cell would not compile: it becomes ``pass`` (see
    :func:`_plain`). Every line keeps its number, so "cell 3, line 2" is line 2 of cell 3.
    """
    lines = (cell + "\n" if cell and not cell.endswith("\n") else cell).split("\n")
    first = _first_code_line(lines)
    while first is not None and lines[first].lstrip().startswith("%%"):  # IPython dedents first
        name = (lines[first].lstrip()[2:].split() or [""])[0]
        if name not in PYTHON_CELL_MAGICS:
            return Chunk(label, "", f"{label} is a %%{name} cell: not run")
        lines[first] = ""  # the body keeps its line numbers
        first = _first_code_line(lines)
    source, notes = _plain(_ipython("\n".join(lines)), label)
    return Chunk(label, source, "; ".join(notes))


def _first_code_line(lines: list):
    return next((i for i, line in enumerate(lines) if line.strip()), None)


def _ipython(source: str) -> str:
    """``source`` through IPython's transformer, line for line.

    IPython drops leading blank lines and joins a backslash-continued magic into one line; both
    would move the lines below, so the blank lines are put back and each joined line is followed
    by as many blank lines as it lost.
    """
    lines = source.split("\n")
    skip = _first_code_line(lines)
    if skip is None:
        return source
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            translated = _manager().transform_cell("\n".join(lines[skip:]))
    except Exception:  # noqa: BLE001 - IPython gives up (e.g. >500 magics): the cell stays as is
        return source
    return "\n" * skip + translated


_MANAGER = []


def _manager():
    """IPython's transformer, its token transforms made to keep the line count (built once)."""
    if not _MANAGER:
        from IPython.core.inputtransformer2 import TransformerManager  # heavy: notebooks only

        def keeping_lines(cls):
            class KeepingLines(cls):
                def transform(self, lines):
                    out = super().transform(lines)
                    after = self.start_line + 1  # the transform's one line replaces its lines
                    return out[:after] + ["\n"] * (len(lines) - len(out)) + out[after:]
            return KeepingLines

        manager = TransformerManager()
        manager.token_transformers = [keeping_lines(c) for c in manager.token_transformers]
        _MANAGER.append(manager)
    return _MANAGER[0]


def _plain(source: str, label: str) -> tuple:
    """``source`` without ``get_ipython()`` calls or misplaced ``__future__`` imports, and notes.

    Each chunk is compiled on its own, so a ``from __future__`` import is legal only at the top of
    its cell. Elsewhere it becomes ``pass`` rather than moving up, which would shift lines: on
    Python >= 3.7 every future feature but ``annotations`` is always on, and ``annotations`` only
    delays evaluating annotations, which matters only to code annotated with syntax newer than the
    interpreter (``int | None`` on 3.9). Jupyter keeps a future import for the cells after it; the
    worker does not, for the same reason.
    """
    tree = _parse(source)
    if tree is None:
        return source, []  # left for the worker's compile to report, at the right line
    top = tree.body[1:] if tree.body and _is_docstring(tree.body[0]) else tree.body
    leading = set()
    for statement in top:
        if not _is_future(statement):
            break
        leading.add(id(statement))
    edits, notes = [], []

    def visit(node):
        if _is_future(node) and id(node) not in leading:
            edits.append((node, "pass"))
            return
        if isinstance(node, ast.Expr) and _magic(node.value)[0] in STATEMENT_LINE_MAGICS:
            statement = _magic(node.value)[1].strip()
            if statement and "\n" not in statement and _parse(statement):
                edits.append((node, statement))
                return
        if _on_ipython(node):
            edits.append((node, "None"))
            name, argument = _magic(node)
            if name in NOTED_LINE_MAGICS:
                notes.append(f"{label}, line {node.lineno}: %{name} {argument} not run")
            return
        for child in ast.iter_child_nodes(node):
            visit(child)

    try:
        visit(tree)
    except RecursionError:
        return source, []
    return _splice(source, edits), notes


def _is_docstring(node) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) \
        and isinstance(node.value.value, str)


def _is_future(node) -> bool:
    return isinstance(node, ast.ImportFrom) and node.module == "__future__" and node.level == 0


def _on_ipython(node) -> bool:
    """Whether ``node`` is a call ``get_ipython().method(...)``."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
        and isinstance(node.func.value, ast.Call) and not node.func.value.args \
        and isinstance(node.func.value.func, ast.Name) and node.func.value.func.id == "get_ipython"


def _magic(node) -> tuple:
    """(name, argument) of ``get_ipython().run_line_magic(name, argument)``, else ("", "")."""
    if _on_ipython(node) and node.func.attr == "run_line_magic" and len(node.args) == 2 \
            and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args):
        return node.args[0].value, node.args[1].value
    return "", ""


def _parse(source: str):
    """The syntax tree of ``source``, or None; its warnings (``'\\%'``) are the worker's to give."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _splice(source: str, edits: list) -> str:
    """``source`` with each node's text replaced, every line keeping its number.

    A node over several lines is replaced on its first line, the lines up to its last continued
    with backslashes (``pass\\`` then ``\\``), so the code after it stays where it was.
    """
    lines = source.split("\n")
    for node, text in sorted(edits, key=lambda e: (e[0].lineno, e[0].col_offset), reverse=True):
        first, last = node.lineno - 1, node.end_lineno - 1
        head = lines[first].encode()[:node.col_offset].decode()  # offsets count UTF-8 bytes
        tail = lines[last].encode()[node.end_col_offset:].decode()
        if first == last:
            lines[first] = head + text + tail
        else:
            lines[first:last + 1] = [head + text + "\\"] + ["\\"] * (last - first - 1) + [tail]
    return "\n".join(lines)

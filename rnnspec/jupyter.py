"""The notebook front end: ``%load_ext rnnspec``, ``%rnnspec`` and ``rnnspec.check(namespace)``.

Where students work, a verdict is a table read at a glance (function × check, green and red) with
each failure folded under it, and the CLI's own text as the plain-text fallback. Both are rendered
from the same :class:`~rnnspec.run.Session` and :mod:`rnnspec.report` helpers as ``rnnspec
check``: nothing here decides a status.

The judge never takes function objects from the kernel, only source text: the notebook's executed
code cells (IPython's input history, in order) become a :class:`~rnnspec.source.Program` judged
like any submission file, so what passes here passes when graded. ``rnnspec.check(namespace)``
outside IPython has no history; it rebuilds a program from ``inspect.getsource`` of the functions
and classes defined in the namespace, plus the imports and plain constants they name. Its limits:
a function whose source is not on disk (``exec``, a plain REPL) is left out, and so is every other
global (arrays, dicts, objects): a function that reads one fails with a NameError in the verdict,
as it would when graded.

IPython is imported only by :func:`load_ipython_extension`: ``rnnspec.check`` works without it.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import html
import inspect
import os
import re
import sys
import textwrap
import types
from pathlib import Path
from typing import Optional

from rnnspec import profiles, report
from rnnspec.properties.registry import FUNCTIONS
from rnnspec.run import Session
from rnnspec.sandbox import DEFAULT_CALL_TIMEOUT
from rnnspec.source import Chunk, LoadError, Program, translate

# Set while a program is judged, so that a notebook's own ``rnnspec.check(globals())`` cell, run
# again by the judge as part of the program, does nothing instead of judging recursively.
_JUDGING = "RNNSPEC_JUDGING"
_OWN_MAGIC = re.compile(r"^\s*(%%?rnnspec\b|%(re)?load_ext\s+rnnspec\s*$)")


# ---------------------------------------------------------------------------------------------
# What is judged: a Program, from the notebook's history or from a namespace's source.


def program_from_history(shell) -> Program:
    """The executed code cells of a running IPython, in order, as a Program of cells.

    Each cell is a Chunk labelled ``cell N`` (N its execution count, as the notebook shows
    ``[N]``). rnnspec's own magics are dropped; other IPython syntax is translated as when a saved
    notebook is checked (``source.translate``).
    """
    chunks = []
    for number, raw in enumerate(shell.history_manager.input_hist_raw):
        chunk = _cell_chunk(f"cell {number}", raw)
        if chunk is not None:
            chunks.append(chunk)
    folder = Path.cwd()
    return Program(path=_notebook_path(shell, folder), folder=folder, chunks=tuple(chunks),
                   cells=True)


def _cell_chunk(label: str, raw: str) -> Optional[Chunk]:
    """One executed cell, rnnspec's own magics blanked (line numbers kept), translated the way a
    saved notebook's cells are."""
    kept = "\n".join("" if _OWN_MAGIC.match(line) else line for line in raw.splitlines())
    if not kept.strip():
        return None
    return translate(kept, label)


def _notebook_path(shell, folder: Path) -> Path:
    """The notebook's file when the front end tells the kernel (JupyterLab does), else a label."""
    for name in (shell.user_ns.get("__session__"), os.environ.get("JPY_SESSION_NAME")):
        if isinstance(name, str) and name.endswith(".ipynb") and Path(name).is_file():
            return Path(name).resolve()
    return folder / "<notebook>"


def program_from_namespace(namespace) -> Program:
    """A Program rebuilt from the source of the functions and classes defined in ``namespace``.

    Chunks: one for the imports and plain constants the definitions name (and the five exercise
    functions, when they are imported from elsewhere), then one per definition.
    """
    if isinstance(namespace, types.ModuleType):
        namespace = vars(namespace)
    sources, aliases, no_source = {}, {}, []  # by id of the object defined here
    for name, value in namespace.items():
        if not _defined_in(value, namespace):
            continue
        if not value.__name__.isidentifier():  # a lambda: its source is not a definition
            no_source.append(name)
            continue
        if name != value.__name__:
            aliases.setdefault(id(value), []).append(f"{name} = {value.__name__}")
        if id(value) in sources or name in no_source:
            continue
        try:
            sources[id(value)] = (value, textwrap.dedent(inspect.getsource(value)))
        except (OSError, TypeError):
            no_source.append(name)
    named = set(FUNCTIONS).union(*(_names_read(source) for _, source in sources.values()))
    imports, not_source = [], list(no_source)
    for name in sorted(named):
        value = namespace.get(name)
        if name not in namespace or name.startswith("__") or _defined_in(value, namespace):
            continue
        line = _as_import(name, value)
        if line:
            imports.append(line)
        else:
            not_source.append(name)
    chunks = []
    if imports or not_source:
        note = f"left out (no source): {', '.join(not_source)}" if not_source else ""
        chunks.append(Chunk("imports", "".join(line + "\n" for line in imports), note))
    for key, (value, source) in sources.items():
        kind = "class" if inspect.isclass(value) else "function"
        extra = "".join(line + "\n" for line in aliases.get(key, ()))
        chunks.append(Chunk(f"{kind} {value.__name__}", source + extra))
    file = namespace.get("__file__")
    path = Path(file).resolve() if isinstance(file, str) else Path.cwd() / "<namespace>"
    return Program(path=path, folder=path.parent, chunks=tuple(chunks), cells=True)


def _defined_in(value, namespace: dict) -> bool:
    if inspect.isfunction(value):
        return value.__globals__ is namespace
    return inspect.isclass(value) and value.__module__ == namespace.get("__name__", object())


def _names_read(source: str) -> set:
    """Every name ``source`` reads (globals, and locals that may shadow them: harmless extra)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)
            and isinstance(node.ctx, ast.Load) and not hasattr(builtins, node.id)}


def _as_import(name: str, value) -> Optional[str]:
    """The line that binds ``name`` to ``value`` in a fresh module, if there is a plain one."""
    if isinstance(value, types.ModuleType):
        return f"import {value.__name__}" + (f" as {name}" if name != value.__name__ else "")
    module, qualname = getattr(value, "__module__", None), getattr(value, "__qualname__", None)
    if (isinstance(module, str) and isinstance(qualname, str) and "." not in qualname
            and getattr(sys.modules.get(module), qualname, None) is value):
        return f"from {module} import {qualname}" + (f" as {name}" if name != qualname else "")
    with contextlib.suppress(ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        copy = ast.literal_eval(repr(value))  # numbers, strings, and containers of them
        if type(copy) is type(value) and copy == value:
            return f"{name} = {value!r}"
    return None


# ---------------------------------------------------------------------------------------------
# Judging: the one place that turns a Program into a Session.


def _judge(program: Program, **options) -> Session:
    """The notebook's program in a worker of its own, like any submission: the kernel only
    judges."""
    return Session.open(program, **options)


def judge(program: Program, **options) -> Verdict:
    """The verdict on ``program``: every check run, or the reason it does not load.

    ``options``: ``profile``, ``convention``, ``timeout``, as for ``rnnspec check``.
    """
    try:
        with _judging():
            session = _judge(program, **options)
            session.all()
    except LoadError as error:
        return Verdict(program, error=str(error))
    return Verdict(program, session)


@contextlib.contextmanager
def _judging():
    before = os.environ.get(_JUDGING)
    os.environ[_JUDGING] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(_JUDGING, None)
        else:
            os.environ[_JUDGING] = before


def check(namespace=None, **options) -> Optional[Verdict]:
    """Judge the functions of ``namespace`` (a dict such as ``globals()``, or a module).

    In IPython, ``rnnspec.check()`` or ``rnnspec.check(globals())`` judges the notebook's executed
    cells, like ``%rnnspec``; elsewhere the namespace's source is rebuilt (module docstring).
    Returns None while a program is being judged (this call is part of the program).
    """
    if os.environ.get(_JUDGING):
        return None
    shell = _running_ipython()
    if namespace is None:
        if shell is None:
            raise TypeError("outside IPython, say what to check: rnnspec.check(globals())")
        namespace = shell.user_ns
    if shell is not None and namespace is shell.user_ns:
        return judge(program_from_history(shell), **options)
    return judge(program_from_namespace(namespace), **options)


def _running_ipython():
    ipython = sys.modules.get("IPython")
    return ipython.get_ipython() if ipython is not None else None


# ---------------------------------------------------------------------------------------------
# Rendering: the same session, as HTML for people and as the CLI's text.

_STYLE = {  # background, text
    "pass": ("#d4edda", "#155724"),
    "fail": ("#f8d7da", "#721c24"),
    "blocked": ("#e2e3e5", "#383d41"),
    "missing": ("#e2e3e5", "#6c757d"),
    "not run": ("#f8d7da", "#721c24"),  # the budget ran out: failing, as in the text report
    "absent": ("#ffffff", "#bbbbbb"),
}
_LIKELY_CAUSE = re.compile(r"\n\s*likely cause: ")  # how messages put it (spec, properties)
_CELL = "padding: 2px 8px; border: 1px solid #ccc; text-align: center;"


class Verdict:
    """A session's results, shown as an HTML table in Jupyter and as ``rnnspec check``'s text."""

    def __init__(self, program: Program, session: Optional[Session] = None,
                 error: str = ""):
        self.program, self.session, self.error = program, session, error

    @property
    def passed(self) -> bool:
        return self.session is not None and report.verdict_passes(self.session)

    def as_json(self) -> dict:
        if self.session is None:
            return {"implementation": str(self.program.path), "passed": False,
                    "load_error": self.error}
        return report.as_json(self.session)

    def __repr__(self) -> str:
        return f"rnnspec: {self.error}" if self.session is None else report.table(self.session)

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        printer.text(repr(self))

    def _repr_html_(self) -> str:
        e = html.escape
        if self.session is None:
            return (f'<div style="font-family: sans-serif;"><p><b style="color: '
                    f'{_STYLE["fail"][1]}">does not load</b></p><pre>{e(self.error)}</pre>'
                    f"{self._judged()}</div>")
        session = self.session
        outcomes = session.all()
        verdict = "PASS" if self.passed else "FAIL"
        colour = _STYLE["pass" if self.passed else "fail"][1]
        parts = ['<div style="font-family: sans-serif; font-size: 13px;">',
                 f'<p><b style="color: {colour};">rnnspec: {verdict}</b> &mdash; '
                 f"conventions: {e(session.convention_note)}, "
                 f"profile {e(session.profile)}</p>", self._table(outcomes)]
        parts += self._failures(outcomes)
        parts.append(self._judged())
        parts.append("</div>")
        return "\n".join(parts)

    def _table(self, outcomes: list) -> str:
        e = html.escape
        columns = _columns(outcomes)
        rows = ['<table style="border-collapse: collapse;">',
                "<tr>" + "".join(f'<th style="{_CELL}">{e(c)}</th>'
                                 for c in ("function", "present") + columns) + "</tr>"]
        by_id = {o.check: o for o in outcomes}
        for name, here in report.presence(self.session).items():
            cells = [f'<th style="{_CELL} text-align: left;">{e(name)}</th>',
                     _cell("pass" if here else "missing", "pass" if here else "MISSING",
                           f"{name} is {'defined' if here else 'not defined'}")]
            for column in columns:
                o = by_id.get(f"{name}.{column}")
                if o is None:
                    cells.append(f'<td style="{_CELL} color: #bbb;">&middot;</td>')
                    continue
                tip = o.statement + (f" (blocked by {o.blocked_by})" if o.blocked_by else "")
                cells.append(_cell(o.status, report.MARK[o.status], tip))
            rows.append("<tr>" + "".join(cells) + "</tr>")
        rows.append("</table>")
        return "\n".join(rows)

    def _failures(self, outcomes: list) -> list:
        """One folded block per failing function: its first failure, then who else saw one."""
        e = html.escape
        blocks = []
        for name in self.session.expected():
            failing = [o for o in outcomes if o.function == name and o.status == "fail"]
            if not failing:
                continue
            first = failing[0]
            message, *cause = _LIKELY_CAUSE.split(first.message, maxsplit=1)
            block = [f'<details style="margin: 4px 0;"><summary><b style="color: '
                     f'{_STYLE["fail"][1]};">{e(name)}</b>: {e(first.check)} &mdash; '
                     f"{e(first.statement)}</summary>",
                     f'<pre style="white-space: pre-wrap;">{e(message)}</pre>']
            if cause:
                block.append(f"<p><b>likely cause:</b> {e(' '.join(cause[0].split()))}</p>")
            if first.traceback:
                block.append(f'<pre style="white-space: pre-wrap;">{e(first.traceback)}</pre>')
            if failing[1:]:
                block.append("<p>also seen by: "
                             + ", ".join(e(o.check) for o in failing[1:]) + "</p>")
            line = report.reproduction(self.session, first)
            block.append(f"<p><b>reproduce:</b> <code>{e(line)}</code></p></details>")
            blocks.append("\n".join(block))
        return blocks

    def _judged(self) -> str:
        """Which cells (or definitions) were judged, and what their translation left out."""
        labels = ", ".join(chunk.label for chunk in self.program.chunks) or "nothing"
        notes = "; ".join(f"{c.label}: {c.note}" for c in self.program.chunks if c.note)
        return (f'<p style="color: #6c757d; font-size: 11px;">judged: {html.escape(labels)}'
                + (f"<br>{html.escape(notes)}" if notes else "") + "</p>")


def _cell(status: str, text: str, tip: str) -> str:
    background, colour = _STYLE[status]
    return (f'<td style="{_CELL} background: {background}; color: {colour};" '
            f'title="{html.escape(tip)}">{html.escape(text)}</td>')


def _columns(outcomes: list) -> tuple:
    """Check names as columns, ordered by where they come in their functions' lists."""
    places = {}
    for name in dict.fromkeys(o.function for o in outcomes if o.status != "absent"):
        mine = [o.check.split(".", 1)[1] for o in outcomes if o.function == name]
        for i, column in enumerate(mine):
            places.setdefault(column, []).append(i / max(len(mine) - 1, 1))
    return tuple(sorted(places, key=lambda c: sum(places[c]) / len(places[c])))


# ---------------------------------------------------------------------------------------------
# The IPython extension.


def load_ipython_extension(ipython) -> None:
    """``%load_ext rnnspec``: register the ``%rnnspec`` line magic and ``%%rnnspec`` cell magic."""
    ipython.register_magics(_magics())


def _magics():
    from IPython.core import magic_arguments
    from IPython.core.magic import Magics, line_cell_magic, magics_class

    @magics_class
    class RnnspecMagics(Magics):
        @magic_arguments.magic_arguments()
        @magic_arguments.argument("--profile", choices=tuple(profiles.PROFILES),
                                  default=profiles.DEFAULT, help="Hypothesis profile")
        @magic_arguments.argument("--convention", choices=("seed", "course"),
                                  help="override the detected convention")
        @magic_arguments.argument("--call-timeout", type=float, default=DEFAULT_CALL_TIMEOUT,
                                  help="seconds one call may take before it counts as a hang")
        @line_cell_magic
        def rnnspec(self, line: str, cell: Optional[str] = None):
            """Judge the functions defined by this notebook's executed cells; show the verdict.

            As a cell magic, ``%%rnnspec`` runs the cell first, then judges.
            """
            args = magic_arguments.parse_argstring(self.rnnspec, line)
            if cell is not None and not self.shell.run_cell(cell, store_history=False).success:
                return None
            return judge(program_from_history(self.shell), profile=args.profile,
                         convention=args.convention, timeout=args.call_timeout)

    return RnnspecMagics

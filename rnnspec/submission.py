"""A submission under judgement: its program, and the workers that run it.

One worker runs the program as it is. To judge a function on its own when a function it is built
on fails, another worker runs the program with those dependencies replaced by the suite's
reference; each such set of replacements gets a fresh worker of its own, so nothing the
submission learns in one (a reference function it could keep) reaches another.
"""

from __future__ import annotations

import ast
from pathlib import Path

from rnnspec.sandbox import Limits, Worker, bwrap_works
from rnnspec.source import LoadError, Program

REFERENCE = Path(__file__).resolve().parent.parent / "impl" / "reference.py"


def reference_source(keep: frozenset, drop: tuple) -> str:
    """The reference module's source without the functions of ``drop`` not in ``keep``."""
    from rnnspec.impl import reference

    tree = ast.parse(Path(reference.__file__).read_text("utf-8"))
    tree.body = [node for node in tree.body if not (
        isinstance(node, ast.FunctionDef) and node.name in drop and node.name not in keep)]
    return ast.unparse(tree)


class Submission:
    def __init__(self, program: Program, functions: tuple, limits: Limits = None,
                 sandbox: bool = None):
        self.program, self.functions = program, tuple(functions)
        self.limits = limits or Limits()
        self.sandboxed = bwrap_works() if sandbox is None else sandbox
        self.workers: dict = {}
        loaded = self.worker().loaded
        if "raised" in loaded:
            raise LoadError(f"{program.path}: {_load_failure(loaded)}")
        self.present: dict = loaded["present"]  # name -> where it was defined
        self.skipped: list = loaded["skipped"]  # the notebook cells that raised

    def worker(self, replaced: frozenset = frozenset()) -> Worker:
        """The worker for the program with the functions of ``replaced`` taken from the
        reference (started, and its program loaded, on first use)."""
        if replaced not in self.workers:
            request = {"path": str(self.program.path), "folder": str(self.program.folder),
                       "chunks": [[c.label, c.source] for c in self.program.chunks],
                       "cells": self.program.cells, "functions": list(self.functions),
                       "replace": [[name, reference_source(replaced, self.functions)]
                                   for name in sorted(replaced)]}
            worker = self.workers[replaced] = Worker(request, self.limits, self.sandboxed)
            try:
                worker.start()
            except Exception as failure:  # a hang or a crash while loading
                worker.close()
                del self.workers[replaced]
                raise LoadError(f"{self.program.path}: {_while_loading(failure)}") from None
        return self.workers[replaced]

    def output(self) -> str:
        return "\n".join(w.output_text() for w in self.workers.values() if w.output_text())

    def close(self) -> None:
        for worker in self.workers.values():
            worker.close()
        self.workers.clear()


def _load_failure(reply: dict) -> str:
    kind, text, line = reply.get("raised"), reply.get("text", ""), reply.get("line")
    where = f" at line {line}" if line else ""
    return f"{kind}{where}: {text}" if text else f"{kind}{where}"


def _while_loading(failure: Exception) -> str:
    text = str(failure)
    if text.startswith("loading did not return"):
        return f"loading did not finish within {failure.seconds:g} s"
    return text.replace("during loading", "while loading")

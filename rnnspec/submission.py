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


def reference_source(path: str, keep: str, functions: tuple) -> str:
    """The source of the reference at ``path`` with the judged functions other than ``keep``
    left out: the worker gets the one function it replaces (and what that calls), never the
    reference of the function being judged."""
    tree = ast.parse(Path(path).read_text("utf-8"))
    wanted = _called_closure(tree, keep, functions)
    tree.body = [node for node in tree.body if not (
        isinstance(node, ast.FunctionDef) and node.name in functions and node.name not in wanted)]
    return ast.unparse(tree)


def _called_closure(tree: ast.Module, start: str, functions: tuple) -> set:
    """``start`` and the judged functions its body calls, transitively."""
    bodies = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    found, queue = set(), [start]
    while queue:
        name = queue.pop()
        if name in found or name not in bodies:
            continue
        found.add(name)
        queue.extend(n.id for n in ast.walk(bodies[name])
                     if isinstance(n, ast.Name) and n.id in functions)
    return found


class Submission:
    def __init__(self, program: Program, functions: tuple, limits: Limits = None,
                 sandbox: bool = None, deadline: float = float("inf")):
        self.program, self.functions = program, tuple(functions)
        self.limits = limits or Limits()
        self.deadline = deadline  # time.monotonic() when the verdict's budget ends
        self.sandboxed = bwrap_works() if sandbox is None else sandbox
        self.workers: dict = {}
        loaded = self.worker().loaded
        if "raised" in loaded:
            raise LoadError(f"{program.path}: {_load_failure(loaded)}")
        present, skipped = loaded.get("present"), loaded.get("skipped")
        if not (isinstance(present, dict) and isinstance(skipped, list)
                and all(isinstance(k, str) and isinstance(v, str) for k, v in present.items())
                and all(isinstance(cell, dict) for cell in skipped)):
            self.close()
            raise LoadError(f"{program.path}: the worker answered 'load' with malformed data")
        self.present: dict = present  # name -> where it was defined
        self.skipped: list = skipped  # the notebook cells that raised

    def worker(self, replaced: frozenset = frozenset()) -> Worker:
        """The worker for the program with each function of ``replaced`` (pairs of a name and
        the reference file to take it from) replaced, started and loaded on first use."""
        if replaced not in self.workers:
            request = {"path": str(self.program.path), "folder": str(self.program.folder),
                       "chunks": [[c.label, c.source] for c in self.program.chunks],
                       "cells": self.program.cells, "functions": list(self.functions),
                       "replace": [[name, reference_source(path, name, self.functions)]
                                   for name, path in sorted(replaced)]}
            worker = self.workers[replaced] = Worker(request, self.limits, self.sandboxed)
            worker.deadline = self.deadline
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

"""Read a submission into a :class:`Program`: the Python source the worker will run, cell by cell.

This runs in the judge and never executes the submission: it only decodes text and translates
notebook syntax. Everything that can be wrong with a file (missing, binary, undecodable, malformed
notebook JSON) is one :class:`LoadError` whose message fits on one line.
"""

from __future__ import annotations

from dataclasses import dataclass
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

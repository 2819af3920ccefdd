"""Write a variant of the reference by overriding only the function that differs.

``reference_in(globals())`` executes the reference's source in the variant's own namespace, so
the reference functions that call others (``rnn_forward`` calls ``rnn_cell_forward``,
``rnn_backward`` calls ``rnn_cell_backward``) look them up there and use the variant's override,
exactly as in a student's single-file submission.
"""

from __future__ import annotations

from pathlib import Path

_REFERENCE = Path(__file__).with_name("reference.py")


def reference_in(namespace: dict) -> None:
    """Define the reference's functions (and its helpers) in ``namespace``, keeping its
    docstring."""
    own_doc = namespace.get("__doc__")
    exec(compile(_REFERENCE.read_text("utf-8"), str(_REFERENCE), "exec"), namespace)  # noqa: S102
    namespace["__doc__"] = own_doc

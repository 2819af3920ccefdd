"""Small helpers the suite's own tests share."""

from __future__ import annotations

import importlib.util
from pathlib import Path


def module_at(path: Path):
    """Import a test helper module by its path (the tests folders are not packages)."""
    spec = importlib.util.spec_from_file_location(f"rnnspec_test_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

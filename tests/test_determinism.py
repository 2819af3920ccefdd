"""A verdict depends on the submission and the seed alone, not on the process that judged it."""

from __future__ import annotations

import importlib

import pytest

from rnnspec import profiles


def test_draws_take_no_constants_from_the_modules_a_process_imported(tmp_path, monkeypatch):
    providers = pytest.importorskip("hypothesis.internal.conjecture.providers")
    if not hasattr(providers, "_get_local_constants"):
        pytest.skip("this Hypothesis draws no constants from local modules")
    profiles._no_local_constants()
    (tmp_path / "rnnspec_constants_probe.py").write_text(
        "VALUES = [123456.789, 'a literal string', 987654321, b'bytes']\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.import_module("rnnspec_constants_probe")
    assert len(providers._get_local_constants()) == 0

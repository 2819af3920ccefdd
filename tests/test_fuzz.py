"""``rnnspec fuzz``: a campaign stops at the first failure with its reproduction, remembers it in
the submission's own example database, and a second campaign starts from it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from rnnspec import sandbox
from rnnspec.fuzz import duration
from tests.corpus import ROOT


def test_durations_are_read_as_people_write_them():
    assert [duration(t) for t in ("30s", "10m", "1h", "1h30m", "90", "2.5m")] == [
        30, 600, 3600, 5400, 90, 150]
    with pytest.raises(Exception, match="not a duration"):
        duration("ten minutes")


def fuzz(tmp_path, impl: str, *args: str) -> subprocess.CompletedProcess:
    extra = () if sandbox.bwrap_works() else ("--no-sandbox",)
    return subprocess.run([sys.executable, "-m", "rnnspec", "fuzz", str(ROOT / impl), *extra,
                           *args], cwd=tmp_path, capture_output=True, text=True, timeout=300)


def test_a_campaign_stops_at_the_first_failure_and_the_next_one_starts_from_it(tmp_path):
    first = fuzz(tmp_path, "impl/mutants/softmax_global_max.py", "--for", "2m",
                 "--workers", "2")
    assert first.returncode == 1, first.stdout[-2000:] + first.stderr[-2000:]
    assert "FAIL after" in first.stdout and "softmax." in first.stdout
    assert "reproduce: rnnspec replay --impl=" in first.stdout
    assert "examples (" in first.stderr  # the progress line
    [database] = (tmp_path / ".rnnspec-fuzz").iterdir()
    ledger = json.loads((database / "campaign.json").read_text())
    assert ledger["runs"] == 1 and list(ledger["failed"])[0].startswith("softmax.")
    again = fuzz(tmp_path, "impl/mutants/softmax_global_max.py", "--for", "2m",
                 "--workers", "1")
    assert again.returncode == 1 and "campaign 2" in again.stderr


def test_a_short_campaign_on_the_reference_finds_nothing(tmp_path):
    run = fuzz(tmp_path, "impl/reference.py", "--for", "8s", "--workers", "1",
               "--database", str(tmp_path / "db"))
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert "no failure in" in run.stdout and (tmp_path / "db" / "campaign.json").is_file()

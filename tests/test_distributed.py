"""``rnnspec grade --scheduler``: the judges on a Dask cluster give the local pool's verdicts, lose
none when a Dask worker dies mid-run, stream them as JSON Lines and skip what is judged already.

The cluster is local (two worker processes on loopback, one thread each); the grader runs as a
separate process, as it would against a real scheduler.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rnnspec import sandbox
from tests.corpus import ROOT

pytest.importorskip("distributed", reason="Dask is not installed (pip install "
                    "'rnnspec[distributed]', or the dev extra): the distributed grading tests "
                    "are skipped")

CORRECT = ("variants/course_convention.py", "variants/einsum.py")
MUTANTS = ("mutants/dw_self_add.py", "mutants/softmax_global_max.py")
HELPERS = ("variants/variant.py", "variants/reference.py")  # reference.py is graded too: correct


@pytest.fixture(scope="module")
def cluster():
    import dask
    from distributed import Client, LocalCluster

    # No rescheduling by the scheduler itself: one death gives KilledWorker at once, so the kill
    # test exercises the grader's own resubmission (with the default of 3 the scheduler reruns
    # the task elsewhere by itself, an easier case).
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        local = LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                             host="127.0.0.1", dashboard_address=None)
    client = Client(local)
    yield local, client
    client.close()
    local.close()


def folder_of(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "submissions"
    folder.mkdir()
    for name in HELPERS + names:
        shutil.copy(ROOT / "impl" / name, folder / Path(name).name)
    return folder


def grade(folder: Path, *args: str) -> subprocess.Popen:
    extra = () if sandbox.bwrap_works() else ("--unsandboxed",)
    return subprocess.Popen([sys.executable, "-m", "rnnspec", "grade", str(folder), *extra,
                             *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def finish(process: subprocess.Popen) -> str:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, out[-2000:] + err[-2000:]
    return out


def verdicts(path: Path) -> dict:
    """submission name -> (passed, each check's status): what must agree between judges."""
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    return {Path(v["submission"]).name: (v["passed"], sorted(
        (c["check"], c["status"]) for c in v["checks"])) for v in lines}


def test_the_cluster_gives_the_local_pools_verdicts_and_a_rerun_skips_them(cluster, tmp_path):
    local, _ = cluster
    folder = folder_of(tmp_path, *CORRECT[:1], *MUTANTS)
    finish(grade(folder, "--jobs", "2", "--jsonl", str(tmp_path / "pool.jsonl")))
    out = finish(grade(folder, "--scheduler", local.scheduler_address,
                       "--jsonl", str(tmp_path / "dask.jsonl")))
    assert "2 of 4 submissions pass" in out
    pool, dask = verdicts(tmp_path / "pool.jsonl"), verdicts(tmp_path / "dask.jsonl")
    assert sorted(pool) == ["course_convention.py", "dw_self_add.py", "reference.py",
                            "softmax_global_max.py"]
    assert dask == pool
    again = finish(grade(folder, "--scheduler", local.scheduler_address, "--jsonl",
                         str(tmp_path / "dask.jsonl"), "--report-json",
                         str(tmp_path / "all.json")))
    assert "4 of 4 submissions already judged" in again
    assert len((tmp_path / "dask.jsonl").read_text().splitlines()) == 4
    assert len(json.loads((tmp_path / "all.json").read_text())) == 4


def test_a_dask_worker_killed_mid_run_loses_no_verdict(cluster, tmp_path):
    local, client = cluster
    folder = folder_of(tmp_path, *CORRECT, *MUTANTS)
    stream = tmp_path / "grades.jsonl"
    process = grade(folder, "--scheduler", local.scheduler_address, "--jsonl", str(stream))
    deadline = time.monotonic() + 90
    while not (stream.exists() and stream.read_text().count("\n") >= 1):
        assert time.monotonic() < deadline and process.poll() is None, process.communicate()
        time.sleep(0.1)
    busy = [address for address, keys in client.processing().items() if keys]
    assert busy, "no verdict in flight to kill a worker under"
    victim, in_flight = busy[0], client.processing()[busy[0]]
    pid = client.run(os.getpid, workers=[victim])[victim]
    os.kill(pid, signal.SIGKILL)
    finish(process)
    lines = [json.loads(line) for line in stream.read_text().splitlines()]
    names = [Path(v["submission"]).name for v in lines]
    assert sorted(names) == sorted(["reference.py"] + [Path(n).name for n in CORRECT + MUTANTS])
    assert {n: v["passed"] for n, v in zip(names, lines)} == {
        "reference.py": True, "course_convention.py": True, "einsum.py": True,
        "dw_self_add.py": False, "softmax_global_max.py": False}
    killed = [v for v in lines if any(Path(v["submission"]).name in key for key in in_flight)]
    assert killed and all(not v["judge"].endswith(f":{pid}") for v in killed)

"""``rnnspec fuzz``: a campaign stops at the first failure with its reproduction, remembers it in
the submission's own example database (a folder, or keys of its own on a Redis server), and a
second campaign starts from it."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time

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
    tmp_path.mkdir(parents=True, exist_ok=True)
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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_server(tmp_path):
    """A redis-server of this test's own on a free loopback port: its URL and a client."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("no redis-server binary (apt-get install redis-server; .ci/run does, as root)")
    redis = pytest.importorskip("redis")
    port = _free_port()
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--dir", str(tmp_path)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(host="127.0.0.1", port=port)
    try:
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.exceptions.ConnectionError:
                time.sleep(0.1)
        else:
            pytest.fail("redis-server did not answer within 10 s")
        yield f"redis://127.0.0.1:{port}/0", client
    finally:
        server.terminate()
        server.wait(timeout=30)


def _keys(client) -> dict:
    """Redis keys grouped by submission (the content hash after ``rnnspec-fuzz:``)."""
    grouped: dict = {}
    for key in client.keys(b"*"):
        assert key.startswith(b"rnnspec-fuzz:"), key
        grouped.setdefault(key.split(b":")[1].decode(), []).append(key.split(b":", 2)[2])
    return grouped


def test_workers_on_two_machines_share_a_redis_database_and_a_second_campaign_resumes(
        tmp_path, redis_server):
    url, client = redis_server
    mutant = "impl/mutants/softmax_global_max.py"
    first = fuzz(tmp_path / "machine-a", mutant, "--for", "2m", "--workers", "2",
                 "--database", url)
    assert first.returncode == 1, first.stdout[-2000:] + first.stderr[-2000:]
    check = first.stdout.split("FAIL after", 1)[1].split(": ")[1]
    [(submission, keys)] = _keys(client).items()
    assert f"keys rnnspec-fuzz:{submission}:*" in first.stderr
    ledger = json.loads(client.get(f"rnnspec-fuzz:{submission}:campaign"))
    assert ledger["runs"] == 1 and list(ledger["failed"]) == [check]
    assert any(k.startswith(f"example:{check}:".encode()) for k in keys)  # the shrunk failure
    # Another folder, as another machine: nothing local, the database is the server.
    again = fuzz(tmp_path / "machine-b", mutant, "--for", "2m", "--workers", "2",
                 "--database", url)
    assert again.returncode == 1, again.stdout[-2000:] + again.stderr[-2000:]
    assert "campaign 2" in again.stderr and "FAIL after" in again.stdout
    assert again.stdout.split("FAIL after", 1)[1].split(": ")[1] == check
    assert json.loads(client.get(f"rnnspec-fuzz:{submission}:campaign"))["runs"] == 2
    assert not (tmp_path / "machine-a" / ".rnnspec-fuzz").exists()
    assert not (tmp_path / "machine-b" / ".rnnspec-fuzz").exists()


def test_two_submissions_keep_their_own_keys_in_one_redis_database(tmp_path, redis_server):
    url, client = redis_server
    mutant = fuzz(tmp_path, "impl/mutants/softmax_global_max.py", "--for", "2m",
                  "--workers", "1", "--database", url)
    assert mutant.returncode == 1, mutant.stdout[-2000:] + mutant.stderr[-2000:]
    [failing] = _keys(client)
    reference = fuzz(tmp_path, "impl/reference.py", "--for", "8s", "--workers", "1",
                     "--database", url)
    assert reference.returncode == 0, reference.stdout[-2000:] + reference.stderr[-2000:]
    assert "campaign 2" not in reference.stderr  # the mutant's campaign is not its own
    [other] = set(_keys(client)) - {failing}
    ledgers = {s: json.loads(client.get(f"rnnspec-fuzz:{s}:campaign")) for s in (failing, other)}
    assert ledgers[failing]["runs"] == 1 and ledgers[failing]["failed"]
    assert ledgers[other]["runs"] == 1 and ledgers[other]["failed"] == {}


def test_a_bad_or_unreachable_redis_database_is_one_line_and_exit_2(tmp_path):
    pytest.importorskip("redis")
    for url, said in [("http://127.0.0.1:1", "a folder or a redis://HOST:PORT[/DB] URL"),
                      ("redis://127.0.0.1:port", "Port could not be cast"),
                      (f"redis://127.0.0.1:{_free_port()}/0", "Connection refused")]:
        run = fuzz(tmp_path, "impl/reference.py", "--for", "5s", "--database", url)
        assert run.returncode == 2 and said in run.stderr, run.stderr
        assert "Traceback" not in run.stderr and len(run.stderr.strip().splitlines()) == 1
    # Without the redis package, the line names the extra that brings it.
    run = subprocess.run([sys.executable, "-c", "import sys; sys.modules['redis'] = None; "
                          "from rnnspec.cli import main; sys.exit(main(sys.argv[1:]))",
                          "fuzz", str(ROOT / "impl/reference.py"), "--database", "redis://h:1"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "pip install 'rnnspec[redis]'" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr

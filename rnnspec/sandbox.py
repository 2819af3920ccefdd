"""The judge's side of the boundary: start a submission's worker, call it, survive whatever it does.

The worker (``worker.py``) runs in a process of its own, started from a private folder holding
only ``worker.py`` and ``wire.py``. Where the machine has bubblewrap it is also sandboxed: the
filesystem read-only, the suite's source and installed package hidden, a private /tmp, no
network, its own PID namespace, no capabilities, as user nobody. Either way it has limits on
memory (RLIMIT_AS), CPU time and file size, stdin closed, and its stdout and stderr go to files
the judge reads afterwards, never into the verdict.

Every way a call can go wrong is an :class:`ImplementationFailure` of that call, said in words:
it raised, it ran past its time limit (the worker is killed), the process ended (any exit,
signal, memory exhaustion), or it answered with something that is not well-formed data. The
judge then starts a fresh worker for the next call.
"""

from __future__ import annotations

import functools
import os
import resource
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rnnspec import wire

DEFAULT_CALL_TIMEOUT = 3.0
DEFAULT_MEMORY = 2 << 30  # bytes of address space for the worker
DEFAULT_BUDGET = 120.0  # seconds for one whole verdict
LOAD_TIMEOUT = 10.0
OUTPUT_LIMIT = 8 << 20  # bytes a worker may write to a file (RLIMIT_FSIZE)
# Bytes of requests and replies a worker keeps to answer repeated calls: a ci verdict needs about
# 5 MiB; a fuzz campaign, whose calls rarely repeat, would otherwise keep every one for hours.
ANSWERED_LIMIT = 32 << 20
CLOSE_GRACE = 0.2  # seconds a worker told to end (its input closed) has before it is killed
HERE = Path(__file__).resolve().parent
WORKER_FILES = ("worker.py", "wire.py")


class ImplementationFailure(Exception):
    """Something the implementation under test did wrong while being called."""


class ImplementationHang(ImplementationFailure):
    def __init__(self, function: str = "", seconds: float = 0.0):
        super().__init__(f"{function} did not return within {seconds:g} s (hang): the worker "
                         f"was killed")
        self.function, self.seconds = function, seconds


class ImplementationError(ImplementationFailure):
    """The call raised: ``kind`` is the exception's type name, ``frames`` the submission's
    traceback, ``name`` the missing name of a NameError."""

    def __init__(self, function: str, kind: str, text: str, frames: str = "", name=None,
                 where: str = ""):
        where = f" {where}" if where else ""
        super().__init__(f"{function} raised {kind}{where}: {text}" if text
                         else f"{function} raised {kind}{where}")
        self.function, self.kind, self.text, self.frames, self.name = (
            function, kind, text, frames, name)


class WorkerDied(ImplementationFailure):
    """The worker's process ended (or broke the protocol) while answering a call."""


class OutOfBudget(Exception):
    """The verdict's overall time budget is spent: the unrun checks are "not run"."""


@dataclass(frozen=True)
class Limits:
    call_timeout: float = DEFAULT_CALL_TIMEOUT
    memory: int = DEFAULT_MEMORY
    budget: float = DEFAULT_BUDGET


@functools.cache
def bwrap_works() -> bool:
    """Whether bubblewrap is installed and can make its namespaces here (probed once)."""
    if shutil.which("bwrap") is None:
        return False
    try:
        probe = subprocess.run(["bwrap", *_isolation(), "--ro-bind", "/", "/", "--", "true"],
                               capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


def _isolation() -> list:
    """Namespaces and privileges: as root, bwrap would otherwise keep root's capabilities."""
    return ["--unshare-all", "--unshare-user", "--uid", "65534", "--gid", "65534",
            "--disable-userns", "--cap-drop", "ALL", "--new-session", "--die-with-parent"]


def _suite_paths() -> list:
    """What the worker must not see: the installed package, and the checkout it came from."""
    hidden = [HERE]
    if (HERE.parent / "pyproject.toml").is_file():
        hidden.append(HERE.parent)
    return hidden


ENVIRONMENT = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8",
               "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
               "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0",
               "RNNSPEC_JUDGING": "1"}  # rnnspec.check() inside a submission does nothing


def _bwrap_command(job: Path, folder: Path) -> list:
    command = ["bwrap", *_isolation(), "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
               "--tmpfs", "/tmp"]  # first: what is bound below may live under /tmp
    for path in _suite_paths():
        command += ["--tmpfs", str(path)]
    for prefix in dict.fromkeys(map(os.path.realpath, (sys.prefix, sys.base_prefix))):
        command += ["--ro-bind", prefix, prefix]  # Python itself, even if it lives in the suite
    for path in _suite_paths():
        if Path(sys.prefix) in path.parents:  # installed into the environment just re-exposed
            command += ["--tmpfs", str(path)]
    command += ["--ro-bind", str(folder), str(folder),
                "--ro-bind", str(job), "/tmp/rnnspec-worker", "--chdir", "/tmp", "--clearenv"]
    for key, value in ENVIRONMENT.items():
        command += ["--setenv", key, value]
    return command + ["--", sys.executable, "-I", "/tmp/rnnspec-worker/worker.py"]


def _limit(memory: int, cpu_seconds: int):
    def apply():  # in the child, before exec: bwrap and the worker inherit these
        os.setsid()
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
        resource.setrlimit(resource.RLIMIT_FSIZE, (OUTPUT_LIMIT, OUTPUT_LIMIT))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


class Worker:
    """One worker process for one program; restarted after any call that kills it.

    ``replace`` maps function names to reference source defining them, put into the submission's
    namespace after it loads (to judge a function with correct dependencies underneath).
    """

    def __init__(self, program_request: dict, limits: Limits, sandboxed: bool):
        self.request, self.limits, self.sandboxed = program_request, limits, sandboxed
        self.process = None
        # When the verdict's budget ends (time.monotonic()); loading again after a call killed
        # the worker counts against it, so a submission slow to load cannot stretch a verdict.
        self.deadline = float("inf")
        self.loaded: dict = {}
        # Replies to calls already made, by the request's bytes: checks of one function share
        # their informative cases, and a result the worker computed once is not asked for again.
        self.answered: dict = {}
        self.answered_bytes = 0
        self.job = Path(tempfile.mkdtemp(prefix="rnnspec-job-"))
        for name in WORKER_FILES:
            shutil.copy(HERE / name, self.job / name)
        self.output = self.job / "output.txt"

    # -- process lifetime -------------------------------------------------------------------

    def start(self) -> dict:
        """Start the worker and load the program; the worker's answer to "load"."""
        self.stop()
        requests_read, self.requests = os.pipe()
        self.replies, replies_write = os.pipe()
        folder = Path(self.request["folder"])
        if self.sandboxed:
            command = _bwrap_command(self.job, folder)
            command[-1:] = [command[-1], str(requests_read), str(replies_write)]
            environment = None
        else:
            command = [sys.executable, "-I", str(self.job / "worker.py"), str(requests_read),
                       str(replies_write)]
            environment = dict(ENVIRONMENT, TMPDIR=str(self.job))
        cpu = int(self.limits.budget) + 30
        with open(self.output, "ab") as output:
            self.process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=output, stderr=output,
                pass_fds=(requests_read, replies_write), env=environment,
                cwd=str(self.job) if not self.sandboxed else None,
                preexec_fn=_limit(self.limits.memory, cpu))
        os.close(requests_read)
        os.close(replies_write)
        left = self.deadline - time.monotonic()
        if left <= 0:
            self.stop()
            raise OutOfBudget()
        self.loaded = self._exchange("loading", {"op": "load", **self.request},
                                     min(LOAD_TIMEOUT, left))
        return self.loaded

    def stop(self, grace: float = 0.0) -> None:
        """End the worker: its pipes closed, then killed; ``grace`` seconds to exit on its own
        first (at the end of its input it does, and is then reaped with everything it ran: a
        killed sandbox's processes die unreaped, their CPU time accounted to no one)."""
        if self.process is None:
            return
        for fd in (self.requests, self.replies):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()
        self.process = None

    def close(self) -> None:
        self.stop(grace=CLOSE_GRACE)
        shutil.rmtree(self.job, ignore_errors=True)

    def __del__(self):  # a worker forgotten by its owner must not outlive it
        try:
            self.close()
        except Exception:  # noqa: S110 - at interpreter exit, modules may be gone already
            pass

    def output_text(self, limit: int = 2000) -> str:
        """What the submission printed (stdout and stderr together), truncated."""
        try:
            data = self.output.read_bytes()
        except OSError:
            return ""
        text = data[:limit].decode("utf-8", "replace")
        return text + (f"\n… ({len(data) - limit} more bytes)" if len(data) > limit else "")

    # -- calls ------------------------------------------------------------------------------

    def call(self, function: str, args: list, again: int = 0, timeout: float = None,
             keep: str = "") -> list:
        """The worker's replies to ``function(*args)``, called 1 + ``again`` times on fresh
        copies: each ``{"ok": result, "untouched": True}``, or ``{"ok": result, "handed": args
        after the call}`` when the call changed them; ImplementationFailure when it raised, hung,
        died or answered with malformed data. ``keep`` names the result, kept in the worker for
        :meth:`fetch`; each call has ``timeout`` seconds.

        A plain call (no ``again``, no ``keep``) with the very arguments of an earlier one gets
        that call's reply again, decoded afresh, without asking the worker; the checks that look
        for hidden state (calling again, back to back; keeping a result) always reach it."""
        if self.process is None:
            self.start()
        timeout = self.limits.call_timeout if timeout is None else timeout
        request = wire.encode({"op": "call", "function": function, "args": args, "keep": keep})
        plain = not again and not keep
        if plain and request in self.answered:
            reply = wire.decode(self.answered[request])
            if "raised" in reply:
                raise _error(function, reply, self.limits)
            return [reply]
        replies = []
        for _ in range(1 + again):
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise OutOfBudget()
            message, reply = self._round_trip(function, request, min(timeout, left))
            if plain:
                self._remember(request, message)
            if "raised" in reply:
                raise _error(function, reply, self.limits)
            replies.append(reply)
        return replies

    def _remember(self, request: bytes, reply: bytes) -> None:
        """Keep ``reply`` for ``request``; past ANSWERED_LIMIT bytes, forget the earlier ones (a
        pair larger than the limit alone is not kept)."""
        size = len(request) + len(reply)
        if size > ANSWERED_LIMIT:
            return
        if self.answered_bytes + size > ANSWERED_LIMIT:
            self.answered.clear()
            self.answered_bytes = 0
        self.answered[request] = reply
        self.answered_bytes += size

    def fetch(self, function: str, keep: str, timeout: float = None) -> object:
        """The result kept as ``keep`` as the worker holds it now (later calls may have changed
        it); WorkerDied if the worker restarted meanwhile."""
        if self.process is None:
            raise WorkerDied(f"the worker was restarted before {function}'s result could be "
                             f"read again")
        timeout = self.limits.call_timeout if timeout is None else timeout
        return self._exchange(function, {"op": "fetch", "keep": keep}, timeout).get("ok")

    def _exchange(self, function: str, request: dict, timeout: float) -> dict:
        return self._round_trip(function, request, timeout)[1]

    def _round_trip(self, function: str, request, timeout: float) -> tuple:
        """Send ``request`` (a dict, or one already encoded) and read the reply: (its bytes, the
        reply); every way the worker can fail to answer is an ImplementationFailure."""
        deadline = time.monotonic() + timeout

        def wait(fd):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError

        if not isinstance(request, bytes):
            request = wire.encode(request)
        try:
            wire.send(self.requests, request)
            message = wire.receive(self.replies, wait)
            reply = wire.decode(message)
        except TimeoutError:
            self.stop()
            raise ImplementationHang(function, timeout) from None
        except (EOFError, BrokenPipeError):
            raise WorkerDied(f"{self._death()} during {function}") from None
        except wire.ProtocolError as error:
            self.stop()
            raise WorkerDied(f"the worker answered {function} with {error}") from None
        if not isinstance(reply, dict):
            self.stop()
            raise WorkerDied(f"the worker answered {function} with something not a reply")
        return message, reply

    def _death(self) -> str:
        try:
            status = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            status = None
        self.stop()
        if status is None:
            return "the process stopped answering"
        if status < 0 or (self.sandboxed and status > 128):  # bwrap reports a signal as 128 + n
            number = -status if status < 0 else status - 128
            name = signal.Signals(number).name if number in signal.Signals._value2member_map_ \
                else str(number)
            if number == signal.SIGXCPU:
                return "the process ran out of its CPU time"
            return f"the process was killed by {name}"
        return f"the process exited with status {status}"


def _error(function: str, reply: dict, limits: Limits) -> ImplementationError:
    kind = str(reply.get("raised"))[:100]
    text = str(reply.get("text", ""))[:2000]
    if kind == "MemoryError":
        text = f"ran out of its {limits.memory / (1 << 30):g} GiB memory" + (
            f" ({text})" if text else "")
    return ImplementationError(function, kind, text, str(reply.get("frames", ""))[:4000],
                               reply.get("name") if isinstance(reply.get("name"), str) else None,
                               str(reply.get("where") or "")[:100])

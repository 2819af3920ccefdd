"""Call code under test so that whatever it does is a result, never a crash or hang of the suite.

An exception becomes :class:`ImplementationError` carrying the implementation's own traceback
frames; a call that runs past its time limit is interrupted (SIGALRM, main thread) and becomes
:class:`ImplementationHang`. Both derive from ``BaseException`` so a submission's own
``except Exception`` cannot swallow the interruption.
"""

from __future__ import annotations

import contextlib
import faulthandler
import io
import os
import signal
import sys
import threading
import time
import traceback
import warnings
from typing import Any, Callable

import numpy as np

DEFAULT_CALL_TIMEOUT = 3.0
_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUITE_FOLDERS = tuple(os.path.join(_ROOT, name) + os.sep
                      for name in ("rnnspec", "spec", "properties", "symbolic"))


class _Discard(io.TextIOBase):
    def write(self, text: str) -> int:
        return len(text)


DISCARD = _Discard()


class ImplementationFailure(BaseException):
    """Something the implementation under test did wrong while being called."""


class ImplementationHang(ImplementationFailure):
    def __init__(self, function: str = "", seconds: float = 0.0):
        super().__init__(f"{function} did not return within {seconds:g} s (hang)")
        self.function, self.seconds = function, seconds


class ImplementationError(ImplementationFailure):
    def __init__(self, function: str, error: BaseException, frames: str):
        super().__init__(f"{function} raised {type(error).__name__}: {error}")
        self.function, self.error, self.frames = function, error, frames


RETRY = 0.05  # after the deadline, interrupt again this often, in case the first was swallowed
LAST_RESORT = 5.0  # seconds past the deadline after which the whole process is ended
EXIT_UNINTERRUPTIBLE = 124  # the exit status then, as timeout(1) uses


class _LastResort:
    """One daemon thread that ends the process if a call outlives every interruption.

    A submission that catches BaseException in a loop can swallow any signal; then nothing but
    ending the process stops it. The message says why, and the status is not a pass.
    """

    def __init__(self):
        self.deadline, self.what, self.thread = None, "", None
        self.before_exit: list = []  # e.g. pytest's plugin: stop capturing, so the message shows

    def arm(self, seconds: float, what: str):
        previous = (self.deadline, self.what)
        self.deadline, self.what = time.monotonic() + seconds + LAST_RESORT, what
        if self.thread is None:
            self.thread = threading.Thread(target=self._watch, name="rnnspec-last-resort",
                                           daemon=True)
            self.thread.start()
        return previous

    def restore(self, previous) -> None:
        self.deadline, self.what = previous

    def _watch(self) -> None:
        while True:
            time.sleep(0.25)
            deadline = self.deadline
            if deadline is not None and time.monotonic() > deadline:
                for prepare in self.before_exit:
                    prepare()
                sys.stderr.write(f"\nrnnspec: {self.what} could not be interrupted {LAST_RESORT:g} "
                                 f"s after its time limit (it swallows the interruption); "
                                 f"stopping: the implementation fails as a hang\n")
                sys.stderr.flush()
                os._exit(EXIT_UNINTERRUPTIBLE)


LAST_RESORT_WATCH = _LastResort()


@contextlib.contextmanager
def time_limit(seconds: float, what: str = "the implementation"):
    """Raise ImplementationHang in the block after ``seconds``; a no-op off the main thread.

    The interruption repeats every RETRY seconds until the block is left, so a submission that
    catches it once cannot carry on; one that catches it forever ends the process (_LastResort).
    """
    usable = (seconds and seconds > 0 and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return
    armed = [True]

    def interrupt(signum, frame):
        if armed[0]:
            raise ImplementationHang("", seconds)

    previous = signal.signal(signal.SIGALRM, interrupt)
    outer_timer = signal.getitimer(signal.ITIMER_REAL)  # a time limit this one is nested in
    watch = LAST_RESORT_WATCH.arm(seconds, what)
    signal.setitimer(signal.ITIMER_REAL, seconds, RETRY)
    faulthandler.dump_traceback_later(seconds + 2 * LAST_RESORT, exit=True)  # even without GIL
    try:
        yield
    finally:
        armed[0] = False  # first, so that a last alarm arriving now is ignored
        signal.setitimer(signal.ITIMER_REAL, 0)
        faulthandler.cancel_dump_traceback_later()
        signal.signal(signal.SIGALRM, previous)
        if outer_timer[0] > 0:
            signal.setitimer(signal.ITIMER_REAL, *outer_timer)
        LAST_RESORT_WATCH.restore(watch)


def _implementation_frames(error: BaseException) -> str:
    """The traceback without the suite's own frames: the student needs only theirs."""
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if not f.filename.startswith(SUITE_FOLDERS)]
    lines = traceback.format_list(frames) + traceback.format_exception_only(type(error), error)
    return "".join(lines).rstrip()


def call(function_name: str, function: Callable, *args: Any,
         timeout: float = DEFAULT_CALL_TIMEOUT) -> Any:
    """``function(*args)`` with its exceptions and hangs turned into ImplementationFailure."""
    try:
        # The implementation's warnings (overflow, 0/0) are noise here: what it returns is judged.
        # What it prints goes nowhere, so a chatty submission cannot bury the report.
        with time_limit(timeout, function_name), warnings.catch_warnings(), \
                np.errstate(all="ignore"), contextlib.redirect_stdout(DISCARD):
            warnings.simplefilter("ignore")
            return function(*args)
    except ImplementationHang:
        raise ImplementationHang(function_name, timeout) from None
    except ImplementationFailure:
        raise
    except KeyboardInterrupt:  # the person at the keyboard, not the implementation
        raise
    except BaseException as error:  # SystemExit and KeyboardInterrupt from a submission too
        raise ImplementationError(function_name, error, _implementation_frames(error)) from None

"""Call code under test so that whatever it does is a result, never a crash or hang of the suite.

An exception becomes :class:`ImplementationError` carrying the implementation's own traceback
frames; a call that runs past its time limit is interrupted (SIGALRM, main thread) and becomes
:class:`ImplementationHang`. Both derive from ``BaseException`` so a submission's own
``except Exception`` cannot swallow the interruption.
"""

from __future__ import annotations

import contextlib
import io
import signal
import threading
import traceback
import warnings
from typing import Any, Callable

import numpy as np

DEFAULT_CALL_TIMEOUT = 3.0


class _Discard(io.TextIOBase):
    def write(self, text: str) -> int:
        return len(text)


_DISCARD = _Discard()


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


@contextlib.contextmanager
def time_limit(seconds: float):
    """Raise ImplementationHang in the block after ``seconds``; a no-op off the main thread."""
    usable = (seconds and seconds > 0 and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def interrupt(signum, frame):
        raise ImplementationHang("", seconds)

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _implementation_frames(error: BaseException) -> str:
    """The traceback without the suite's own frames: the student needs only theirs."""
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if "/harness/" not in f.filename and "/spec/" not in f.filename]
    lines = traceback.format_list(frames) + traceback.format_exception_only(type(error), error)
    return "".join(lines).rstrip()


def call(function_name: str, function: Callable, *args: Any,
         timeout: float = DEFAULT_CALL_TIMEOUT) -> Any:
    """``function(*args)`` with its exceptions and hangs turned into ImplementationFailure."""
    try:
        # The implementation's warnings (overflow, 0/0) are noise here: what it returns is judged.
        # What it prints goes nowhere, so a chatty submission cannot bury the report.
        with time_limit(timeout), warnings.catch_warnings(), np.errstate(all="ignore"), \
                contextlib.redirect_stdout(_DISCARD):
            warnings.simplefilter("ignore")
            return function(*args)
    except ImplementationHang:
        raise ImplementationHang(function_name, timeout) from None
    except ImplementationFailure:
        raise
    except BaseException as error:  # SystemExit and KeyboardInterrupt from a submission too
        raise ImplementationError(function_name, error, _implementation_frames(error)) from None

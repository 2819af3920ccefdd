"""The worker: the one process that runs a submission's code, and only computes.

Started by the judge (``rnnspec.sandbox``) as ``python -I worker.py REQUESTS REPLIES``, from a
private folder holding just this file and ``wire.py``, inside bubblewrap where the machine has it.
It reads requests from the judge's pipe and answers with plain data (``wire``): "load this
program", then "call this function with these arguments". It never decides anything: a result
goes back as it came, an exception as its type, text and the submission's own traceback frames.
Whatever the submission does to this process (rewriting this file's functions, exiting, looping,
printing) can change only its own answers, never the judge's verdict.
"""

import os
import signal
import sys
import traceback
import types
import warnings

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)  # python -I leaves the script's folder off the path
import wire  # noqa: E402

SUBMISSION = "submission"


def _raised(error: BaseException, where: str = "") -> dict:
    # The traceback without this worker's own frames: the student needs only theirs.
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if os.path.dirname(os.path.abspath(f.filename)) != HERE]
    shown = traceback.format_list(frames) + traceback.format_exception_only(type(error), error)
    line = frames[-1].lineno if frames else getattr(error, "lineno", None)
    text = error.msg if isinstance(error, SyntaxError) else str(error)
    return {"raised": type(error).__name__, "text": text[:2000],
            "frames": "".join(shown).rstrip()[-4000:],
            "name": getattr(error, "name", None) if isinstance(error, (NameError, ImportError))
            else None,
            "line": line, "where": where}


def _origin(function) -> str:
    """Where a function was defined: "rnn_utils.py" for a helper module, else its file and line."""
    module = getattr(function, "__module__", None)
    code = getattr(function, "__code__", None)
    if module and module != SUBMISSION and module in sys.modules:
        path = getattr(sys.modules[module], "__file__", None) or module
        return os.path.basename(path)
    if code is not None:
        name, _, cell = os.path.basename(code.co_filename).partition(" [")
        if cell:  # a notebook cell, compiled as "<path> [cell 3]"
            return f"{name} {cell.rstrip(']')}, line {code.co_firstlineno}"
        return f"{name}:{code.co_firstlineno}"
    return ""


class Worker:
    def __init__(self):
        self.namespace: dict = {}
        self.kept: dict = {}  # results the judge asked to keep, by name, to fetch again later

    def load(self, request: dict) -> dict:
        """Run the program's chunks in one fresh module; a notebook's failing cell is skipped."""
        folder = request["folder"]
        sys.path.insert(0, folder)
        module = types.ModuleType(SUBMISSION)
        module.__file__ = request["path"]
        sys.modules[SUBMISSION] = module  # dataclasses and pickling look modules up there
        self.namespace = module.__dict__
        skipped = []
        for label, source in request["chunks"]:
            filename = request["path"] + (f" [{label}]" if label else "")
            try:
                with np.errstate(all="ignore"), warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    exec(compile(source, filename, "exec"), self.namespace)  # noqa: S102
            except BaseException as error:  # a submission may raise anything, SystemExit too
                if not request["cells"]:
                    return _raised(error)
                skipped.append(dict(_raised(error), where=label))
        for name, source in request["replace"]:
            reference: dict = {"__name__": "rnnspec_reference"}
            exec(compile(source, "<the suite's reference>", "exec"), reference)  # noqa: S102
            self.namespace[name] = reference[name]
        present = {name: _origin(self.namespace[name]) for name in request["functions"]
                   if callable(self.namespace.get(name))}
        return {"present": present, "skipped": skipped}

    def call(self, request: dict, message: bytes):
        """Call the function on the arguments ``message`` (decoded as ``request``) holds; the
        reply, encoded. The arguments go back only when the call changed them: when the request,
        encoded again after the call, is no longer the very bytes that came, the judge finds
        what changed. The result is encoded first, since reading it may run the submission's
        code (a tuple subclass's ``__iter__``), which may change the arguments too."""
        function = self.namespace.get(request["function"])
        args = request["args"]
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = function(*args)
        except BaseException as error:  # SystemExit, KeyboardInterrupt, MemoryError too
            return _raised(error)
        if request.get("keep"):
            self.kept[request["keep"]] = result  # the object itself: what later calls change
        untouched = wire.encode({"ok": result, "untouched": True})
        if wire.encode(request) == message:
            return untouched
        return {"ok": result, "handed": args}

    def fetch(self, request: dict) -> dict:
        """A kept result as it is now, after the calls made since."""
        return {"ok": self.kept.get(request["keep"])}


def _reply(replies: int, make) -> None:
    """Send what ``make()`` returns (encoded here unless it already is); an exception while
    making or encoding it is the answer."""
    try:
        made = make()
        message = made if isinstance(made, bytes) else wire.encode(made)
    except BaseException as error:  # e.g. a returned object whose __len__ raises
        message = wire.encode(_raised(error, where="while its result was read"))
    wire.send(replies, message)


def main() -> None:
    requests, replies = int(sys.argv[1]), int(sys.argv[2])
    if hasattr(signal, "SIGXFSZ"):  # past the file size limit a write fails, not the process
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    worker = Worker()
    while True:
        try:
            message = wire.receive(requests)
        except EOFError:
            os._exit(0)
        request = wire.decode(message)
        if request["op"] == "load":
            _reply(replies, lambda request=request: worker.load(request))
        elif request["op"] == "fetch":
            _reply(replies, lambda request=request: worker.fetch(request))
        elif request["op"] == "call":
            _reply(replies, lambda request=request, message=message: worker.call(request, message))


if __name__ == "__main__":
    main()

"""The judges on a Dask cluster: ``rnnspec grade FOLDER --scheduler tcp://host:8786``.

Each Dask task is one verdict, ``grade.judge_one`` run in a Dask worker process: a trusted judge,
like a process of the local pool. The submission itself still runs only in sandboxed worker
subprocesses that the judge starts there (``rnnspec.sandbox``), so no submission code ever runs
inside Dask, whose messages are pickles (one trust domain).

Verdicts stream back as they finish (``as_completed``). A Dask worker that dies mid-verdict does
not lose it: the scheduler runs the task again on another worker (up to its
``distributed.scheduler.allowed-failures``, 3 by default), and where it gives up with
``KilledWorker`` the task is submitted again here, ``RESUBMIT`` times at most. A verdict is
yielded once, when its task finishes; exceptions of a task are not retried (they would repeat).

Dask is an optional extra (``pip install 'rnnspec[distributed]'``), imported only here, and only
when ``--scheduler`` is given: the local pool needs none of it. Every machine needs the same
rnnspec (and bubblewrap) installed, and the folder at the same path (a shared filesystem).
"""

from __future__ import annotations

import argparse
import uuid

from rnnspec.grade import Unavailable, judge_one

RESUBMIT = 3  # times a task given up as KilledWorker is submitted again
CONNECT_TIMEOUT = "20s"


def judge(address: str, paths: list, options: argparse.Namespace):
    """An iterator of verdicts (``grade.judge_one``'s dicts) of ``paths`` as they finish on the
    cluster at ``address``; Unavailable when it cannot start."""
    try:
        from distributed import Client
    except ImportError:
        raise Unavailable("--scheduler needs Dask: pip install 'rnnspec[distributed]'") from None
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as error:
        raise Unavailable(f"cannot reach the Dask scheduler at {address}: {error}") from None
    return _verdicts(client, paths, options)


def _verdicts(client, paths: list, options: argparse.Namespace):
    from distributed import KilledWorker, as_completed

    run = uuid.uuid4().hex[:8]
    owner: dict = {}  # task key -> (path, attempt)

    def submit(path, attempt: int):
        future = client.submit(judge_one, str(path), options, None, pure=False,
                               key=f"rnnspec-judge-{run}-{len(owner)}-{attempt}-{path.name}")
        owner[future.key] = (path, attempt)
        return future

    try:
        pending = as_completed([submit(p, 0) for p in paths])
        for future in pending:
            path, attempt = owner[future.key]
            try:
                result = future.result()
            except KilledWorker:
                if attempt >= RESUBMIT:
                    raise Unavailable(f"{path}: its judge died {attempt + 1} times over "
                                      f"(KilledWorker); is the cluster healthy?") from None
                pending.add(submit(path, attempt + 1))
                continue
            except (RuntimeError, FileNotFoundError) as error:  # judge_one's own refusals
                raise Unavailable(str(error)) from None
            finally:
                future.release()
            yield result
    finally:
        client.close()

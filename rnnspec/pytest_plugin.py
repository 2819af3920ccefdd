"""pytest front end of rnnspec: choose the implementation under test, report its verdict.

    pytest --impl=path/to/my_rnn.py     # or a .ipynb, or a dotted module name
    RNNSPEC_IMPL=path/to/my_rnn.py pytest

Without ``--impl`` the suite checks ``impl/reference.py`` and also runs its own tests (``tests/``);
with it, only the checks of that implementation run, wherever pytest was started.

Installed (``pip install -e .``), this plugin is loaded through its ``pytest11`` entry point, so
pytest knows ``--impl`` before it looks at the other arguments; the root ``conftest.py`` loads it
in a plain checkout. Outside this project and without ``--impl`` it does nothing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from rnnspec import profiles, properties
from rnnspec.sandbox import DEFAULT_CALL_TIMEOUT
from rnnspec.source import LoadError

ROOT = Path(__file__).resolve().parent.parent

DEFAULT_IMPL = "impl/reference.py"
profiles.register()
_session = None


def pytest_addoption(parser):
    group = parser.getgroup("rnnspec")
    group.addoption("--impl", default=os.environ.get("RNNSPEC_IMPL"),
                    help="implementation to check: a .py or .ipynb file or a dotted module "
                         "(env RNNSPEC_IMPL; default impl/reference.py)")
    group.addoption("--convention", choices=("seed", "course"),
                    default=os.environ.get("RNNSPEC_CONVENTION"),
                    help="override the detected convention (env RNNSPEC_CONVENTION)")
    group.addoption("--profile", choices=tuple(profiles.PROFILES),
                    default=os.environ.get("RNNSPEC_PROFILE", profiles.DEFAULT),
                    help="ci: derandomized and fast (default); thorough: searches long "
                         "(env RNNSPEC_PROFILE)")
    group.addoption("--call-timeout", type=float,
                    default=float(os.environ.get("RNNSPEC_TIMEOUT", DEFAULT_CALL_TIMEOUT)),
                    help="seconds one call of the implementation may take before it counts as "
                         f"a hang (env RNNSPEC_TIMEOUT; default {DEFAULT_CALL_TIMEOUT:g})")
    group.addoption("--report-json", default=None, metavar="PATH",
                    help="write the verdict, with each failure's reproduction, as JSON")


def _target(config) -> str:
    given = config.getoption("impl")
    if given is not None and not given.strip():  # --impl= or RNNSPEC_IMPL= with nothing after
        raise pytest.UsageError("rnnspec: --impl is empty (an unset variable?): expected a .py "
                                "or .ipynb file or a dotted module name")
    return given or DEFAULT_IMPL


def _active(config) -> bool:
    return config.getoption("impl") is not None or Path(config.rootpath).resolve() == ROOT


def pytest_configure(config):
    global _session
    if not _active(config):
        return
    from hypothesis import settings

    from rnnspec.run import Session
    settings.load_profile(config.getoption("profile"))
    if config.getoption("impl") and not config.args_source == pytest.Config.ArgsSource.ARGS:
        # started elsewhere: still run the checks
        config.args = [str(Path(properties.__file__).resolve().parent)]
    target = _target(config)
    if target.endswith((".py", ".ipynb")) and not Path(target).is_absolute():
        # Relative to where pytest was started, whatever rootdir pytest chose.
        target = os.path.relpath(Path(config.invocation_params.dir) / target)
    try:
        _session = Session.open(target, config.getoption("convention"),
                                profile=config.getoption("profile"),
                                timeout=config.getoption("call_timeout"))
    except LoadError as error:
        hint = ""
        if any(arg == "--impl" for arg in config.invocation_params.args):
            hint = " (write --impl=PATH, with '=')"
        raise pytest.UsageError(f"rnnspec: {error}{hint}") from None


def pytest_collection_modifyitems(config, items):
    """With an explicit --impl, only that implementation's checks run, not the suite's own tests."""
    if not config.getoption("impl"):
        return
    checks = Path(properties.__file__).resolve().parent
    keep = [item for item in items if checks in Path(item.fspath).parents]
    dropped = [item for item in items if checks not in Path(item.fspath).parents]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


def pytest_report_header(config):
    s = _session
    if s is None:
        return []
    where = "in a sandboxed worker" if s.sandboxed else "in a worker process, not sandboxed"
    return [f"rnnspec: checking {s.target} ({s.submission.program.path}, {where})",
            f"rnnspec: conventions: {s.convention_note}; profile "
            f"{s.profile}; call timeout {s.timeout:g} s"]


@pytest.fixture(scope="session")
def rnnspec_session():
    """The implementation under test and the outcomes of its checks."""
    return _session


def pytest_unconfigure(config):
    if _session is not None:
        _session.close()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    from rnnspec import report
    if not _session or not _session.outcomes:
        return
    terminalreporter.write_sep("=", "rnnspec verdict")
    terminalreporter.write_line(report.table(_session))
    path = config.getoption("report_json")
    if path:
        Path(path).write_text(json.dumps(report.as_json(_session), indent=2) + "\n")
        terminalreporter.write_line(f"verdict written to {path}")

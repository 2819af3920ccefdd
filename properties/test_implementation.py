"""The checks of the registry as pytest tests, run against the implementation chosen by --impl."""

from __future__ import annotations

import pytest
from rnnspec.properties.registry import FUNCTIONS, all_checks

from rnnspec.report import reproduction


@pytest.mark.parametrize("function", FUNCTIONS)
def test_present(rnnspec_session, function):
    if function not in rnnspec_session.expected():
        pytest.skip(f"{function} belongs to a cell the submission does not attempt (absent)")
    if not rnnspec_session.present(function):
        pytest.fail(f"{function} is missing: the module defines no callable named {function}; "
                    f"the checks that need it are reported as missing", pytrace=False)


@pytest.mark.parametrize("check_id", list(all_checks()))
def test_check(rnnspec_session, check_id):
    outcome = rnnspec_session.outcome(check_id)
    if outcome.status == "absent":
        pytest.skip(f"absent: {outcome.message}")
    if outcome.status == "missing":
        pytest.skip(f"missing: {outcome.message}")
    if outcome.status == "blocked":
        pytest.skip(f"blocked by {outcome.blocked_by}, which fails: fix that first")
    if outcome.status in ("fail", "not run"):
        text = [f"{check_id}: {outcome.statement}", outcome.message]
        if outcome.traceback:
            text.append(outcome.traceback)
        text.append(f"reproduce: {reproduction(rnnspec_session, outcome)}")
        pytest.fail("\n".join(text), pytrace=False)

"""``Checked``: the implementation under test, called only through its contracts.

Properties never call a submission directly. Every call goes through here, which
1. hands the implementation deep copies, so nothing it does can corrupt the suite's data;
2. calls it in the sandbox (exceptions and hangs become failures of the implementation);
3. reads the return value by the detected convention (a wrong structure breaks ``returns``);
4. checks every contract that applies and raises :class:`ContractViolation` on the first broken one.
So every property also enforces every contract on every example it runs.
"""

from __future__ import annotations

import copy
from typing import Any

from rnnspec.spec.contract import Call, ContractViolation
from rnnspec.spec.contracts import CONTRACTS, changed_between_calls

from rnnspec import sandbox
from rnnspec.convention import Convention

ARGUMENTS = {
    "softmax": ("x",),
    "rnn_cell_forward": ("xt", "a_prev", "parameters"),
    "rnn_forward": ("x", "a0", "parameters"),
    "rnn_cell_backward": ("da_next", "cache"),
    "rnn_backward": ("da", "caches"),
}
GRADIENTS = {
    "rnn_cell_backward": ("dxt", "da_prev", "dWax", "dWaa", "dba"),
    "rnn_backward": ("dx", "da0", "dWax", "dWaa", "dba"),
}


def _outputs(function: str, raw: Any, convention: Convention) -> dict:
    """The return value by documented names, or ContractViolation('returns') saying what came."""
    def wrong(expected: str) -> ContractViolation:
        got = type(raw).__name__
        if isinstance(raw, (tuple, list)):
            got += f" of length {len(raw)}"
        return ContractViolation("returns", function, f"expected {expected}, got {got}")

    if function == "softmax":
        return {"y": raw}
    if function == "rnn_cell_forward":
        names = convention.cell_forward_returns
        if not isinstance(raw, tuple) or len(raw) != len(names):
            raise wrong(f"the tuple ({', '.join(names)}) [{convention.name} convention]")
        outputs = dict(zip(names, raw))
        if "a_next" not in outputs:  # the seed convention returns a_next only inside the cache
            cache = outputs["cache"]
            if not isinstance(cache, tuple) or len(cache) != len(convention.cell_cache):
                raise ContractViolation("returns", function, (
                    f"expected the cache ({', '.join(convention.cell_cache)}), "
                    f"got {type(cache).__name__}" + (f" of length {len(cache)}"
                                                     if isinstance(cache, (tuple, list)) else "")))
            outputs["a_next"] = cache[convention.cell_cache.index("a_next")]
        return outputs
    if function == "rnn_forward":
        if not isinstance(raw, tuple) or len(raw) != 3:
            raise wrong("the tuple (a, y_pred, caches)")
        return dict(zip(("a", "y_pred", "caches"), raw))
    if not isinstance(raw, dict):
        raise wrong(f"a dict with keys {', '.join(GRADIENTS[function])}")
    return dict(raw)


class Checked:
    """The five functions of ``module``, each call checked against ``contracts``.

    ``deterministic=True`` calls each function a second time on fresh copies and requires an
    identical result (no hidden state); the contract runs switch it on, the other properties leave
    it off to halve their cost. ``seen`` counts, per contract id, the calls it was checked on.
    """

    def __init__(self, module, convention: Convention, contracts=None, *,
                 timeout: float = sandbox.DEFAULT_CALL_TIMEOUT, deterministic: bool = False):
        if contracts is None:
            contracts = CONTRACTS
        self.module, self.convention, self.contracts = module, convention, tuple(contracts)
        self.timeout, self.deterministic = timeout, deterministic
        self.seen: dict[str, int] = {}

    def call(self, function: str, *args: Any) -> dict:
        """Call ``function`` with ``args`` and return its outputs by name, all contracts checked."""
        implementation = getattr(self.module, function, None)
        if not callable(implementation):
            raise ContractViolation("present", function, f"the module defines no {function}")
        inputs = dict(zip(ARGUMENTS[function], args))
        handed = copy.deepcopy(inputs)
        raw = sandbox.call(function, implementation, *handed.values(), timeout=self.timeout)
        # What came back may be hostile too (an __eq__ that hangs, a __deepcopy__ that raises):
        # everything done with it runs under the same time limit, and any exception it raises
        # is the implementation's failure.
        return sandbox.call(function, self._judge, function, implementation, inputs, handed, raw,
                            timeout=self.timeout)

    def _judge(self, function: str, implementation, inputs: dict, handed: dict, raw) -> dict:
        record = Call(function, self.convention, inputs, handed,
                      _outputs(function, raw, self.convention), raw)
        for contract in self.contracts:
            if contract.applies_to(function):
                self.seen[contract.id] = self.seen.get(contract.id, 0) + 1
                message = contract.check(record)
                if message:
                    raise ContractViolation(contract.id, function, message, record.outputs)
        if self.deterministic:
            first = copy.deepcopy(record.outputs)  # the second call may overwrite what it returned
            again = sandbox.call(function, implementation, *copy.deepcopy(inputs).values(),
                                 timeout=self.timeout)
            self.seen["deterministic"] = self.seen.get("deterministic", 0) + 1
            where = changed_between_calls(first, _outputs(function, again, self.convention),
                                          self.convention)
            if where:
                raise ContractViolation("deterministic", function,
                                        "a second call with the same inputs returned a different "
                                        "result (hidden state, randomness, or reused buffers): "
                                        f"{where}", record.outputs)
        return record.outputs

    # The five functions by their documented names, for readable properties.
    def softmax(self, x):
        return self.call("softmax", x)["y"]

    def rnn_cell_forward(self, xt, a_prev, parameters) -> dict:
        return self.call("rnn_cell_forward", xt, a_prev, parameters)

    def rnn_forward(self, x, a0, parameters) -> dict:
        return self.call("rnn_forward", x, a0, parameters)

    def rnn_cell_backward(self, da_next, cache) -> dict:
        return self.call("rnn_cell_backward", da_next, cache)

    def rnn_backward(self, da, caches) -> dict:
        return self.call("rnn_backward", da, caches)

    def cell_cache(self, a_prev, a_next, xt, parameters) -> tuple:
        """A cell cache as this implementation's convention orders it, built by the suite."""
        return self.convention.cell_cache_from(a_prev=a_prev, a_next=a_next, xt=xt,
                                               parameters=parameters)

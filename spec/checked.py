"""``Checked``: the implementation under test, called only through its contracts.

Properties never call a submission directly. Every call goes through here, which
1. sends the arguments to the submission's worker, a process of its own, as plain data, so
   nothing it does can reach the suite's data or code;
2. receives plain data back (exceptions, hangs, crashes become failures of the implementation);
3. reads the return value by the detected convention (a wrong structure breaks ``returns``);
4. checks every contract that applies and raises :class:`ContractViolation` on the first broken one.
So every property also enforces every contract on every example it runs.
"""

from __future__ import annotations

from typing import Any

from rnnspec.spec import cells
from rnnspec.spec.cell import ACTIVATION, CELL_FORWARD, FORWARD, Convention, Detected
from rnnspec.spec.contract import Call, ContractViolation
from rnnspec.spec.contracts import CONTRACTS, changed_between_calls, extra_gradient_keys

from rnnspec import sandbox, wire

ARGUMENTS = cells.arguments()
GRADIENTS = cells.gradients()


def _outputs(function: str, raw: Any, convention: Convention) -> dict:
    """The return value by documented names, or ContractViolation('returns') saying what came."""
    def wrong(expected: str) -> ContractViolation:
        got = type(raw).__name__
        if isinstance(raw, (tuple, list)):
            got += f" of length {len(raw)}"
        return ContractViolation("returns", function, f"expected {expected}, got {got}")

    cell = cells.cell_of(function)
    role = cell.role(function)
    if role == ACTIVATION:
        return {"y": raw}
    if role in (CELL_FORWARD, FORWARD):
        names = convention.cell_forward_returns if role == CELL_FORWARD else cell.sequence_returns
        if not isinstance(raw, tuple) or len(raw) != len(names):
            raise wrong(f"the tuple ({', '.join(names)})" + (
                f" [{convention.name} convention]" if len(cell.conventions) > 1 else ""))
        outputs = dict(zip(names, raw))
        if role == CELL_FORWARD and "a_next" not in outputs:  # the seed's a_next is cached only
            cache = outputs["cache"]
            if not isinstance(cache, tuple) or len(cache) != len(convention.cell_cache):
                raise ContractViolation("returns", function, (
                    f"expected the cache ({', '.join(convention.cell_cache)}), "
                    f"got {type(cache).__name__}" + (f" of length {len(cache)}"
                                                     if isinstance(cache, (tuple, list)) else "")))
            outputs["a_next"] = cache[convention.cell_cache.index("a_next")]
        return outputs
    if not isinstance(raw, dict):
        raise wrong(f"a dict with keys {', '.join(GRADIENTS[function])}")
    return dict(raw)


class Checked:
    """The five functions of a submission's worker, each call checked against ``contracts``.

    ``deterministic=True`` has the worker call each function a second time on fresh copies and
    requires an identical result (no hidden state); the contract runs switch it on, the other
    properties leave it off to halve their cost. ``seen`` counts, per contract id, the calls it
    was checked on. ``time_left`` returns the seconds left in the verdict's budget.
    """

    def __init__(self, worker, convention, contracts=None, *,
                 timeout: float = sandbox.DEFAULT_CALL_TIMEOUT, deterministic: bool = False,
                 time_left=None):
        if contracts is None:
            contracts = CONTRACTS + tuple(c for cell in cells.cells() for c in cell.contracts)
        if isinstance(convention, Convention):
            convention = Detected({f: convention for f in cells.functions()}, ())
        self.detected, self.worker, self.contracts = convention, worker, tuple(contracts)
        # The caches the suite builds go to the backward functions: in the order they read.
        backward = [f for cell in cells.cells() for f, role in cell.roles.items()
                    if role == "cell_backward"]
        self.convention = convention.of(backward[0])
        self.timeout, self.deterministic = timeout, deterministic
        self.time_left = time_left or (lambda: float("inf"))
        self.seen: dict[str, int] = {}
        self.extra_keys: dict[str, set] = {}  # backward function -> keys beyond the documented

    def call(self, function: str, *args: Any, keep: str = "") -> dict:
        """Call ``function`` with ``args`` and return its outputs by name, all contracts checked.

        ``keep`` names the result, kept in the worker: :meth:`again` reads it there later."""
        left = self._left()
        inputs = dict(zip(ARGUMENTS[function], args))
        replies = self.worker.call(function, list(args), again=int(self.deterministic),
                                   timeout=min(self.timeout, left), keep=keep)
        raw, handed = replies[0].get("ok"), replies[0].get("handed")
        if replies[0].get("untouched") is True:  # the worker saw its arguments' bytes unchanged
            handed = inputs
        else:
            handed = dict(zip(ARGUMENTS[function], handed)) if isinstance(handed, list) else {}
        return self._judge(function, inputs, handed, raw, replies)

    def again(self, function: str, keep: str, *args: Any) -> dict:
        """The result of an earlier call with ``args``, kept as ``keep``, as it is now: after
        the calls made since, it must still keep every contract for those arguments (a cache
        that a later call rewrites breaks them)."""
        raw = self.worker.fetch(function, keep, timeout=min(self.timeout, self._left()))
        inputs = dict(zip(ARGUMENTS[function], args))
        return self._judge(function, inputs, inputs, raw, [{"ok": raw}])

    def _left(self) -> float:
        left = self.time_left()
        if left <= 0:
            raise sandbox.OutOfBudget()
        return left

    def _judge(self, function: str, inputs: dict, handed: dict, raw, replies: list) -> dict:
        opaque = _first_opaque(raw)
        if opaque:
            raise ContractViolation("plain_data", function, (
                f"{opaque[0] or 'the returned value'} is {opaque[1].what}; only plain numpy "
                f"arrays, dicts, lists, tuples, numbers and strings are judged"))
        convention = self.detected.of(function)
        record = Call(function, convention, inputs, handed,
                      _outputs(function, raw, convention), raw)
        extra = extra_gradient_keys(record)
        if extra:
            self.extra_keys.setdefault(function, set()).update(map(str, extra))
        for contract in self.contracts:
            if contract.applies_to(function):
                self.seen[contract.id] = self.seen.get(contract.id, 0) + 1
                message = contract.check(record)
                if message:
                    raise ContractViolation(contract.id, function, message, record.outputs)
        if self.deterministic and len(replies) > 1:
            again = replies[1].get("ok")
            self.seen["deterministic"] = self.seen.get("deterministic", 0) + 1
            where = changed_between_calls(record.outputs,
                                          _outputs(function, again, convention), convention)
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


def _first_opaque(value, path: str = "", depth: int = 0):
    """(path, Opaque) for the first value the worker could only describe, or None."""
    if isinstance(value, wire.Opaque):
        return path, value
    if depth > wire.MAX_DEPTH:
        return None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, (list, tuple)):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        found = _first_opaque(item, f"{path}[{key!r}]" if path else f"[{key!r}]", depth + 1)
        if found:
            return found
    return None

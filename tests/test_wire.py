"""What crosses the boundary: plain data round-trips exactly; any bytes at all decode to plain
data or a ProtocolError, never anything else (the judge reads what a hostile worker sends)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from rnnspec import wire

arrays = hnp.arrays(dtype=st.sampled_from(["<f8", "<f4", "<i8", "|b1", "<c16", ">f8", "<u2"]),
                    shape=hnp.array_shapes(min_dims=0, max_dims=3, max_side=4))
plain = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5) | arrays,
    lambda inner: st.lists(inner, max_size=3) | st.tuples(inner, inner)
    | st.dictionaries(st.text(max_size=3), inner, max_size=3), max_leaves=10)


def same(a, b) -> bool:
    if isinstance(a, np.ndarray):
        return (type(b) is np.ndarray and a.dtype == b.dtype and a.shape == b.shape
                and a.tobytes() == b.tobytes())
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, float) and a != a:
        return isinstance(b, float) and b != b
    return type(a) is type(b) and a == b


@settings(max_examples=200, deadline=None)
@given(plain)
def test_plain_data_round_trips_exactly(value):
    assert same(value, wire.decode(wire.encode(value)))


def test_shared_objects_arrive_shared_and_cycles_survive():
    parameters = {"Wax": np.ones((2, 2))}
    a = np.zeros(3)
    cycle: list = []
    cycle.append(cycle)
    back = wire.decode(wire.encode(([(a, parameters), (a, parameters)], cycle)))
    (first, second), loop = back
    assert first[0] is second[0] and first[1] is second[1] and loop[0] is loop


@pytest.mark.parametrize("value, says", [
    (np.ma.masked_array([1.0]), "MaskedArray"), (np.array([None]), "dtype object"),
    ((i for i in ()), "a generator"), (object(), "an object"),
])
def test_anything_else_arrives_described(value, says):
    opaque = wire.decode(wire.encode(value))
    assert isinstance(opaque, wire.Opaque) and says in opaque.what


@settings(max_examples=300, deadline=None)
@given(plain, st.data())
def test_corrupted_messages_decode_to_plain_data_or_a_protocol_error(value, data):
    message = bytearray(wire.encode(value))
    for _ in range(data.draw(st.integers(1, 4))):
        message[data.draw(st.integers(0, len(message) - 1))] = data.draw(st.integers(0, 255))
    assert_plain_or_refused(bytes(message))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_decode_to_plain_data_or_a_protocol_error(junk):
    assert_plain_or_refused(junk)


PLAIN = (type(None), bool, int, float, complex, str, np.ndarray, np.generic, wire.Opaque)


def assert_plain_or_refused(message: bytes) -> None:
    try:
        value = wire.decode(message)
    except wire.ProtocolError:
        return
    seen, stack = set(), [value]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        else:
            assert isinstance(item, PLAIN), type(item)
            if isinstance(item, np.ndarray):
                assert type(item) is np.ndarray and item.dtype.kind in "biufc"

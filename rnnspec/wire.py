"""The only things that cross between the judge and a submission's worker: plain data, as bytes.

A message is a JSON tree plus raw array buffers, behind a length prefix. Arrays travel as dtype,
shape and bytes of a plain ``numpy.ndarray`` of booleans or numbers; dicts, lists, tuples, strings,
numbers and None as themselves. Anything else (an ndarray subclass, a masked array, an object
array, a generator, a class instance) is described in words and arrives as :class:`Opaque`, which
the judge treats as a broken contract of that call. Objects reached twice in one message (the
parameters dict every cache holds, the a_next that is the next step's a_prev) are sent once and
arrive shared, so aliasing survives the crossing.

No pickle anywhere: decoding only ever builds those plain types, and every length, dtype and
shape is checked against the bytes that came, so a hostile worker can send only wrong data, never
code. The worker runs this same file (copied beside ``worker.py``), without the rest of rnnspec.
"""

from __future__ import annotations

import json
import math
import operator
import os
import re
import struct

import numpy as np

MAX_MESSAGE = 1 << 28  # bytes; past it the message is refused (the worker's memory is capped too)
MAX_DEPTH = 64  # nesting levels; deeper values are described, not sent
_PREFIX = struct.Struct("<QI")  # whole message length, JSON header length
_DTYPE = re.compile(r"^[<>|=]?[biufc]\d{1,2}$")
_JSON = json.JSONEncoder(separators=(",", ":"))  # json.dumps(..., separators=(",", ":"))


class ProtocolError(Exception):
    """The bytes that came are not a well-formed message."""


class Opaque:
    """A value the worker could not send as data: ``what`` says what it was, e.g. "a generator"."""

    def __init__(self, what: str):
        self.what = what

    def __repr__(self) -> str:
        return f"<{self.what}>"


def describe(value) -> str:
    """What a value is, for a student: "a numpy.ndarray subclass MyArray", "a generator"."""
    kind = type(value)
    name = kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"
    if isinstance(value, np.ndarray):
        if kind is np.ndarray:
            return f"a numpy array of dtype {value.dtype}"
        return f"a numpy.ndarray subclass {name}, not a plain numpy.ndarray"
    return f"{'an' if name[:1] in 'aeiou' else 'a'} {name}"


# --- encoding (in the worker) ----------------------------------------------------------------

def encode(value) -> bytes:
    """``value`` as one message: prefix, JSON header, then the array buffers."""
    buffers: list = []
    memo: dict = {}
    keep: list = []  # the objects in memo stay alive, so that no id is reused meanwhile
    tree = _encode(value, buffers, memo, keep, 0)
    offsets, position = [], 0
    for buffer in buffers:
        offsets.append(position)
        position += len(buffer)
    header = _JSON.encode({"v": tree, "b": offsets}).encode()
    total = _PREFIX.size + len(header) + position
    if total > MAX_MESSAGE:
        header = json.dumps({"v": {"$x": f"a value of {total} bytes, over the limit of "
                                        f"{MAX_MESSAGE} bytes"}, "b": []}).encode()
        buffers, total = [], _PREFIX.size + len(header)
    return b"".join([_PREFIX.pack(total, len(header)), header, *buffers])


def _encode(value, buffers, memo, keep, depth):
    if value is None or type(value) in (bool, str):
        return value
    if type(value) is int:
        return value if abs(value) < 2**53 else {"$i": str(value)}
    if type(value) is float:
        return value if math.isfinite(value) else {"$f": repr(value)}
    if type(value) is complex:
        return {"$c": [repr(value.real), repr(value.imag)]}
    if depth > MAX_DEPTH:
        return {"$x": f"a value nested deeper than {MAX_DEPTH} levels"}
    if id(value) in memo:
        return {"$r": memo[id(value)]}
    if type(value) is np.ndarray and value.dtype.kind in "biufc":  # the common case, first
        number = memo[id(value)] = len(memo)
        keep.append(value)
        buffers.append(value.tobytes())  # C order, whatever the array's layout
        return {"$a": len(buffers) - 1, "d": value.dtype.str, "s": list(value.shape),
                "#": number}
    if isinstance(value, np.generic) and value.dtype.kind in "biufc":
        return {"$s": _buffer(np.asarray(value), buffers), "d": value.dtype.str}
    if isinstance(value, np.ndarray):
        if type(value) is not np.ndarray or value.dtype.kind not in "biufc":
            return {"$x": describe(value)}
        number = memo[id(value)] = len(memo)
        keep.append(value)
        return {"$a": _buffer(value, buffers), "d": value.dtype.str, "s": list(value.shape),
                "#": number}
    if type(value) in (list, tuple) or isinstance(value, tuple) and hasattr(value, "_fields"):
        number = memo[id(value)] = len(memo)
        keep.append(value)
        items = [_encode(item, buffers, memo, keep, depth + 1) for item in value]
        return {"$l" if type(value) is list else "$t": items, "#": number}
    if type(value) is dict:
        number = memo[id(value)] = len(memo)
        keep.append(value)
        pairs = [[k if type(k) is str else _encode(k, buffers, memo, keep, depth + 1),
                  _encode(v, buffers, memo, keep, depth + 1)] for k, v in value.items()]
        return {"$d": pairs, "#": number}
    return {"$x": describe(value)}


def _buffer(array: np.ndarray, buffers: list) -> int:
    buffers.append(array.tobytes())  # C order, whatever the array's layout
    return len(buffers) - 1


# --- decoding (in the judge) -----------------------------------------------------------------

def decode(message: bytes):
    """The value a message holds; ProtocolError if it is not well-formed in every detail."""
    if len(message) < _PREFIX.size:
        raise ProtocolError(f"a message of {len(message)} bytes, shorter than its prefix")
    total, header_length = _PREFIX.unpack_from(message)
    if total != len(message) or _PREFIX.size + header_length > total:
        raise ProtocolError("a message whose lengths do not add up")
    try:
        header = json.loads(message[_PREFIX.size:_PREFIX.size + header_length])
        tree, offsets = header["v"], header["b"]
    except (ValueError, KeyError, TypeError):
        raise ProtocolError("a message whose header is not the expected JSON") from None
    body = memoryview(message)[_PREFIX.size + header_length:]
    if type(offsets) is not list or not all(type(o) is int for o in offsets):
        raise ProtocolError("a message with malformed buffer offsets")
    # 0 <= offsets[0] <= offsets[1] <= ... <= len(body): each buffer runs to the next one's start
    if not all(map(operator.le, [0, *offsets], [*offsets, len(body)])):
        raise ProtocolError("a message with buffer offsets out of range")
    buffers = [body[start:end] for start, end in zip(offsets, offsets[1:] + [len(body)])]
    return _decode(tree, buffers, {}, 0)


def _decode(tree, buffers, memo, depth):
    if depth > MAX_DEPTH + 2:
        raise ProtocolError("a message nested too deeply")
    kind = type(tree)
    if tree is None or kind is bool or kind is int or kind is float or kind is str:
        return tree
    if kind is not dict or len(tree) not in (1, 2, 3, 4):
        raise ProtocolError(f"a malformed value in a message ({kind.__name__})")
    try:
        if "$r" in tree:
            return memo[tree["$r"]]
        # The shapes the encoder writes, first: exactly these keys, so no marker that takes
        # precedence below ($i, $f, $c, $x, $s before $a; those and $a before $l, $t, $d) is
        # there, and the value is what the full chain below would make of it.
        if len(tree) == 4:
            if "$a" in tree and "d" in tree and "s" in tree and "#" in tree:
                return _remember(memo, tree, _array(buffers, tree["$a"], tree["d"], tree["s"]))
        elif len(tree) == 2 and "#" in tree:
            if "$t" in tree:
                return _remember(memo, tree, _tuple(tree["$t"], buffers, memo, depth))
            if "$d" in tree:
                return _dict(tree["$d"], _remember(memo, tree, {}), buffers, memo, depth)
            if "$l" in tree:
                return _items(tree["$l"], _remember(memo, tree, []), buffers, memo, depth)
        if "$i" in tree:
            return int(_text(tree["$i"]))
        if "$f" in tree:
            return float(_text(tree["$f"]))
        if "$c" in tree:
            real, imag = tree["$c"]
            return complex(float(_text(real)), float(_text(imag)))
        if "$x" in tree:
            return Opaque(_text(tree["$x"]))
        if "$s" in tree:
            return _array(buffers, tree["$s"], tree["d"], [])[()]
        if "$a" in tree:
            array = _array(buffers, tree["$a"], tree["d"], tree["s"])
            return _remember(memo, tree, array)
        if "$l" in tree:
            return _items(tree["$l"], _remember(memo, tree, []), buffers, memo, depth)
        if "$t" in tree:
            return _remember(memo, tree, _tuple(tree["$t"], buffers, memo, depth))
        if "$d" in tree:
            return _dict(tree["$d"], _remember(memo, tree, {}), buffers, memo, depth)
    except (KeyError, ValueError, TypeError, IndexError, OverflowError):
        raise ProtocolError("a malformed value in a message") from None
    raise ProtocolError("a value of unknown kind in a message")


def _items(trees, items: list, buffers, memo, depth) -> list:
    """``items`` (already remembered, so that it may hold itself) filled from ``trees``."""
    for item in _list(trees):
        items.append(_decode(item, buffers, memo, depth + 1))
    return items


def _tuple(trees, buffers, memo, depth) -> tuple:
    return tuple([_decode(item, buffers, memo, depth + 1) for item in _list(trees)])


def _dict(pairs, mapping: dict, buffers, memo, depth) -> dict:
    for pair in _list(pairs):
        key, value = _list(pair)
        if type(key) is not str:  # a text key is itself (too deep, the value says so next)
            key = _decode(key, buffers, memo, depth + 1)
        if not isinstance(key, (str, int, float, bool, tuple, type(None))):
            raise ProtocolError("a dict key that is not a plain value")
        mapping[key] = _decode(value, buffers, memo, depth + 1)
    return mapping


def _text(value) -> str:
    if type(value) is not str or len(value) > 10_000:
        raise ProtocolError("a malformed text in a message")
    return value


def _list(value) -> list:
    if type(value) is not list:
        raise ProtocolError("a malformed list in a message")
    return value


def _remember(memo: dict, tree: dict, value):
    number = tree.get("#")
    if number is not None:
        if type(number) is not int or number in memo:
            raise ProtocolError("a malformed reference in a message")
        memo[number] = value
    return value


# The dtype texts already found valid, each with its dtype: at most a few thousand texts match
# _DTYPE, so this stays small whatever a worker sends.
_DTYPES: dict = {}


def _array(buffers, index, dtype, shape) -> np.ndarray:
    if type(index) is not int or not 0 <= index < len(buffers):
        raise ProtocolError("an array whose buffer is missing")
    kind = _DTYPES.get(dtype) if type(dtype) is str else None
    if kind is None and (type(dtype) is not str or not _DTYPE.match(dtype)):
        raise ProtocolError(f"an array of a dtype that is not plain numbers: {dtype!r:.40}")
    if type(shape) is not list or len(shape) > 32:
        raise ProtocolError("an array with a malformed shape")
    for n in shape:
        if type(n) is not int or n < 0:
            raise ProtocolError("an array with a malformed shape")
    if kind is None:
        kind = _DTYPES[dtype] = np.dtype(dtype)  # TypeError for "f3": a malformed value
    buffer = buffers[index]
    if len(buffer) != math.prod(shape) * kind.itemsize:
        raise ProtocolError(f"an array of shape {tuple(shape)} and dtype {kind} whose buffer has "
                            f"{len(buffer)} bytes")
    if len(buffer):  # every size at most the buffer's length: the array is the buffer's bytes
        return np.ndarray(shape, kind, buffer).copy()
    return np.frombuffer(buffer, dtype=kind).reshape(shape).copy()


# --- framing over a file descriptor ----------------------------------------------------------

def send(fd: int, message: bytes) -> None:
    view = memoryview(message)
    while view:
        view = view[os.write(fd, view):]


def read_exactly(fd: int, count: int, wait=None) -> bytes:
    """``count`` bytes from ``fd``; ``wait(fd)`` is called before each read (for time limits).

    EOFError when the other side closes first.
    """
    chunks, missing = [], count
    while missing:
        if wait is not None:
            wait(fd)
        chunk = os.read(fd, min(missing, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def receive(fd: int, wait=None) -> bytes:
    """One whole message from ``fd``, its length checked before anything else is read."""
    prefix = read_exactly(fd, _PREFIX.size, wait)
    total, _ = _PREFIX.unpack(prefix)
    if not _PREFIX.size <= total <= MAX_MESSAGE:
        raise ProtocolError(f"a message announcing {total} bytes")
    return prefix + read_exactly(fd, total - _PREFIX.size, wait)

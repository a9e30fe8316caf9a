"""Transcript options for other halo2 generations: the point encoding of the proof bytes and how the
identity is absorbed (Scroll: as (0, 5)), against hashlib with halo2's prefixes."""

import hashlib

import numpy as np
import pytest
from py_ecc import optimized_bn128 as bn

from halo2py.arith.constants import FR_MODULUS as R
from halo2py.curve.points import G1
from halo2py.transcript import SCROLL_IDENTITY, Blake2bRead, Blake2bWrite, TranscriptError

IDENTITY = np.zeros(8, dtype=np.uint64)


def ref_absorb_point(state, x: int, y: int) -> None:
    state.update(b"\x01" + x.to_bytes(32, "little") + y.to_bytes(32, "little"))


def ref_challenge(state) -> int:
    state.update(b"\x00")
    return int.from_bytes(state.copy().digest(), "little") % R


def ref_state():
    return hashlib.blake2b(digest_size=64, person=b"Halo2-Transcript")


@pytest.mark.parametrize("encoding, identity_bytes", [
    ("legacy", bytes(32)), ("v0.4", bytes(31) + b"\x80"), ("v0.7", bytes(31) + b"\x40"),
])
def test_scroll_identity_is_absorbed_as_0_5(encoding, identity_bytes):
    x, y = (int(c) for c in bn.normalize(bn.multiply(bn.G1, 12345)))
    point = G1.from_ints(x, y)
    ref = ref_state()
    ref_absorb_point(ref, 0, 5)
    ref_absorb_point(ref, x, y)
    expected = ref_challenge(ref)

    w = Blake2bWrite(encoding, identity_as=SCROLL_IDENTITY)
    w.write_point(IDENTITY)
    w.write_point(point)
    assert w.squeeze_challenge() == expected
    assert w.proof_bytes[:32] == identity_bytes

    r = Blake2bRead(w.proof_bytes, encoding, identity_as=SCROLL_IDENTITY)
    assert not r.read_point().any()
    assert np.array_equal(r.read_point(), point)
    assert r.squeeze_challenge() == expected
    r.assert_exhausted()

    common = Blake2bRead(b"", encoding, identity_as=SCROLL_IDENTITY)
    common.common_point(IDENTITY)
    common.common_point(point)
    assert common.squeeze_challenge() == expected


def test_default_refuses_the_identity_as_before():
    with pytest.raises(ValueError, match="point at infinity"):
        Blake2bWrite().write_point(IDENTITY)
    with pytest.raises(ValueError, match="point at infinity"):
        Blake2bWrite("legacy").common_point(IDENTITY)
    with pytest.raises(TranscriptError, match="byte 0: the point at infinity"):
        Blake2bRead(bytes(31) + b"\x40").read_point()
    with pytest.raises(TranscriptError, match="byte 0: the point at infinity"):
        Blake2bRead(bytes(32), "legacy").read_point()


def test_encoding_changes_bytes_not_absorption():
    """An odd-y point: the flag sits in bit 7 (legacy, v0.7) or bit 6 (v0.4); the state is the same."""
    k = 1
    while int(bn.normalize(bn.multiply(bn.G1, k))[1]) % 2 == 0:
        k += 1
    x, y = (int(c) for c in bn.normalize(bn.multiply(bn.G1, k)))
    writers = {e: Blake2bWrite(e) for e in ("legacy", "v0.4", "v0.7")}
    for w in writers.values():
        w.write_point(G1.from_ints(x, y))
    x_bytes = x.to_bytes(32, "little")
    assert writers["legacy"].proof_bytes == writers["v0.7"].proof_bytes == x_bytes[:31] + bytes([x_bytes[31] | 0x80])
    assert writers["v0.4"].proof_bytes == x_bytes[:31] + bytes([x_bytes[31] | 0x40])
    assert len({w.squeeze_challenge() for w in writers.values()}) == 1
    with pytest.raises(TranscriptError, match="byte 0: invalid point|invalid point in proof at byte 0"):
        Blake2bRead(writers["v0.4"].proof_bytes, "legacy").read_point()  # bit 6 makes x non-canonical

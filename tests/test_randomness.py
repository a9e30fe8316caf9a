"""Blinding scalars from a byte stream: the kernel path against halo2's F::random over Python ints
(64 little-endian bytes mod r), and the seeded stream's bytes independent of how it is drawn."""

import pytest

from halo2py.arith.constants import FR_MODULUS as R
from halo2py.arith.field import Fr
from halo2py.randomness import UniformScalars, seeded_rng


def _reference(data: bytes) -> list:
    return [int.from_bytes(data[i:i + 64], "little") % R for i in range(0, len(data), 64)]


@pytest.mark.parametrize("count", [1, 3, 7, 8, 9, 100, 3001])
def test_scalars_are_64_bytes_mod_r(count):
    got = UniformScalars(seeded_rng(count, "scalars")).scalars(count)
    assert Fr.to_ints(got) == _reference(seeded_rng(count, "scalars")(64 * count))


@pytest.mark.parametrize("value", [0, 1, R - 1, R, 5 * R, 2**256 - 1, (2**256 - 1) << 256, 2**512 - 1,
                                   (R - 1) * 2**256 + R])
def test_scalars_reduce_extreme_halves(value):
    source = UniformScalars(lambda nbytes: value.to_bytes(64, "little") * (nbytes // 64))
    assert Fr.to_ints(source.scalars(9)) == [value % R] * 9


def test_seeded_stream_is_the_same_in_any_draw_sizes():
    whole = seeded_rng(7, "d")(200_000)
    parts = seeded_rng(7, "d")
    sizes = [1, 65535, 2, 70000, 64000, 407]
    assert b"".join(parts(s) for s in sizes) == whole[:sum(sizes)]

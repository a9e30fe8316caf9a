"""Scalar sources: halo2's test RNG (rand_xorshift + ``F::random``) against the u64 values of the
vectors README and against Rust's blinded lookup commitments; the OS source's shape and range."""

import halo2_vectors as hv
import numpy as np
import pytest

from halo2py.arith.constants import FR_MODULUS as R
from halo2py.arith.field import Fr
from halo2py.commitment.kzg import commit_lagrange
from halo2py.commitment.params import ParamsKZG
from halo2py.curve.points import G1
from halo2py.errors import InputError
from halo2py.randomness import (
    HALO2_TEST_SEED,
    UNSAFE_XORSHIFT_WARNING,
    UniformScalars,
    XorShiftScalars,
    seeded_rng,
)


def test_first_u64_values_from_halo2s_seed():
    assert HALO2_TEST_SEED.hex() == hv.load("simple-simple-shplonk")["xorshift_seed"]
    rng = XorShiftScalars(HALO2_TEST_SEED)
    assert [rng.next_u64() for _ in range(3)] == [5719644765813611536, 14305956443231340292, 3482677072762842571]


def test_u64_is_low_then_high_u32():
    a, b = XorShiftScalars(), XorShiftScalars()
    for _ in range(5):
        low, high = a.next_u32(), a.next_u32()
        assert b.next_u64() == low | (high << 32)


def test_scalar_is_eight_u64_little_endian_mod_r():
    a, b = XorShiftScalars(), XorShiftScalars()
    words = [b.next_u64() for _ in range(8)]
    wide = sum(w << (64 * i) for i, w in enumerate(words))
    assert wide >= R  # a 512-bit draw: the reduction matters
    assert a.scalar() == wide % R
    vector = XorShiftScalars().scalars(3)
    assert vector.shape == (3, 4) and vector.dtype == np.uint64
    assert Fr.to_ints(vector)[0] == wide % R


def test_zero_seed_uses_rand_xorshifts_preset():
    zero, preset = XorShiftScalars(bytes(16)), XorShiftScalars((0x0BAD5EED).to_bytes(4, "little") * 4)
    assert [zero.next_u32() for _ in range(4)] == [preset.next_u32() for _ in range(4)]
    with pytest.raises(InputError, match="16 bytes"):
        XorShiftScalars(b"short")
    assert UNSAFE_XORSHIFT_WARNING.startswith("UNSAFE")


@pytest.mark.parametrize("copy, first_draw", [(0, 2), (1, 16)])
def test_draws_reproduce_rusts_permuted_input_commitment(copy, first_draw):
    """simple_lookup (README §4.2, §5.10): the permuted input A′ is the 26 usable input values sorted
    (q·a0 + 1 − q: r mod 8 + 1 on rows 0–15, 1 on rows 16–25) and 6 random rows. Draws 0, 1 are the
    two copies' unused advice blinds; each copy then draws A′ (6), S′ (6) and 2 unused blinds."""
    data = hv.load("simple_lookup-simple-shplonk")
    rng = XorShiftScalars(bytes.fromhex(data["xorshift_seed"]))
    draws = [rng.scalar() for _ in range(first_draw + 6)]
    column = sorted([r % 8 + 1 for r in range(16)] + [1] * 10) + draws[first_draw:]
    got = commit_lagrange(ParamsKZG.setup_with_secret(data["k"], 2), Fr.from_ints(column))
    expected = tuple(hv.ints(data["commitments"]["lookup_permuted_input"][copy][0]))
    assert G1.to_ints(got.reshape(1, 8))[0] == expected


def test_uniform_scalars_are_canonical_and_reproducible():
    values = UniformScalars().scalars(64)
    assert values.shape == (64, 4) and values.dtype == np.uint64
    ints = Fr.to_ints(values)
    assert all(0 <= v < R for v in ints) and len(set(ints)) == 64
    a, b = UniformScalars(seeded_rng(3, "blind")), UniformScalars(seeded_rng(3, "blind"))
    assert np.array_equal(a.scalars(5), b.scalars(5))
    data = seeded_rng(3, "blind")(64)
    assert Fr.to_ints(UniformScalars(seeded_rng(3, "blind")).scalars(1))[0] == int.from_bytes(data, "little") % R

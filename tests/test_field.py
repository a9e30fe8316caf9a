"""Fr and Fq vector operations against Python integer arithmetic mod p."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from halo2py.arith.constants import FQ_MODULUS, FR_MODULUS
from halo2py.arith.field import FieldError, Fq, Fr
from halo2py.randomness import seeded_rng

FIELDS = [pytest.param(Fr, id="Fr"), pytest.param(Fq, id="Fq")]


def elements(p):
    """Field elements with the edge values drawn often."""
    return st.one_of(st.sampled_from([0, 1, 2, p - 1, p - 2, (p - 1) // 2]), st.integers(0, p - 1))


def vectors(p, min_size=1, max_size=40):
    return st.lists(elements(p), min_size=min_size, max_size=max_size)


def pairs(p):
    return st.integers(1, 40).flatmap(
        lambda n: st.tuples(vectors(p, n, n), vectors(p, n, n)))


@pytest.mark.parametrize("field", FIELDS)
class TestArithmetic:
    @given(data=st.data())
    def test_binary_ops(self, field, data):
        p = field.modulus
        xs, ys = data.draw(pairs(p))
        a, b = field.from_ints(xs), field.from_ints(ys)
        assert field.to_ints(field.add(a, b)) == [(x + y) % p for x, y in zip(xs, ys)]
        assert field.to_ints(field.sub(a, b)) == [(x - y) % p for x, y in zip(xs, ys)]
        assert field.to_ints(field.mul(a, b)) == [x * y % p for x, y in zip(xs, ys)]
        assert field.eq(a, b).tolist() == [x == y for x, y in zip(xs, ys)]

    @given(data=st.data())
    def test_unary_ops(self, field, data):
        p = field.modulus
        xs = data.draw(vectors(p))
        s = data.draw(st.one_of(elements(p), st.integers(-(1 << 300), 1 << 300)))
        a = field.from_ints(xs)
        assert field.to_ints(field.neg(a)) == [-x % p for x in xs]
        assert field.to_ints(field.square(a)) == [x * x % p for x in xs]
        assert field.to_ints(field.scale(a, s)) == [x * s % p for x in xs]

    @given(data=st.data())
    def test_pow(self, field, data):
        p = field.modulus
        xs = data.draw(vectors(p))
        e = data.draw(st.one_of(st.sampled_from([0, 1, 2, p - 1, p - 2, p, 1 << 256, (p - 1) << 3]),
                                st.integers(0, 1 << 300)))
        got = field.to_ints(field.pow(field.from_ints(xs), e))
        assert got == [pow(x, e, p) for x in xs]

    @given(data=st.data())
    def test_pow_negative_exponent(self, field, data):
        p = field.modulus
        xs = data.draw(st.lists(st.integers(1, p - 1), min_size=1, max_size=20))
        e = data.draw(st.integers(1, 1 << 260))
        assert field.to_ints(field.pow(field.from_ints(xs), -e)) == [pow(x, -e, p) for x in xs]

    @given(data=st.data())
    def test_batch_inverse_maps_zero_to_zero(self, field, data):
        p = field.modulus
        xs = data.draw(vectors(p, max_size=60))
        want = [pow(x, -1, p) if x else 0 for x in xs]
        a = field.from_ints(xs)
        assert field.to_ints(field.batch_inverse(a)) == want
        chunks = data.draw(st.integers(1, 80))  # more chunks than elements is allowed
        assert field.to_ints(field.batch_inverse(a, chunks=chunks)) == want
        assert field.to_ints(a) == xs  # the input is untouched
        field.batch_inverse(a, out=a)  # in place
        assert field.to_ints(a) == want

    def test_batch_inverse_many_chunks(self, field):
        p = field.modulus
        rng = seeded_rng(1, "batch")
        a = field.random(5000, rng)
        a[::7] = 0
        xs = field.to_ints(a)
        assert field.to_ints(field.batch_inverse(a)) == [pow(x, -1, p) if x else 0 for x in xs]

    def test_ops_accept_aliased_output(self, field):
        p = field.modulus
        xs = field.to_ints(field.random(50, seeded_rng(2)))
        ys = field.to_ints(field.random(50, seeded_rng(3)))
        a, b = field.from_ints(xs), field.from_ints(ys)
        field.mul(a, b, out=a)
        assert field.to_ints(a) == [x * y % p for x, y in zip(xs, ys)]
        field.sub(a, b, out=b)
        assert field.to_ints(b) == [(x * y - y) % p for x, y in zip(xs, ys)]

    def test_inverse_scalar(self, field):
        p = field.modulus
        assert field.inverse(p - 1) == p - 1
        assert field.inverse(3) * 3 % p == 1
        with pytest.raises(ZeroDivisionError):
            field.inverse(p)


@pytest.mark.parametrize("field", FIELDS)
class TestRepresentation:
    @given(data=st.data())
    def test_montgomery_limbs(self, field, data):
        """Rows hold x·2^256 mod p in little-endian limbs: halo2's in-memory (raw) format."""
        p = field.modulus
        xs = data.draw(vectors(p))
        a = field.from_ints(xs)
        raw = [sum(int(a[i, j]) << (64 * j) for j in range(4)) for i in range(len(xs))]
        assert raw == [(x << 256) % p for x in xs]
        canon = field.from_montgomery(a)
        assert [sum(int(canon[i, j]) << (64 * j) for j in range(4)) for i in range(len(xs))] == xs
        assert (field.to_montgomery(canon) == a).all()
        for x in xs[:3]:
            assert field.from_mont(field.to_mont(x)) == x
            assert tuple(int(v) for v in field.to_mont(x)) == tuple(int(v) for v in a[xs.index(x)])

    @given(data=st.data())
    def test_bytes_round_trip(self, field, data):
        p = field.modulus
        xs = data.draw(vectors(p))
        encoded = field.to_bytes(field.from_ints(xs))
        assert encoded == b"".join(x.to_bytes(32, "little") for x in xs)
        assert field.to_ints(field.from_bytes(encoded)) == xs

    @pytest.mark.parametrize("value", ["p", "p+1", "2^256-1", "2^255"])
    def test_from_bytes_rejects_non_canonical(self, field, value):
        p = field.modulus
        bad = {"p": p, "p+1": p + 1, "2^256-1": (1 << 256) - 1, "2^255": 1 << 255}[value]
        data = (5).to_bytes(32, "little") + bad.to_bytes(32, "little")
        with pytest.raises(FieldError, match="index 1"):
            field.from_bytes(data)

    @pytest.mark.parametrize("length", [1, 31, 33, 65])
    def test_from_bytes_rejects_wrong_length(self, field, length):
        with pytest.raises(FieldError, match="multiple of 32"):
            field.from_bytes(b"\x01" * length)

    def test_from_bytes_rejects_non_bytes(self, field):
        with pytest.raises(FieldError, match="bytes"):
            field.from_bytes("00" * 32)

    def test_from_ints_reduces(self, field):
        p = field.modulus
        assert field.to_ints(field.from_ints([p, p + 5, -1, 3 * p - 2])) == [0, 5, p - 1, p - 2]

    def test_constant_vectors(self, field):
        assert field.to_ints(field.ones(3)) == [1, 1, 1]
        assert field.to_ints(field.zeros(2)) == [0, 0]


@pytest.mark.parametrize("field", FIELDS)
class TestShapeChecks:
    @pytest.mark.parametrize("bad", [
        np.zeros((3, 3), dtype=np.uint64),
        np.zeros(4, dtype=np.uint64),
        np.zeros((2, 4, 1), dtype=np.uint64),
        np.zeros((3, 4), dtype=np.int64),
        np.zeros((3, 4), dtype=np.float64),
        np.zeros((3, 4), dtype=">u8"),
        [[0, 0, 0, 0]],
    ], ids=["cols3", "1d", "3d", "int64", "float", "bigendian", "list"])
    def test_rejects_bad_arrays(self, field, bad):
        good = field.ones(3)
        with pytest.raises(FieldError, match=r"shape \(n, 4\)"):
            field.neg(bad)
        with pytest.raises(FieldError):
            field.add(good, bad)
        with pytest.raises(FieldError):
            field.mul(good, good, out=bad)

    def test_rejects_mismatched_shapes(self, field):
        with pytest.raises(FieldError, match="differ in shape"):
            field.add(field.ones(3), field.ones(4))
        with pytest.raises(FieldError, match="output shape"):
            field.square(field.ones(3), out=field.ones(2))

    def test_field_error_is_input_error(self, field):
        from halo2py.errors import InputError

        assert issubclass(FieldError, InputError)


@pytest.mark.parametrize("field", FIELDS)
class TestRandom:
    def test_canonical_and_distinct(self, field):
        a = field.random(2000)
        canon = field.from_montgomery(a)
        xs = field.to_ints(a)
        assert all(0 <= x < field.modulus for x in xs)
        raw = [sum(int(a[i, j]) << (64 * j) for j in range(4)) for i in range(len(xs))]
        assert all(v < field.modulus for v in raw)
        assert len(set(xs)) == len(xs)
        assert canon.shape == (2000, 4)

    def test_deterministic_rng(self, field):
        a = field.random(100, seeded_rng(7, "t"))
        b = field.random(100, seeded_rng(7, "t"))
        c = field.random(100, seeded_rng(8, "t"))
        assert (a == b).all()
        assert not (a == c).all(axis=1).any()

    def test_rejection_sampling(self, field):
        """Candidates ≥ p are redrawn, not reduced (reduction would bias the distribution)."""
        calls = []

        def rng(nbytes):
            calls.append(nbytes)
            if len(calls) == 1:
                return b"\xff" * nbytes  # masks to 2^254 − 1 ≥ p: every candidate is rejected
            return b"".join((i + 1).to_bytes(32, "little") for i in range(nbytes // 32))

        a = field.random(3, rng)
        assert [sum(int(a[i, j]) << (64 * j) for j in range(4)) for i in range(3)] == [1, 2, 3]
        assert calls == [96, 96]

    def test_empty(self, field):
        assert field.random(0).shape == (0, 4)

    def test_rejects_negative_count(self, field):
        with pytest.raises(FieldError):
            field.random(-1)


def test_moduli_are_bn254():
    assert Fr.modulus == FR_MODULUS
    assert Fq.modulus == FQ_MODULUS
    assert pow(7, (FR_MODULUS - 1) // 2, FR_MODULUS) == FR_MODULUS - 1  # 7 is a non-residue

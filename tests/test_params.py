"""ParamsKZG: setup against py_ecc, and the halo2 file format against files built byte by byte
here from Python ints and py_ecc points (independently of halo2py's encoders)."""

import functools
import struct

import numpy as np
import pytest
from py_ecc import optimized_bn128 as bn

from halo2py.arith.constants import FQ_MODULUS as Q
from halo2py.arith.constants import FR_MODULUS as R
from halo2py.arith.field import Fr
from halo2py.commitment import pairing
from halo2py.commitment.params import ParamsKZG, processed_size, raw_size
from halo2py.curve.points import G1
from halo2py.errors import InputError
from halo2py.poly.domain import EvaluationDomain
from halo2py.randomness import seeded_rng

OMEGA_28 = pow(7, (R - 1) >> 28, R)


def omega(k):
    return pow(OMEGA_28, 1 << (28 - k), R)


def tau_of(seed):
    """setup draws τ as the first Fr.random element of its rng."""
    return Fr.to_ints(Fr.random(1, seeded_rng(seed, "setup")))[0]


def ref_srs(k, tau):
    """([τ^i]G, [L_i(τ)]G) as affine int pairs, from py_ecc and the Lagrange formula."""
    n = 1 << k
    w = omega(k)
    g, gl = [], []
    for i in range(n):
        wi = pow(w, i, R)
        li = wi * (pow(tau, n, R) - 1) * pow(n * (tau - wi), -1, R) % R
        for scalar, out in ((pow(tau, i, R), g), (li, gl)):
            x, y = bn.normalize(bn.multiply(bn.G1, scalar))
            out.append((int(x), int(y)))
    return g, gl


def g2_coords(point):
    x, y = bn.normalize(point)
    return [int(x.coeffs[0]), int(x.coeffs[1]), int(y.coeffs[0]), int(y.coeffs[1])]


def mont(c):
    return (c * (1 << 256) % Q).to_bytes(32, "little")


def raw_file(k, tau):
    g, gl = ref_srs(k, tau)
    out = struct.pack("<I", k)
    for x, y in g + gl:
        out += mont(x) + mont(y)
    for point in (bn.G2, bn.multiply(bn.G2, tau)):
        out += b"".join(mont(c) for c in g2_coords(point))
    return out


def compressed_g1(x, y):
    b = bytearray(x.to_bytes(32, "little"))
    b[31] |= (y & 1) << 7
    return bytes(b)


def compressed_g2(point, sign_bit):
    c = g2_coords(point)
    b = bytearray(c[0].to_bytes(32, "little") + c[1].to_bytes(32, "little"))
    b[63] |= sign_bit << 7
    return bytes(b)


def processed_file(k, tau, sign_bits=(0, 1)):
    g, gl = ref_srs(k, tau)
    out = struct.pack("<I", k) + b"".join(compressed_g1(x, y) for x, y in g + gl)
    out += compressed_g2(bn.G2, sign_bits[0]) + compressed_g2(bn.multiply(bn.G2, tau), sign_bits[1])
    return out


def as_pairs(points):
    return [tuple(p) for p in G1.to_ints(points)]


@pytest.fixture(scope="module")
def small():
    """k = 3 params from a seeded setup, its τ, and the independently built raw file."""
    params = ParamsKZG.setup(3, seeded_rng(11, "setup"))
    tau = tau_of(11)
    return params, tau, raw_file(3, tau)


def test_omega_is_the_domain_root():
    for k in (3, 10, 20):
        assert EvaluationDomain(k, 3).omega == omega(k)
    # halo2curves' bn256 Fr::ROOT_OF_UNITY
    assert OMEGA_28 == 0x03DDB9F5166D18B798865EA93DD31F743215CF6DD39329C8D34F1ED960C37C9C


def test_setup_matches_py_ecc(small):
    params, tau, _ = small
    g, gl = ref_srs(3, tau)
    assert params.k == 3 and params.n == 8
    assert as_pairs(params.g) == g
    assert as_pairs(params.g_lagrange) == gl
    assert pairing.g2_eq(params.g2, bn.G2)
    assert pairing.g2_eq(params.s_g2, bn.multiply(bn.G2, tau))


def test_written_file_is_halo2_raw_bytes(small, tmp_path):
    params, _, reference = small
    path = tmp_path / "k3.params"
    params.write(path)
    data = path.read_bytes()
    assert len(data) == raw_size(3) == 4 + 8 * 128 + 256
    assert data == reference
    assert data[:4] == b"\x03\x00\x00\x00"
    assert data[4:68] == mont(1) + mont(2)  # g[0] is the generator (1, 2), Montgomery limbs
    assert params.to_bytes() == reference


def test_size_formula_matches_protocol():
    assert raw_size(10) == 131_332


def test_reads_independently_built_raw_file(small, tmp_path):
    params, tau, reference = small
    path = tmp_path / "ref.params"
    path.write_bytes(reference)
    loaded = ParamsKZG.read(path)
    assert loaded.k == 3
    assert np.array_equal(loaded.g, params.g)
    assert np.array_equal(loaded.g_lagrange, params.g_lagrange)
    assert pairing.g2_eq(loaded.s_g2, bn.multiply(bn.G2, tau))


@pytest.mark.parametrize("signs", [(0, 0), (1, 1), (0, 1)])
def test_reads_processed_format(small, signs):
    params, tau, _ = small
    data = processed_file(3, tau, signs)
    assert len(data) == processed_size(3)
    loaded = ParamsKZG.from_bytes(data)
    assert np.array_equal(loaded.g, params.g)
    assert np.array_equal(loaded.g_lagrange, params.g_lagrange)
    assert pairing.g2_eq(loaded.g2, bn.G2)
    assert pairing.g2_eq(loaded.s_g2, bn.multiply(bn.G2, tau))


def test_round_trip_larger_k(tmp_path):
    params = ParamsKZG.setup(7, seeded_rng(3, "setup"))
    path = tmp_path / "k7.params"
    params.write(path)
    loaded = ParamsKZG.read(path)
    assert np.array_equal(loaded.g, params.g) and np.array_equal(loaded.g_lagrange, params.g_lagrange)
    assert pairing.g2_eq(loaded.s_g2, params.s_g2)


def test_read_smaller_k_and_downsize(small, tmp_path):
    params, _, reference = small
    path = tmp_path / "ref.params"
    path.write_bytes(reference)
    loaded = ParamsKZG.read(path, k=2)
    assert loaded.k == 2 and loaded.g_lagrange is None
    assert np.array_equal(loaded.g, params.g[:4])
    # the Lagrange basis of the smaller domain, rebuilt without τ, equals a setup at k = 2
    expected = ParamsKZG.setup(2, seeded_rng(11, "setup"))
    assert np.array_equal(loaded.lagrange(), expected.g_lagrange)
    down = ParamsKZG.from_bytes(reference).downsize(1)
    assert down.k == 1 and np.array_equal(down.g, params.g[:2])
    assert np.array_equal(down.lagrange(), ParamsKZG.setup(1, seeded_rng(11, "setup")).g_lagrange)
    # a downsized file is a valid smaller file
    assert ParamsKZG.from_bytes(down.to_bytes()).k == 1


def test_downsize_refuses_growth(small):
    with pytest.raises(InputError, match="downsize"):
        ParamsKZG.from_bytes(small[2]).downsize(4)


def _flip(data, offset, value):
    b = bytearray(data)
    b[offset] ^= value
    return bytes(b)


def _expect(data, pattern, **kw):
    with pytest.raises(InputError, match=pattern):
        ParamsKZG.from_bytes(data, **kw)


def test_rejects_truncated_and_padded(small):
    reference = small[2]
    _expect(reference[:-1], "truncated or corrupted")
    _expect(reference + b"\x00", "truncated or corrupted")
    _expect(reference[:3], "header")
    _expect(struct.pack("<I", 40) + reference[4:], "outside")


def test_rejects_k_above_file(small):
    _expect(small[2], "k = 4 was requested", k=4)


def test_rejects_off_curve_point(small):
    # g[3].y's low limb changed: still canonical, no longer on the curve
    _expect(_flip(small[2], 4 + 3 * 64 + 32, 1), "g: point 3 is not on the curve")


def test_rejects_non_canonical_coordinate(small):
    b = bytearray(small[2])
    b[4 + 64 * 8 + 32: 4 + 64 * 8 + 64] = b"\xff" * 32  # g_lagrange[0].y ≥ q
    _expect(bytes(b), "g_lagrange")


def test_rejects_wrong_secret_in_g2(small):
    tau = small[1]
    data = small[2][:-128] + b"".join(mont(c) for c in g2_coords(bn.multiply(bn.G2, tau + 1)))
    _expect(data, "different secrets")


def test_rejects_g2_off_curve(small):
    _expect(_flip(small[2], len(small[2]) - 1 - 40, 1), "s_g2")


def test_rejects_g2_outside_the_subgroup(small):
    from halo2py.commitment.g2_encoding import fq2_sqrt as _fq2_sqrt

    for t in range(1, 50):  # a point on the twist outside G2 (the twist has a large cofactor)
        x = bn.FQ2([t, 1])
        try:
            y = _fq2_sqrt(x ** 3 + bn.b2, "test")
        except InputError:
            continue
        break
    point = (int(x.coeffs[0]), int(x.coeffs[1]), int(y.coeffs[0]), int(y.coeffs[1]))
    assert not bn.is_inf(bn.multiply((x, y, bn.FQ2.one()), bn.curve_order))
    _expect(small[2][:-128] + b"".join(mont(c) for c in point), "s_g2 is not in the order-r subgroup")
    _expect(small[2][:-256] + b"".join(mont(c) for c in point) + small[2][-128:], "g2 is not in the order-r")


def test_a_prover_read_defers_g2_and_still_checks_it_on_first_use(small):
    """read(g2=False): the G1 checks run at once, the G2 points are decoded and checked when first
    used — the same points as an eager read, and the same refusals, only later; raw and
    compressed files alike."""
    params, tau, reference = small
    for data in (reference, processed_file(3, tau, (0, 1))):
        lazy = ParamsKZG.from_bytes(data, g2=False)
        assert lazy._g2_pending is not None  # nothing of G2 decoded yet
        assert pairing.g2_eq(lazy.g2, bn.G2) and pairing.g2_eq(lazy.s_g2, bn.multiply(bn.G2, tau))
    wrong_secret = reference[:-128] + b"".join(mont(c) for c in g2_coords(bn.multiply(bn.G2, tau + 1)))
    off_curve = _flip(reference, len(reference) - 1 - 40, 1)
    for data, pattern in ((wrong_secret, "different secrets"), (off_curve, "s_g2")):
        lazy = ParamsKZG.from_bytes(data, g2=False)  # a prover is not refused …
        for use in (lambda: lazy.s_g2, lambda: lazy.g2, lazy.to_bytes):  # … a verifier or a writer is
            with pytest.raises(InputError, match=pattern):
                use()
    _expect(_flip(reference, 4 + 3 * 64 + 32, 1), "g: point 3 is not on the curve", g2=False)
    # unchecked reads (the dev-params cache) decode G2 but skip the pairing identity, as before
    assert pairing.g2_eq(ParamsKZG.from_bytes(wrong_secret, check=False, g2=False).s_g2,
                         bn.multiply(bn.G2, tau + 1))


def test_rejects_inconsistent_lagrange_basis(small):
    reference = small[2]
    g1_bytes = reference[4 + 64: 4 + 128]  # g[1], a valid point
    start = 4 + 8 * 64  # g_lagrange[0]
    _expect(reference[:start] + g1_bytes + reference[start + 64:], "does not sum")


def test_rejects_missing_file(tmp_path):
    with pytest.raises(InputError, match="cannot read params file"):
        ParamsKZG.read(tmp_path / "nope.params")


def test_setup_rejects_bad_k():
    with pytest.raises(InputError):
        ParamsKZG.setup(0)
    with pytest.raises(InputError):
        ParamsKZG.setup(29)


def _with_point(data, index, xy):
    """The file with its point ``index`` (g then g_lagrange, 64 bytes each) replaced by affine ``xy``."""
    at = 4 + 64 * index
    return data[:at] + mont(xy[0]) + mont(xy[1]) + data[at + 64:]


def test_rejects_a_first_point_other_than_the_generator(small):
    two_g = tuple(int(c) for c in bn.normalize(bn.double(bn.G1)))
    _expect(_with_point(small[2], 0, two_g), "g\\[0\\] is not the generator")


def test_rejects_a_lagrange_basis_that_does_not_sum_to_the_generator(small):
    n = 1 << 3
    g1 = tuple(int(c) for c in bn.normalize(bn.multiply(bn.G1, small[1])))  # a valid point, the wrong one
    _expect(_with_point(small[2], n + 5, g1), "does not sum to g\\[0\\]")
    # the sum itself lands on the point at infinity: a Lagrange point replaced by minus the others' sum
    _, gl = ref_srs(3, small[1])
    rest = functools.reduce(bn.add, [(bn.FQ(x), bn.FQ(y), bn.FQ.one()) for x, y in gl[:5] + gl[6:]])
    _expect(_with_point(small[2], n + 5, tuple(int(c) for c in bn.normalize(bn.neg(rest)))), "does not sum to g\\[0\\]")

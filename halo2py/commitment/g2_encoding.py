"""The G2 half of a params file: halo2's raw and compressed encodings of ``g2`` and ``s_g2``.

Kept apart from ``params`` because only a verifier (and whoever writes params) needs G2: a
prover reads a params file with ``g2=False`` and never imports py_ecc or the pairing kernels
that decoding and checking G2 points take.
"""

import numpy as np
from halo2py._pyecc import bn

from halo2py.arith.constants import FQ
from halo2py.arith.field import Fq
from halo2py.commitment import pairing
from halo2py.curve.g2 import membership as g2_membership
from halo2py.curve.points import G1
from halo2py.errors import InputError

G2_RAW = 128
G2_COMPRESSED = 64
_Q = FQ.p


def decode(g2_bytes: bytes, s_g2_bytes: bytes, compressed: bool, g01: np.ndarray, what: str) -> tuple:
    """(g2, s_g2) as py_ecc points, each on the twist and in G2; a compressed s_g2 takes the sign
    for which the pairing identity with g[0], g[1] holds."""
    if compressed:
        g2 = _g2_generator_from_compressed(g2_bytes, f"{what}: g2")
        return g2, _s_g2_from_compressed(s_g2_bytes, g01, g2, f"{what}: s_g2")
    return g2_from_raw(g2_bytes, f"{what}: g2"), g2_from_raw(s_g2_bytes, f"{what}: s_g2")


def check(g01: np.ndarray, g2, s_g2, what: str) -> None:
    """g2 is not the identity and e(g[1], g2) = e(g[0], s_g2): g and s_g2 share the secret."""
    if pairing.g2_to_coords(g2) == (0, 0, 0, 0):
        raise InputError(f"{what}: g2 is the point at infinity")
    if not pairing.multi_pairing_is_one([(G1.to_py_ecc(g01[1]), g2), (bn.neg(G1.to_py_ecc(g01[0])), s_g2)]):
        raise InputError(f"{what}: e(g[1], g2) != e(g[0], s_g2): g and s_g2 use different secrets")


def generator_and_multiple(tau: int) -> tuple:
    """(g2, τ·g2) for a trusted setup."""
    return pairing.G2_GENERATOR, bn.multiply(pairing.G2_GENERATOR, tau)


def g2_to_raw(point) -> bytes:
    return b"".join((c * FQ.r % _Q).to_bytes(32, "little") for c in pairing.g2_to_coords(point))


def g2_from_raw(data: bytes, what: str):
    if len(data) != G2_RAW:
        raise InputError(f"{what}: truncated G2 point")
    coords = []
    for j in range(4):
        m = int.from_bytes(data[32 * j: 32 * (j + 1)], "little")
        if m >= _Q:
            raise InputError(f"{what}: coordinate {j} is not a canonical Fq element")
        coords.append(m * FQ.r_inv % _Q)
    return _g2_point(tuple(coords), what)


_G2_GENERATOR_COORDS = pairing.g2_to_coords(pairing.G2_GENERATOR)


def _g2_point(coords: tuple, what: str):
    """A py_ecc G2 point from canonical (x.c0, x.c1, y.c0, y.c1), checked on the twist and in the
    subgroup by the Numba kernels (py_ecc's r·P took a tenth of a second); the generator is
    known to be in G2, and the identity is left to ``check``."""
    if coords == _G2_GENERATOR_COORDS:
        return pairing.G2_GENERATOR
    if coords == (0, 0, 0, 0):
        return pairing.g2_from_coords(*coords, what=what)
    failure = g2_membership(Fq.from_ints(coords))
    if failure == 1:
        raise InputError(f"{what} is not on the BN254 G2 curve")
    if failure == 2:
        raise InputError(f"{what} is not in the order-r subgroup of G2")
    return (bn.FQ2(list(coords[:2])), bn.FQ2(list(coords[2:])), bn.FQ2.one())


def _g2_x_from_compressed(data: bytes, what: str):
    """x = (c0, c1) of a compressed G2 point (flags in the top bits of the last byte), or None
    for the identity."""
    if len(data) != G2_COMPRESSED:
        raise InputError(f"{what}: truncated G2 point")
    flags = data[63] & 0xC0
    body = data[:63] + bytes([data[63] & 0x3F])
    c0 = int.from_bytes(body[:32], "little")
    c1 = int.from_bytes(body[32:], "little")
    if c0 >= _Q or c1 >= _Q:
        raise InputError(f"{what}: x is not a canonical Fq2 element")
    if flags & 0x40:
        if c0 or c1 or flags & 0x80:
            raise InputError(f"{what}: malformed identity encoding")
        return None
    return c0, c1


def _g2_candidates(x, what: str):
    """The two G2 points with this x (y and −y); InputError if x³ + b₂ has no square root."""
    x2 = bn.FQ2(list(x))
    y = fq2_sqrt(x2 * x2 * x2 + bn.b2, what)
    return [(x2, y, bn.FQ2.one()), (x2, -y, bn.FQ2.one())]


def fq2_sqrt(a, what: str):
    """√a in Fq2 (q ≡ 3 mod 4: Adj & Rodríguez-Henríquez, Algorithm 9)."""
    a1 = a ** ((_Q - 3) // 4)
    alpha = a1 * a1 * a
    x0 = a1 * a
    if alpha == bn.FQ2([_Q - 1, 0]):
        x = bn.FQ2([0, 1]) * x0
    else:
        x = (bn.FQ2.one() + alpha) ** ((_Q - 1) // 2) * x0
    if x * x != a:
        raise InputError(f"{what}: no G2 point has this x")
    return x


def _g2_generator_from_compressed(data: bytes, what: str):
    """halo2 always writes the G2 generator as g2; a compressed file must carry its x."""
    x = _g2_x_from_compressed(data, what)
    if x is None or bn.FQ2(list(x)) != bn.normalize(pairing.G2_GENERATOR)[0]:
        raise InputError(f"{what}: expected the G2 generator (halo2 params always use it)")
    return pairing.G2_GENERATOR


def _s_g2_from_compressed(data: bytes, g01: np.ndarray, g2, what: str):
    """s_g2 from its x: of the two candidates ±y, the one with e(g[1], g2) = e(g[0], s_g2).

    Choosing by the pairing identity avoids depending on how the writer encoded the sign of an
    Fq2 coordinate; the wrong candidate gives the inverse pairing value and fails.
    """
    x = _g2_x_from_compressed(data, what)
    if x is None:
        raise InputError(f"{what}: s_g2 is the point at infinity")
    for cand in _g2_candidates(x, what):
        if pairing.multi_pairing_is_one([(G1.to_py_ecc(g01[1]), g2), (bn.neg(G1.to_py_ecc(g01[0])), cand)]):
            return _g2_point(pairing.g2_to_coords(cand), what)
    raise InputError(f"{what}: e(g[1], g2) != e(g[0], s_g2) for either sign of s_g2")

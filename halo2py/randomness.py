"""Where blinding and setup randomness comes from.

A randomness source is a callable ``nbytes -> bytes``. Production runs use the OS CSPRNG;
``--seed`` runs (tests, reproducible benchmarks, strategy comparisons) use a deterministic stream
that is UNSAFE: anyone who knows the seed can strip the blinding from a proof or forge with params.

A *scalar source* hands out blinding field elements: ``scalars(count)`` returns an (count, 4)
Montgomery Fr vector. ``UniformScalars`` draws them from a randomness source; ``XorShiftScalars``
replays Rust halo2's test RNG (UNSAFE, for byte-identical proofs only).
"""

import hashlib
import os
from typing import Callable

import numpy as np
from numba import njit, prange

from halo2py.arith import limbs
from halo2py.arith.constants import FR_MODULUS
from halo2py.arith.field import Fr
from halo2py.errors import InputError

RandomSource = Callable[[int], bytes]

UNSAFE_SEED_WARNING = "UNSAFE: --seed makes randomness predictable; never use it for real proofs or params"


def os_rng() -> RandomSource:
    return os.urandom


def seeded_rng(seed: int, domain: str = "") -> RandomSource:
    """A deterministic byte stream: SHAKE-256(seed, domain, counter) blocks, read sequentially.

    ``domain`` separates independent streams from one seed (e.g. "setup" vs "prove").
    """
    state = {"counter": 0, "buffer": b""}
    tag = f"halo2py-seed:{seed}:{domain}:".encode()

    def draw(nbytes: int) -> bytes:
        blocks = [state["buffer"]]
        have = len(blocks[0])
        while have < nbytes:  # blocks joined once: a 16 MiB draw is not 256 growing copies
            blocks.append(hashlib.shake_256(tag + state["counter"].to_bytes(8, "little")).digest(1 << 16))
            state["counter"] += 1
            have += 1 << 16
        buf = b"".join(blocks)
        state["buffer"] = buf[nbytes:]
        return buf[:nbytes]

    return draw


# ---- scalar sources: where the prover's blinding field elements come from ----------------------

HALO2_TEST_SEED = bytes.fromhex("5962be5d763d318d17db37325406bce5")  # halo2's / Tachyon's kXORShiftSeed

UNSAFE_XORSHIFT_WARNING = (
    "UNSAFE: xorshift scalars are predictable (128-bit state, not a CSPRNG); they exist to reproduce "
    "Rust halo2's test proofs byte for byte and must never blind a real proof"
)

_MASK32 = (1 << 32) - 1
_UNIFORM_BYTES = 64  # 512 bits reduced mod r: statistical distance ~2^-258 from uniform


class XorShiftScalars:
    """Rust halo2's test randomness: ``XorShiftRng::from_seed`` (rand_xorshift) and ``F::random``.

    UNSAFE (see ``UNSAFE_XORSHIFT_WARNING``): a byte-identical proof needs the very blinding values
    halo2's tests drew, so this reproduces rand_xorshift exactly. The 16-byte seed is four
    little-endian u32 words x, y, z, w (an all-zero seed becomes four 0x0BAD5EED words, as in
    rand_xorshift); each u32 step is t = x ⊕ (x ≪ 11), (x, y, z) ← (y, z, w),
    w ← w ⊕ (w ≫ 19) ⊕ t ⊕ (t ≫ 8); a u64 is the low u32 then the high one. ``F::random`` of
    halo2curves' bn256 Fr fills 64 bytes from 8 u64s and reads them as a little-endian 512-bit
    integer mod r.
    """

    def __init__(self, seed: bytes = HALO2_TEST_SEED):
        seed = bytes(seed)
        if len(seed) != 16:
            raise InputError(f"an xorshift seed is 16 bytes, got {len(seed)}")
        words = [int.from_bytes(seed[i:i + 4], "little") for i in range(0, 16, 4)]
        self._x, self._y, self._z, self._w = words if any(words) else [0x0BAD5EED] * 4

    def next_u32(self) -> int:
        t = (self._x ^ (self._x << 11)) & _MASK32
        self._x, self._y, self._z = self._y, self._z, self._w
        self._w ^= (self._w >> 19) ^ t ^ (t >> 8)
        return self._w

    def next_u64(self) -> int:
        low = self.next_u32()
        return low | (self.next_u32() << 32)

    def scalar(self) -> int:
        """One ``Fr::random`` draw, canonical."""
        value = 0
        for i in range(8):
            value |= self.next_u64() << (64 * i)
        return value % FR_MODULUS

    def scalars(self, count: int) -> np.ndarray:
        """The next ``count`` draws as an (count, 4) Montgomery Fr vector."""
        return Fr.from_ints([self.scalar() for _ in range(count)])


class UniformScalars:
    """Blinding scalars for real proofs: 64 bytes of ``rng`` (default the OS CSPRNG) mod r each.

    The same construction as halo2's ``F::random`` (a 512-bit integer mod r, negligibly far from
    uniform), so the two sources are interchangeable for the prover. With a ``seeded_rng`` it is
    reproducible, and UNSAFE like every seeded stream.
    """

    def __init__(self, rng: RandomSource | None = None):
        self._draw = rng or os.urandom

    def scalars(self, count: int) -> np.ndarray:
        """Each 64 bytes as lo + hi·2^256 (halves reduced below r by a kernel); in Montgomery form
        that is lo·R + hi·2^512 (R = 2^256): two Montgomery scalings, no Python int per row."""
        words = np.frombuffer(self._draw(_UNIFORM_BYTES * count), dtype="<u8").reshape(count, 8)
        lo, hi = words[:, :4].copy(), words[:, 4:].copy()
        _below_modulus(lo, Fr.m)
        _below_modulus(hi, Fr.m)
        Fr.to_montgomery(lo, out=lo)
        return Fr.add(lo, Fr.scale(hi, _TWO_512, out=hi), out=lo)


_TWO_512 = pow(2, 512, FR_MODULUS)


@njit(parallel=True, cache=True, nogil=True)
def _below_modulus(a, m):
    """Reduce each row (any 256-bit value) below m by subtracting m while it fits — at most
    five times for a modulus above 2^253."""
    for i in prange(a.shape[0]):
        x = limbs.load(a, i)
        d, borrow = limbs._sub_raw(x, m)
        while borrow == 0:
            x = d
            d, borrow = limbs._sub_raw(x, m)
        limbs.store(a, i, x)

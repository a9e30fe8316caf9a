"""Poseidon over BN254 Fr (width 3, x^5): its parameters and the plain-integer permutation.

This is the instance circomlib's ``Poseidon(2)`` uses (the Poseidon paper's
``poseidonperm_x5_254_3``): t = 3, α = 5, R_F = 8 full rounds, R_P = 57 partial rounds.

The round constants and the MDS matrix are *generated*, not embedded, the way the Poseidon
authors' reference script ``generate_parameters_grain.sage`` does (arguments
``1 0 254 3 8 57 <r>``): an 80-bit Grain LFSR seeded with the parameters, whose filtered
output bits are read most significant bit first in 254-bit chunks. Round constants reject
chunks ≥ r; the MDS matrix is the Cauchy matrix M[i][j] = 1/(x_i + y_j) with x, y the next
2t chunks reduced mod r. The script also runs three security checks on that matrix and
resamples if one fails; for these parameters the first matrix is the one published, so that
resampling is not reproduced here — the published test vectors (checked in the tests) pin
every constant and every matrix entry.

The permutation is the plain-int specification the circuit's witness is computed from:
``round_states`` yields the state after every round, which is one row of the circuit each.
"""

from dataclasses import dataclass
from functools import cache

from halo2py.arith.constants import FR_MODULUS

WIDTH = 3
ALPHA = 5
FULL_ROUNDS = 8
PARTIAL_ROUNDS = 57
FIELD_BITS = 254


@dataclass(frozen=True)
class PoseidonSpec:
    """One Poseidon instance: ``round_constants[r]`` is added to the state before round r."""

    width: int
    alpha: int
    full_rounds: int
    partial_rounds: int
    round_constants: tuple[tuple[int, ...], ...]
    mds: tuple[tuple[int, ...], ...]
    modulus: int

    @property
    def rounds(self) -> int:
        return self.full_rounds + self.partial_rounds

    def is_full_round(self, r: int) -> bool:
        """Full rounds come in two halves around the partial ones."""
        half = self.full_rounds // 2
        return r < half or r >= half + self.partial_rounds


class _Grain:
    """The self-shrinking Grain LFSR of the reference script (taps 0, 13, 23, 38, 51, 62)."""

    def __init__(self, field: int, sbox: int, field_bits: int, width: int, r_f: int, r_p: int):
        seed = (
            f"{field:02b}{sbox:04b}{field_bits:012b}{width:012b}{r_f:010b}{r_p:010b}" + "1" * 30
        )
        self._bits = [int(b) for b in seed]
        for _ in range(160):
            self._clock()

    def _clock(self) -> int:
        b = self._bits
        new = b[62] ^ b[51] ^ b[38] ^ b[23] ^ b[13] ^ b[0]
        b.pop(0)
        b.append(new)
        return new

    def _bit(self) -> int:
        # Self-shrinking: bits come in pairs; a pair (1, y) outputs y, a pair (0, y) is dropped.
        while not self._clock():
            self._clock()
        return self._clock()

    def bits(self, n: int) -> int:
        """The next n output bits as an integer, the first bit most significant."""
        value = 0
        for _ in range(n):
            value = (value << 1) | self._bit()
        return value


def _round_constants(grain: _Grain, count: int, bits: int, p: int) -> list[int]:
    constants = []
    while len(constants) < count:
        c = grain.bits(bits)
        if c < p:
            constants.append(c)
    return constants


def _cauchy_mds(grain: _Grain, width: int, bits: int, p: int) -> list[list[int]]:
    while True:
        sample = [grain.bits(bits) % p for _ in range(2 * width)]
        while len(set(sample)) != len(sample):
            sample = [grain.bits(bits) % p for _ in range(2 * width)]
        xs, ys = sample[:width], sample[width:]
        if all((x + y) % p for x in xs for y in ys):
            return [[pow(x + y, -1, p) for y in ys] for x in xs]


@cache
def bn254_t3() -> PoseidonSpec:
    """The circomlib ``Poseidon(2)`` parameters over BN254 Fr, generated once per process."""
    p = FR_MODULUS
    grain = _Grain(1, 0, FIELD_BITS, WIDTH, FULL_ROUNDS, PARTIAL_ROUNDS)
    rounds = FULL_ROUNDS + PARTIAL_ROUNDS
    flat = _round_constants(grain, rounds * WIDTH, FIELD_BITS, p)
    mds = _cauchy_mds(grain, WIDTH, FIELD_BITS, p)
    return PoseidonSpec(
        width=WIDTH,
        alpha=ALPHA,
        full_rounds=FULL_ROUNDS,
        partial_rounds=PARTIAL_ROUNDS,
        round_constants=tuple(tuple(flat[r * WIDTH : (r + 1) * WIDTH]) for r in range(rounds)),
        mds=tuple(tuple(row) for row in mds),
        modulus=p,
    )


def round_states(state, spec: PoseidonSpec | None = None):
    """Yield the state after each round: add constants, S-box (all cells or cell 0), MDS."""
    spec = spec or bn254_t3()
    p, alpha, mds = spec.modulus, spec.alpha, spec.mds
    state = [s % p for s in state]
    if len(state) != spec.width:
        raise ValueError(f"Poseidon state has {spec.width} cells, got {len(state)}")
    for r, constants in enumerate(spec.round_constants):
        state = [(s + c) % p for s, c in zip(state, constants)]
        if spec.is_full_round(r):
            state = [pow(s, alpha, p) for s in state]
        else:
            state[0] = pow(state[0], alpha, p)
        state = [sum(m * s for m, s in zip(row, state)) % p for row in mds]
        yield state


def permute(state, spec: PoseidonSpec | None = None) -> list[int]:
    """The Poseidon permutation of a width-3 state of ints (reduced mod r on the way in)."""
    for state in round_states(state, spec):
        pass
    return state


def hash2(a: int, b: int) -> int:
    """circomlib ``Poseidon(2)``: permute [0, a, b] and keep cell 0."""
    return permute([0, a, b])[0]

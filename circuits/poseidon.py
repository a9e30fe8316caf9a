"""Poseidon hash chain: the public ``digest`` is the Poseidon hash chain of a private message.

What it proves: the prover knows a message x_1 … x_m (m = ``length``) with
digest = H(… H(H(x_1, x_2), x_3) …, x_m), where H is circomlib's ``Poseidon(2)`` over BN254 Fr
(width 3, x^5 S-box, 8 full + 57 partial rounds; see ``circuits.poseidon_params``): H(a, b) is
cell 0 of the permutation of [0, a, b]. With m = 2 the digest is circomlib's poseidon([x_1, x_2]).

Layout: one region of 66 rows per hash. Three advice columns hold the state, one row per round
(row r is the state entering round r, row 65 the output); three fixed columns hold round r's
constants on row r. The ``full round`` and ``partial round`` gates, under their selectors, say
next = MDS · S(state + constants), with S the x^5 S-box on every cell (full) or on cell 0 only
(partial). The capacity cell of every input row is pinned to 0 by a copy to the constants
column, each hash's output cell 0 is copied into the next hash's input cell 1, and the last
output is copied to the instance column. Every hash costs 66 rows, so the table needs
66·(m − 1) usable rows: the defaults (m = 4, k = 8) use 198 of 250.

Degree: the S-box makes each round gate selector · (degree 5) = 6, so the constraint system has
d = 6 and the quotient is evaluated on an extended domain e = 8 times larger (the only library
circuit with e = 8: heavier quotient work and memory per row than the degree-3/4 circuits).

Params: ``k`` (default 8), ``length`` (message length m ≥ 2, default 4).
Private inputs (JSON): ``message``, a list of m field elements (default 1, 2, …, m).
"""

from dataclasses import dataclass
from functools import partial, reduce

from .poseidon_params import bn254_t3, hash2, round_states
from halo2py.errors import InputError
from halo2py.frontend.circuit import Circuit, CircuitParams, param

ROWS_PER_HASH = 66  # a hash's region: its 8 + 57 rounds' states, then the output row


@dataclass
class PoseidonParams(CircuitParams):
    k: int = param(8, "log2 of the number of rows (n = 2^k); 66 rows per hash")
    length: int = param(4, "message length m >= 2 (m - 1 chained Poseidon(2) hashes)")

    def __post_init__(self):
        super().__post_init__()
        if self.length < 2:
            raise InputError(f"length must be at least 2, got {self.length}")
        self.require_rows("length", (self.length - 1) * ROWS_PER_HASH)


@dataclass
class PoseidonConfig:
    state: list
    round_constants: list
    constants: object
    digest: object
    q_full: object
    q_partial: object


class Poseidon(Circuit):
    """Public digest of a private message under a chain of circomlib Poseidon(2) hashes."""

    name = "poseidon"
    test_cases = ((7, ("length=2",)),)
    regress_cases = ((8, ()),)
    Params = PoseidonParams
    inputs_help = {"message": "list of `length` field elements to hash (default 1, 2, ..., length)"}

    def message(self) -> list:
        m = self.params.length
        message = self.input_ints("message", list(range(1, m + 1)))
        if len(message) != m:
            raise InputError(f"input 'message' has {len(message)} elements but length={m} "
                             f"(set --param length={len(message)})")
        return message

    def digest(self) -> int:
        return reduce(hash2, self.message())

    def instances(self) -> list:
        return [[self.digest()]]

    def configure(self, cs):
        spec = bn254_t3()
        state = [cs.advice_column(f"s{i}") for i in range(spec.width)]
        rc = [cs.fixed_column(f"rc{i}") for i in range(spec.width)]
        constants = cs.fixed_column("constants")
        digest = cs.instance_column("digest")
        q_full = cs.selector("q_full")
        q_partial = cs.selector("q_partial")
        for column in (state[0], state[1], digest):
            cs.enable_equality(column)
        cs.enable_constant(constants)

        def round_gate(selector, sbox_cells):
            def constraints(meta):
                q = meta.query_selector(selector)
                entering = [meta.query_advice(s, 0) + meta.query_fixed(c, 0)
                            for s, c in zip(state, rc)]
                after_sbox = [e ** spec.alpha if j in sbox_cells else e
                              for j, e in enumerate(entering)]
                out = []
                for i, row in enumerate(spec.mds):
                    mixed = reduce(lambda acc, term: acc + term,
                                   (x * m for x, m in zip(after_sbox, row)))
                    out.append((f"s{i}[+1] = MDS row {i} . S(state + rc)",
                                q * (meta.query_advice(state[i], 1) - mixed)))
                return out
            return constraints

        cs.create_gate("full round", round_gate(q_full, range(spec.width)))
        cs.create_gate("partial round", round_gate(q_partial, (0,)))
        return PoseidonConfig(state, rc, constants, digest, q_full, q_partial)

    def synthesize(self, config, layouter):
        spec = bn254_t3()
        message = self.message()
        acc = None  # the chaining cell: output cell 0 of the previous hash
        for i, right in enumerate(message[1:], start=1):
            left = message[0] if acc is None else acc.value
            acc = layouter.assign_region(f"poseidon hash {i}", partial(
                self._hash_region, config=config, spec=spec, chained=acc, left=left, right=right))
        layouter.constrain_instance(acc, config.digest, 0)

    @staticmethod
    def _hash_region(region, *, config, spec, chained, left: int, right: int):
        """Permute [0, left, right] one round per row; return the output's cell 0.
        ``chained`` (the previous hash's output cell, or None for the first hash) is copied
        into the input's cell 1."""
        s, rounds = config.state, spec.rounds
        states = [[0, left, right]] + list(round_states([0, left, right], spec))
        capacity = region.assign_advice("capacity", s[0], 0, 0)
        region.constrain_constant(capacity, 0)
        if chained is None:
            region.assign_advice("message[0]", s[1], 0, left)
        else:
            chained.copy_advice("chained digest", region, s[1], 0)
        region.assign_advice("message", s[2], 0, right)
        for j, column in enumerate(s):
            region.assign_advice_column(f"s{j}", column, [st[j] for st in states[1:rounds]], 1)
            region.assign_fixed_column(f"rc{j}", config.round_constants[j],
                                       [rc[j] for rc in spec.round_constants])
        out = [region.assign_advice(f"out{j}", column, rounds, states[rounds][j])
               for j, column in enumerate(s)]
        half = spec.full_rounds // 2
        region.enable_selector_range(config.q_full, 0, half)
        region.enable_selector_range(config.q_partial, half, half + spec.partial_rounds)
        region.enable_selector_range(config.q_full, half + spec.partial_rounds, rounds)
        return out[0]

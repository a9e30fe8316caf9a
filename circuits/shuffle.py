"""A shuffle proved with a second phase and circuit challenges (halo2's ``shuffle`` example;
README §4.3 of the halo2 vectors): two "original" advice columns and two "shuffled" ones hold the
same W-tuples in a different row order; after committing them (phase 0) the verifier's
challenges θ and γ are drawn, and a phase-1 running product

    z(0) = 1,   z(i+1) = z(i) · (a0·θ + a1 + γ) / (a2·θ + a3 + γ),   z(H) = 1

proves it, with the gates q_first·(1 − z), q_last·(1 − z) and
q_shuffle·(z·(a0·θ + a1 + γ) − z[+1]·(a2·θ + a3 + γ)). A worked example of phases
(``cs.advice_column(phase=1)``), ``cs.challenge_usable_after`` and ``region.get_challenge``, and
of halo2's selector compression (q_first and q_last share one fixed column).
"""

from __future__ import annotations

from dataclasses import dataclass

from halo2py.arith.constants import FR_MODULUS
from halo2py.circuits._shuffle_tables import COPIES
from halo2py.errors import InputError
from halo2py.frontend.circuit import Circuit, CircuitParams, param, parse_field

W, H = 2, 8


@dataclass
class ShuffleParams(CircuitParams):
    k: int = param(4, "log2 of the number of rows (n = 2^k)")


class Shuffle(Circuit):
    """The rows of (a0, a1) are a permutation of the rows of (a2, a3), by a phase-1 product."""

    name = "shuffle"
    Params = ShuffleParams
    inputs_help = {"original": f"{W} lists of {H} integers (default: the vectors' copy 0 tables)",
                   "shuffled": f"{W} lists of {H} integers, the original rows in another order"}
    test_cases = ((4, ()),)

    @classmethod
    def copy_inputs(cls, copy: int) -> dict:
        """The vectors' tables of circuit copy ``copy`` (their proofs hold two copies)."""
        return dict(COPIES[copy % len(COPIES)])

    def tables(self) -> tuple:
        out = []
        for key in ("original", "shuffled"):
            columns = self.inputs.get(key, COPIES[0][key])
            if not (isinstance(columns, list) and len(columns) == W and all(len(c) == H for c in columns)):
                raise InputError(f"input '{key}' must be {W} lists of {H} integers")
            out.append([[parse_field(v, f"{key}[{i}][{r}]") for r, v in enumerate(col)]
                        for i, col in enumerate(columns)])
        return tuple(out)

    def configure(self, cs):
        q_shuffle, q_first, q_last = cs.selector("q_shuffle"), cs.selector("q_first"), cs.selector("q_last")
        original = [cs.advice_column(f"original_{i}") for i in range(W)]
        shuffled = [cs.advice_column(f"shuffled_{i}") for i in range(W)]
        theta, gamma = cs.challenge_usable_after(0, "theta_c"), cs.challenge_usable_after(0, "gamma_c")
        z = cs.advice_column("z", phase=1)
        cs.create_gate("z should start with 1", lambda m: [m.query_selector(q_first) * (1 - m.query_advice(z, 0))])
        cs.create_gate("z should end with 1", lambda m: [m.query_selector(q_last) * (1 - m.query_advice(z, 0))])

        def compress(m, columns):
            acc = m.query_advice(columns[0], 0)
            for column in columns[1:]:
                acc = acc * m.query_challenge(theta) + m.query_advice(column, 0)
            return acc + m.query_challenge(gamma)

        def transition(m):
            # queried in halo2's order: z, the originals, the shuffled ones, then z[+1]
            q, z_cur = m.query_selector(q_shuffle), m.query_advice(z, 0)
            left, right = compress(m, original), compress(m, shuffled)
            return [q * (z_cur * left - m.query_advice(z, 1) * right)]

        cs.create_gate("z should have valid transition", transition)
        return q_shuffle, q_first, q_last, original, shuffled, theta, gamma, z

    def synthesize(self, config, layouter):
        q_shuffle, q_first, q_last, original, shuffled, theta, gamma, z = config
        original_values, shuffled_values = self.tables()

        def fill(region):
            region.enable_selector(q_first, 0)
            region.enable_selector(q_last, H)
            for row in range(H):
                region.enable_selector(q_shuffle, row)
            for columns, values in ((original, original_values), (shuffled, shuffled_values)):
                for column, col_values in zip(columns, values):
                    for row, v in enumerate(col_values):
                        region.assign_advice(column.name, column, row, lambda v=v: v)

            def products() -> list:
                """z(0 … H), computed once the phase-0 challenges are known."""
                th, ga = region.get_challenge(theta), region.get_challenge(gamma)
                zs = [1]
                for row in range(H):
                    num = (original_values[0][row] * th + original_values[1][row] + ga) % FR_MODULUS
                    den = (shuffled_values[0][row] * th + shuffled_values[1][row] + ga) % FR_MODULUS
                    zs.append(zs[-1] * num * pow(den, -1, FR_MODULUS) % FR_MODULUS)
                return zs

            cache = {}
            for row in range(H + 1):
                region.assign_advice("z", z, row, lambda row=row: cache.setdefault("z", products())[row])

        layouter.assign_region("shuffle", fill)

"""PSE halo2's shuffle API example (README §4.4 of the halo2 vectors): the pairs
(input_0, input_1) on the rows where s_input is on are a permutation of the pairs
(shuffle_0, shuffle_1) on the rows where s_shuffle is on — input_1 in a fixed column.

Both selectors are complex (they appear inside the shuffle's expressions).
"""

from __future__ import annotations

from dataclasses import dataclass

from halo2py.errors import InputError
from halo2py.frontend.circuit import Circuit, CircuitParams, param

DEFAULTS = {"input_0": [1, 2, 4, 1], "input_1": [10, 20, 40, 10],
            "shuffle_0": [4, 1, 1, 2], "shuffle_1": [40, 10, 10, 20]}


@dataclass
class ShuffleApiParams(CircuitParams):
    k: int = param(4, "log2 of the number of rows (n = 2^k)")


class ShuffleApi(Circuit):
    """(input_0, input_1) rows are a permutation of (shuffle_0, shuffle_1) rows."""

    name = "shuffle-api"
    Params = ShuffleApiParams
    inputs_help = {name: f"list of integers (default {values})" for name, values in DEFAULTS.items()}
    test_cases = ((4, ()),)

    def columns(self) -> dict:
        out = {name: self.input_ints(name, default) for name, default in DEFAULTS.items()}
        if len({len(v) for v in out.values()}) != 1:
            raise InputError("input_0, input_1, shuffle_0 and shuffle_1 must have equal lengths")
        return out

    def configure(self, cs):
        input_0 = cs.advice_column("input_0")
        input_1 = cs.fixed_column("input_1")
        shuffle_0 = cs.advice_column("shuffle_0")
        shuffle_1 = cs.advice_column("shuffle_1")
        s_shuffle = cs.complex_selector("s_shuffle")
        s_input = cs.complex_selector("s_input")
        def pairs(m):
            inp, shuf = m.query_selector(s_input), m.query_selector(s_shuffle)
            return [(inp * m.query_advice(input_0), shuf * m.query_advice(shuffle_0)),
                    (inp * m.query_fixed(input_1), shuf * m.query_advice(shuffle_1))]

        cs.shuffle("shuffle", pairs)
        return input_0, input_1, shuffle_0, shuffle_1, s_shuffle, s_input

    def synthesize(self, config, layouter):
        input_0, input_1, shuffle_0, shuffle_1, s_shuffle, s_input = config
        values = self.columns()

        def load_inputs(region):
            for row, (a, f) in enumerate(zip(values["input_0"], values["input_1"])):
                region.enable_selector(s_input, row)
                region.assign_advice("input_0", input_0, row, lambda a=a: a)
                region.assign_fixed("input_1", input_1, row, f)

        def load_shuffles(region):
            for row, (x, y) in enumerate(zip(values["shuffle_0"], values["shuffle_1"])):
                region.enable_selector(s_shuffle, row)
                region.assign_advice("shuffle_0", shuffle_0, row, lambda x=x: x)
                region.assign_advice("shuffle_1", shuffle_1, row, lambda y=y: y)

        layouter.assign_region("load inputs", load_inputs)
        layouter.assign_region("load shuffles", load_shuffles)

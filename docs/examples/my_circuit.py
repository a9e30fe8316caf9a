"""Nibble sum: the public ``total`` is the sum of private values, each of which fits in 4 bits.

The worked example of docs/circuits.md. It shows every piece of the circuit API: advice, fixed
(table), instance columns and a selector; a gate with a rotation; a lookup; a copy into the
instance column; typed parameters and private inputs.

    halo2py check docs/examples/my_circuit.py
    halo2py check docs/examples/my_circuit.py --param count=6 --inputs values.json
"""

from dataclasses import dataclass

from halo2py.errors import InputError
from halo2py.frontend.circuit import Circuit, CircuitParams, param


@dataclass
class NibbleSumParams(CircuitParams):
    k: int = param(6, "log2 of the number of rows (n = 2^k)")
    count: int = param(5, "how many private values are summed")

    def __post_init__(self):
        super().__post_init__()  # keeps the check on k
        if self.count < 1:
            raise InputError(f"count must be at least 1, got {self.count}")
        self.require_rows("count", self.count)  # before synthesis builds what cannot fit


@dataclass
class NibbleSumConfig:
    value: object
    acc: object
    total: object
    nibbles: object
    q_first: object
    q_next: object
    q_range: object


class NibbleSum(Circuit):
    """Public total of private 4-bit values (running sum + lookup range check)."""

    name = "nibble_sum"
    Params = NibbleSumParams
    inputs_help = {"values": "list of `count` integers in 0..15"}

    def values(self) -> list:
        values = self.input_ints("values", [(3 * i + 1) % 16 for i in range(self.params.count)])
        if len(values) != self.params.count:
            raise InputError(f"expected {self.params.count} values, got {len(values)}")
        return values

    def instances(self) -> list:
        return [[sum(self.values())]]  # one list per instance column

    def configure(self, cs):
        value = cs.advice_column("value")
        acc = cs.advice_column("acc")
        total = cs.instance_column("total")
        nibbles = cs.lookup_table_column("nibbles")
        q_first, q_next = cs.selector("q_first"), cs.selector("q_next")
        q_range = cs.complex_selector("q_range")  # used in a lookup: halo2 requires a complex selector
        cs.enable_equality(acc)    # acc's last cell is copied ...
        cs.enable_equality(total)  # ... into the public total

        # Two gates, not one: a region enabling q_first must assign every cell the gate
        # queries, and acc[-1] does not exist on the first row.
        cs.create_gate("first", lambda meta: [
            ("acc starts at value",
             meta.query_selector(q_first) * (meta.query_advice(acc) - meta.query_advice(value))),
        ])
        cs.create_gate("running sum", lambda meta: [
            ("acc[i] = acc[i-1] + value[i]",
             meta.query_selector(q_next) * (meta.query_advice(acc) - meta.query_advice(acc, -1)
                                            - meta.query_advice(value))),
        ])
        # Off the selector the input is 0, which the table holds.
        cs.lookup("value is a nibble", lambda meta: [
            (meta.query_selector(q_range) * meta.query_advice(value), nibbles),
        ])
        return NibbleSumConfig(value, acc, total, nibbles, q_first, q_next, q_range)

    def synthesize(self, config, layouter):
        values = self.values()

        def fill(region):
            running = 0
            acc = None
            for offset, v in enumerate(values):
                running += v
                region.enable_selector(config.q_first if offset == 0 else config.q_next, offset)
                region.enable_selector(config.q_range, offset)
                region.assign_advice("value", config.value, offset, v)
                acc = region.assign_advice("acc", config.acc, offset, running)
            return acc

        last = layouter.assign_region("sum", fill)
        layouter.constrain_instance(last, config.total, 0)
        layouter.assign_table("nibbles", lambda table: table.assign_column(
            "0..15", config.nibbles, range(16)))

"""Range check: every private value lies in [0, 2^bits), proved by a lookup into a fixed table.

One advice column holds the values under a simple selector; the lookup input is
``q_range * value`` into a table column holding 0 .. 2^bits − 1, so rows where the selector is
off look up 0, which the table contains (halo2's classic range-check example). The table needs
2^bits usable rows and the values ``count`` rows, so k must satisfy 2^k − 6 ≥ max(2^bits, count).
Private input (optional, JSON): ``values``, a list of ``count`` integers (default: a fixed
pseudo-random list below 2^bits).
"""

from dataclasses import dataclass

from halo2py.errors import InputError
from halo2py.frontend.circuit import Circuit, CircuitParams, param


@dataclass
class RangeCheckParams(CircuitParams):
    k: int = param(10, "log2 of the number of rows (n = 2^k)")
    bits: int = param(8, "values must lie in [0, 2^bits)")
    count: int = param(16, "how many values are checked")

    def __post_init__(self):
        super().__post_init__()
        if not 1 <= self.bits <= 24:
            raise InputError(f"bits must be between 1 and 24, got {self.bits}")
        if self.count < 1:
            raise InputError(f"count must be at least 1, got {self.count}")
        self.require_rows("bits", 1 << self.bits)  # the table
        self.require_rows("count", self.count)


@dataclass
class RangeCheckConfig:
    value: object
    q_range: object
    table: object


class RangeCheck(Circuit):
    """Private values each in [0, 2^bits), via a lookup into the table 0 .. 2^bits − 1."""

    name = "range_check"
    test_cases = ((5, ("bits=4", "count=8")),)
    regress_cases = ((10, ()),)
    Params = RangeCheckParams
    inputs_help = {"values": "list of `count` integers to range-check"}

    def values(self) -> list:
        bits, count = self.params.bits, self.params.count
        default = [(i * 0x9E3779B1 + 7) % (1 << bits) for i in range(count)]
        values = self.input_ints("values", default)
        if len(values) != count:
            raise InputError(f"input 'values' has {len(values)} entries but count={count}")
        return values

    def configure(self, cs):
        value = cs.advice_column("value")
        q_range = cs.complex_selector("q_range")  # used in a lookup: halo2 requires a complex selector
        table = cs.lookup_table_column("range_table")
        cs.lookup("range", lambda meta: [
            (meta.query_selector(q_range) * meta.query_advice(value, 0), table),
        ])
        return RangeCheckConfig(value, q_range, table)

    def synthesize(self, config, layouter):
        values = self.values()

        def fill(region):
            for offset, v in enumerate(values):
                region.enable_selector(config.q_range, offset)
                region.assign_advice(f"value {offset}", config.value, offset, v)

        layouter.assign_region("values", fill)
        layouter.assign_table("range table", lambda table: table.assign_column(
            "0 .. 2^bits - 1", config.table, range(1 << self.params.bits)))

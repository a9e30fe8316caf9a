"""A range check by lookup with a complex selector (halo2's ``simple_lookup`` test circuit;
README §4.2 of the halo2 vectors): on the rows where q is on, the advice value lies in the
table t = {1, …, 2^bits}; elsewhere the input ``q·a + (1 − q)`` is 1, which the table holds.

The selector is complex because it is used inside a lookup (halo2 forbids simple selectors
there), so keygen gives it a column of its own. The table's unused rows repeat its first value.
"""

from __future__ import annotations

from dataclasses import dataclass

from halo2py.errors import InputError
from halo2py.frontend.circuit import Circuit, CircuitParams, param


@dataclass
class SimpleLookupParams(CircuitParams):
    k: int = param(5, "log2 of the number of rows (n = 2^k)")
    bits: int = param(3, "table holds 1 .. 2^bits")
    rows: int = param(16, "rows checked, values r mod 2^bits + 1 by default")

    def __post_init__(self):
        super().__post_init__()
        for name, low in (("bits", 0), ("rows", 1)):
            if getattr(self, name) < low:
                raise InputError(f"{name} must be at least {low}, got {getattr(self, name)}")
        self.require_rows("bits", 1 << self.bits)  # the table
        self.require_rows("rows", self.rows)


class SimpleLookup(Circuit):
    """Every checked advice value is in 1 .. 2^bits."""

    name = "simple-lookup"
    Params = SimpleLookupParams
    inputs_help = {"values": "list of `rows` integers in 1 .. 2^bits"}
    test_cases = ((5, ()),)

    def values(self) -> list:
        p = self.params
        values = self.input_ints("values", [r % (1 << p.bits) + 1 for r in range(p.rows)])
        if len(values) != p.rows:
            raise InputError(f"expected {p.rows} values, got {len(values)}")
        return values

    def configure(self, cs):
        q = cs.complex_selector("q")
        table = cs.lookup_table_column("t")
        a = cs.advice_column("a")
        cs.lookup("lookup", lambda m: [(m.query_selector(q) * m.query_advice(a) + (1 - m.query_selector(q)), table)])
        return q, table, a

    def synthesize(self, config, layouter):
        q, table, a = config
        bits = self.params.bits
        layouter.assign_table(f"{bits}-bit table", lambda t: t.assign_column("t", table, range(1, (1 << bits) + 1)))
        values = self.values()

        def fill(region):
            for row, value in enumerate(values):
                region.enable_selector(q, row)
                region.assign_advice("a", a, row, lambda value=value: value)

        layouter.assign_region("assign values", fill)

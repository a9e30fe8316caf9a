"""MockProver: check a synthesised circuit cell by cell and say exactly what is wrong, halo2-style.

No cryptography: every gate constraint is evaluated on every row, every lookup input is looked up
in its table, every copy is compared, and unassigned cells used by enabled gates are reported.
Failure kinds and wording follow halo2's ``dev::VerifyFailure``:

- ``CellNotAssigned``: an enabled gate queries a cell its region never assigned;
- ``InstanceCellNotAssigned``: a gate or a copy uses a public-input row the circuit did not supply;
- ``ConstraintNotSatisfied``: a constraint is non-zero on a row (with every queried cell's value);
- ``ConstraintPoisoned``: a constraint depends on an unusable (blinding) row — missing selector?;
- ``Lookup``: a lookup input tuple is not among the table's rows;
- ``Permutation``: two cells joined by a copy constraint hold different values.

Gates are evaluated column-wise with the Fr kernels over blocks of rows, tracking halo2's
"poison" (a blinding-row advice value, whose product with an honest 0 is 0), so k = 16 takes
about a second.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from halo2py.arith.field import Fr
from halo2py.frontend.circuit import Circuit, synthesize
from halo2py.middleware.expression import Expression, Query, Selector, format_field
from halo2py.frontend.layouter import Assignment

BLOCK_ROWS = 1 << 16  # rows evaluated at once: bounds memory at large k


@dataclass(frozen=True)
class Location:
    """A row, and the region covering it (if any) with the offset inside that region."""

    row: int
    region: int | None = None
    region_name: str = ""
    offset: int | None = None

    def __str__(self) -> str:
        if self.region is None:
            return f"outside any region, on row {self.row}"
        return f"in Region {self.region} ('{self.region_name}') at offset {self.offset}"

    def to_dict(self) -> dict:
        return {"row": self.row, "region": self.region, "region_name": self.region_name or None,
                "offset": self.offset}


def _column_str(column) -> str:
    return f"'{column.name}' ({column.kind})"


class Failure:
    """Base of the failure kinds: ``kind``, structured fields, ``__str__``, ``to_dict``."""

    kind = ""

    def to_dict(self) -> dict:
        out = {"kind": self.kind, "message": str(self)}
        for name, value in vars(self).items():
            if isinstance(value, Location):
                value = value.to_dict()
            elif hasattr(value, "kind") and hasattr(value, "index") and hasattr(value, "name"):
                value = {"kind": value.kind, "index": value.index, "name": value.name}
            out[name] = value
        return out


@dataclass(frozen=True)
class ConstraintNotSatisfied(Failure):
    gate_index: int
    gate_name: str
    constraint_index: int
    constraint_name: str
    location: Location
    cell_values: tuple  # (cell, value) strings, e.g. ("f[+1]", "3")

    kind = "constraint_not_satisfied"

    def __str__(self) -> str:
        lines = [f"Constraint {self.constraint_index} ('{self.constraint_name}') in gate "
                 f"{self.gate_index} ('{self.gate_name}') is not satisfied {self.location}"]
        lines += [f"- {cell} = {value}" for cell, value in self.cell_values]
        return "\n".join(lines)


@dataclass(frozen=True)
class ConstraintPoisoned(Failure):
    gate_index: int
    gate_name: str
    constraint_index: int
    constraint_name: str
    location: Location

    kind = "constraint_poisoned"

    def __str__(self) -> str:
        return (f"Constraint {self.constraint_index} ('{self.constraint_name}') in gate "
                f"{self.gate_index} ('{self.gate_name}') is active on an unusable row "
                f"(row {self.location.row}) - missing selector?")


@dataclass(frozen=True)
class CellNotAssigned(Failure):
    gate_index: int
    gate_name: str
    region: int
    region_name: str
    gate_offset: int
    column: object
    offset: int  # relative to the region start; may be negative or past its end

    kind = "cell_not_assigned"

    def __str__(self) -> str:
        return (f"Region {self.region} ('{self.region_name}') uses gate {self.gate_index} "
                f"('{self.gate_name}') at offset {self.gate_offset}, which requires cell in "
                f"column {_column_str(self.column)} at offset {self.offset} to be assigned.")


@dataclass(frozen=True)
class InstanceCellNotAssigned(Failure):
    column: object
    row: int
    supplied: int            # how many public inputs the column has
    used_by: str             # "gate 0 ('name') in Region 1 ('r') at offset 2" or "a copy constraint"

    kind = "instance_cell_not_assigned"

    def __str__(self) -> str:
        return (f"Instance cell {self.column.name}[{self.row}] is used by {self.used_by} but was "
                f"not assigned (the circuit supplies {self.supplied} value(s) for column "
                f"'{self.column.name}')")


@dataclass(frozen=True)
class LookupNotSatisfied(Failure):
    lookup_index: int
    lookup_name: str
    location: Location
    input_values: tuple  # (input expression, value) strings

    kind = "lookup"

    def __str__(self) -> str:
        lines = [f"Lookup {self.lookup_index} ('{self.lookup_name}') is not satisfied "
                 f"{self.location}: the input is not in the table"]
        lines += [f"- {expr} = {value}" for expr, value in self.input_values]
        return "\n".join(lines)


@dataclass(frozen=True)
class PermutationNotSatisfied(Failure):
    column: object
    location: Location
    value: str
    other_column: object
    other_location: Location
    other_value: str

    kind = "permutation"

    def __str__(self) -> str:
        return (f"Equality constraint not satisfied by cell ({_column_str(self.column)}, "
                f"{self.location}) = {self.value} copied to cell "
                f"({_column_str(self.other_column)}, {self.other_location}) = {self.other_value}")


class MockProver:
    """halo2's ``MockProver``: ``MockProver.run(k, circuit).verify()`` lists every failure."""

    def __init__(self, assignment: Assignment):
        self.assignment = assignment
        self.cs = assignment.cs
        a = assignment
        self.n, self.usable = a.n, a.usable_rows
        regions = a.regions
        self._starts = np.array([r.start for r in regions], dtype=np.int64)
        self._ends = np.array([r.start + r.rows for r in regions], dtype=np.int64)
        self._one = np.array(Fr.one_limbs, dtype=np.uint64)

    @classmethod
    def run(cls, k: int | None, circuit: Circuit) -> MockProver:
        """Synthesise ``circuit`` at 2^k rows (default: its ``k`` parameter)."""
        return cls(synthesize(circuit, k).assignment)

    def verify(self) -> list:
        """All failures, in halo2's order: unassigned cells, gates, lookups, copies."""
        return (self._check_assigned() + self._check_gates() + self._check_lookups()
                + self._check_copies())

    # --- helpers ---------------------------------------------------------------------------------
    def locate(self, row: int, columns) -> Location:
        """The region covering ``row`` that uses any of ``columns`` (halo2's FailureLocation)."""
        columns = set(columns)
        for i in np.nonzero((self._starts <= row) & (row < self._ends))[0]:
            region = self.assignment.regions[i]
            if not columns or not region.columns.isdisjoint(columns):
                return Location(row, region.index, region.name, row - region.start)
        return Location(row)

    def _cell_str(self, column, row: int) -> str:
        """A cell's value as reported, with the name its region gave it (or why it has none)."""
        a = self.assignment
        row %= self.n
        text = format_field(a.value(column, row))
        if column.kind == "instance":
            return text if row < len(a.instance_values[column.index]) else text + " (unassigned)"
        if column.kind == "advice" and row >= self.usable:
            return text + " (unusable row)"
        owner = (a.advice_owner if column.kind == "advice" else a.fixed_owner)[column.index][row]
        if owner < 0:
            return text + " (unassigned)"
        name = a.regions[owner].annotations.get((column, row))
        return f"{text} ('{name}')" if name else text

    def _values(self, column) -> np.ndarray:
        return self.assignment.values(column)

    # --- evaluation over a block of rows ----------------------------------------------------------
    def _evaluate(self, expr: Expression, rows: np.ndarray):
        """(Fr values, poison mask or None) of ``expr`` on ``rows``."""
        m = len(rows)

        def const(value):
            out = np.empty((m, 4), dtype=np.uint64)
            out[:] = np.array(Fr.to_mont(value), dtype=np.uint64)
            return out, None

        def selector(s):
            on = self.assignment.selectors[s.index][rows]
            out = np.zeros((m, 4), dtype=np.uint64)
            out[on] = self._one
            return out, None

        def query(q):
            idx = (rows + q.rotation) % self.n
            vals = self._values(q.column)[idx]
            poison = idx >= self.usable if q.column.kind == "advice" else None
            return vals, (poison if poison is not None and poison.any() else None)

        def union(pa, pb):
            if pa is None:
                return pb
            return pa if pb is None else pa | pb

        def product(a, b):
            (va, pa), (vb, pb) = a, b
            poison = union(pa, pb)
            if poison is not None:  # an honest zero times poison is zero (halo2's rule)
                za, zb = ~va.any(axis=1), ~vb.any(axis=1)
                if pa is not None:
                    za &= ~pa
                if pb is not None:
                    zb &= ~pb
                poison = poison & ~(za | zb)
            return Fr.mul(va, vb), poison

        def challenge(c):
            return const(self.assignment.challenges[c.index])

        return expr.evaluate(
            constant=const, selector=selector, query=query, challenge=challenge,
            negated=lambda a: (Fr.neg(a[0]), a[1]),
            sum=lambda a, b: (Fr.add(a[0], b[0]), union(a[1], b[1])),
            product=product,
            scaled=lambda a, f: (Fr.scale(a[0], f), a[1]),
        )

    def _blocks(self, stop: int):
        for lo in range(0, stop, BLOCK_ROWS):
            yield np.arange(lo, min(stop, lo + BLOCK_ROWS), dtype=np.int64)

    # --- checks ----------------------------------------------------------------------------------
    def _check_assigned(self) -> list:
        """Cells queried by gates where a region enabled their selector must be assigned there."""
        a, failures, seen = self.assignment, [], set()
        for gate in self.cs.gates:
            queries = gate.queries()
            for sel in sorted(gate.selectors(), key=lambda s: s.index):
                rows = np.nonzero(a.selectors[sel.index])[0]
                owners = a.selector_owner[sel.index][rows]
                for q in queries:
                    cell_rows = (rows + q.rotation) % self.n
                    if q.column.kind == "instance":
                        supplied = len(a.instance_values[q.column.index])
                        bad = np.nonzero(cell_rows >= supplied)[0]
                    else:
                        owner = (a.advice_owner if q.column.kind == "advice"
                                 else a.fixed_owner)[q.column.index]
                        bad = np.nonzero(owner[cell_rows] != owners)[0]
                    for i in bad.tolist():
                        key = (gate.index, int(rows[i]), q)
                        if key in seen:
                            continue
                        seen.add(key)
                        region = a.regions[int(owners[i])]
                        gate_offset = int(rows[i]) - region.start
                        if q.column.kind == "instance":
                            failures.append(InstanceCellNotAssigned(
                                q.column, int(cell_rows[i]), supplied,
                                f"gate {gate.index} ('{gate.name}') in Region {region.index} "
                                f"('{region.name}') at offset {gate_offset}"))
                        else:
                            failures.append(CellNotAssigned(
                                gate.index, gate.name, region.index, region.name, gate_offset,
                                q.column, gate_offset + q.rotation))
        return failures

    def _check_gates(self) -> list:
        failures = []
        for gate in self.cs.gates:
            for c in gate.constraints:
                columns = [q.column for q in c.expression.queries()] + list(c.expression.selectors())
                for rows in self._blocks(self.n):
                    vals, poison = self._evaluate(c.expression, rows)
                    nonzero = vals.any(axis=1)
                    if poison is not None:
                        nonzero &= ~poison
                        for row in rows[np.nonzero(poison)[0]].tolist():
                            failures.append(ConstraintPoisoned(
                                gate.index, gate.name, c.index, c.name, self.locate(row, columns)))
                    for row in rows[np.nonzero(nonzero)[0]].tolist():
                        failures.append(ConstraintNotSatisfied(
                            gate.index, gate.name, c.index, c.name, self.locate(row, columns),
                            self._cell_values(c.expression, row)))
        return failures

    def _cell_values(self, expr: Expression, row: int) -> tuple:
        out = []
        for node in expr.nodes():
            if isinstance(node, Query):
                out.append((str(node), self._cell_str(node.column, row + node.rotation)))
            elif isinstance(node, Selector):
                out.append((node.name, str(int(self.assignment.selectors[node.index][row]))))
        return tuple(out)

    def _tuples(self, exprs, rows) -> np.ndarray:
        """Each row's tuple of expression values as one opaque item (for set membership)."""
        cols = [self._evaluate(e, rows)[0] for e in exprs]
        packed = np.ascontiguousarray(np.concatenate(cols, axis=1))
        return packed.view(np.dtype((np.void, packed.shape[1] * 8))).ravel()

    def _check_lookups(self) -> list:
        failures = []
        for lookup in self.cs.lookups:
            table = np.concatenate([self._tuples(lookup.tables, rows)
                                    for rows in self._blocks(self.usable)])
            columns = {q.column for e in lookup.inputs for q in e.queries()}
            columns |= {s for e in lookup.inputs for s in e.selectors()}
            for rows in self._blocks(self.usable):
                found = np.isin(self._tuples(lookup.inputs, rows), table)
                for row in rows[np.nonzero(~found)[0]].tolist():
                    values = tuple(
                        (str(e), format_field(e.evaluate_int(
                            selector=lambda s, r=row: int(self.assignment.selectors[s.index][r]),
                            query=lambda q, r=row: self.assignment.value(q.column, r + q.rotation))))
                        for e in lookup.inputs)
                    failures.append(LookupNotSatisfied(lookup.index, lookup.name,
                                                       self.locate(row, columns), values))
        return failures

    def _check_copies(self) -> list:
        a, failures = self.assignment, []
        copies = a.copies
        perm = self.cs.permutation_columns
        left = np.empty((len(copies), 4), dtype=np.uint64)
        right = np.empty_like(left)
        missing = np.zeros(len(copies), dtype=bool)
        for i, column in enumerate(perm):
            for side, ci, ri in ((left, 0, 1), (right, 2, 3)):
                mask = copies[:, ci] == i
                if mask.any():
                    side[mask] = self._values(column)[copies[mask, ri]]
                    if column.kind == "instance":
                        supplied = len(a.instance_values[column.index])
                        missing |= mask & (copies[:, ri] >= supplied)
        flagged = np.nonzero(missing | (left != right).any(axis=1))[0]
        reported = set()
        for ca, ra, cb, rb in copies[flagged].tolist():
            col_a, col_b = perm[ca], perm[cb]
            absent = [(c, r) for c, r in ((col_a, ra), (col_b, rb))
                      if c.kind == "instance" and r >= len(a.instance_values[c.index])]
            for c, r in absent:
                if (c, r) not in reported:
                    reported.add((c, r))
                    failures.append(InstanceCellNotAssigned(
                        c, r, len(a.instance_values[c.index]), "a copy constraint"))
            if not absent:
                failures.append(PermutationNotSatisfied(
                    col_a, self.locate(ra, [col_a]), self._cell_str(col_a, ra),
                    col_b, self.locate(rb, [col_b]), self._cell_str(col_b, rb)))
        return failures

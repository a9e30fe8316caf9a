"""The constraint system a circuit declares in ``configure(cs)``: columns, gates, lookups, equality.

Mirrors halo2's ``ConstraintSystem``: columns are allocated in declaration order per kind, gates
are lists of named polynomial constraints that must vanish on every row, lookups say that a tuple
of input expressions lies among the rows of a table over fixed columns (halo2's ``lookup_any``
with the table side restricted to fixed columns), and ``enable_equality`` puts a column into the
permutation argument. From these follow the protocol's shape: the degree ``d``, the number of
blinding rows, the usable rows and the queried (column, rotation) pairs the prover must open.

Malformed declarations (querying a column this system never allocated, a table over advice cells,
an empty gate) raise ``InputError`` here, at configure time, with the gate's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from halo2py.errors import InputError
from halo2py.frontend.expression import (
    Challenge,
    Column,
    Expression,
    Query,
    Selector,
    VariableX,
    as_expression,
)

PERMUTATION_DEGREE = 3  # the permutation argument's own constraints have degree 3


@dataclass(frozen=True)
class Constraint:
    """One polynomial of a gate: it must evaluate to zero on every row."""

    index: int
    name: str
    expression: Expression


@dataclass(frozen=True)
class Gate:
    index: int
    name: str
    constraints: tuple

    def degree(self) -> int:
        return max(c.expression.degree() for c in self.constraints)

    def queries(self) -> list:
        """Queried cells in first-use order (the order the cell values are reported in)."""
        seen = {}
        for c in self.constraints:
            for node in c.expression.nodes():
                if isinstance(node, Query):
                    seen.setdefault(node, None)
        return list(seen)

    def selectors(self) -> set:
        return set().union(*(c.expression.selectors() for c in self.constraints))


@dataclass(frozen=True)
class Lookup:
    """``(inputs[0], …, inputs[m-1]) ∈ {(tables[0][row], …) : row usable}``."""

    index: int
    name: str
    inputs: tuple
    tables: tuple

    def input_degree(self) -> int:
        return max([1] + [e.degree() for e in self.inputs])

    def table_degree(self) -> int:
        return max([1] + [e.degree() for e in self.tables])

    def degree(self) -> int:
        """The lookup argument's constraint
        Z(ωX)(A′+β)(S′+γ) − Z(X)(θ-compressed input + β)(θ-compressed table + γ), times l_active."""
        return max(4, 2 + self.input_degree() + self.table_degree())


class VirtualCells:
    """What a gate or lookup closure receives as ``meta``: halo2-style typed queries.

    Querying through ``meta`` checks the column's kind; querying directly with
    ``column.rot(i)`` is equally valid — the system validates every query it is handed.
    """

    def __init__(self, cs: ConstraintSystem):
        self._cs = cs

    def _query(self, column: Column, rotation: int, kind: str | None) -> Query:
        if not isinstance(column, Column):
            raise InputError(f"expected a Column, got {type(column).__name__}")
        if kind is not None and column.kind != kind:
            raise InputError(f"query_{kind} called on {column.kind} column '{column.name}'")
        return column.rot(rotation)

    def query_advice(self, column: Column, rotation: int = 0) -> Query:
        return self._query(column, rotation, "advice")

    def query_fixed(self, column: Column, rotation: int = 0) -> Query:
        return self._query(column, rotation, "fixed")

    def query_instance(self, column: Column, rotation: int = 0) -> Query:
        return self._query(column, rotation, "instance")

    def query_any(self, column: Column, rotation: int = 0) -> Query:
        return self._query(column, rotation, None)

    def query_selector(self, selector: Selector) -> Selector:
        return selector


class ConstraintSystem:
    """Everything ``configure`` declares, plus the protocol quantities derived from it."""

    def __init__(self):
        self.advice_columns: list[Column] = []
        self.fixed_columns: list[Column] = []
        self.instance_columns: list[Column] = []
        self.selectors: list[Selector] = []
        self.table_columns: list[Column] = []      # fixed columns reserved for lookup tables
        self.permutation_columns: list[Column] = []  # equality-enabled, in enabling order
        self.constants_columns: list[Column] = []  # fixed columns holding constrain_constant values
        self.gates: list[Gate] = []
        self.lookups: list[Lookup] = []
        self._queries: dict[Query, None] = {}      # every (column, rotation) queried, first-use order
        self._names: set[str] = set()

    # --- allocation ------------------------------------------------------------------------
    def _column(self, kind: str, columns: list, name: str | None) -> Column:
        name = name or f"{kind}_{len(columns)}"
        if name in self._names:
            raise InputError(f"column or selector name '{name}' is declared twice")
        self._names.add(name)
        column = Column(kind, len(columns), name)
        columns.append(column)
        return column

    def advice_column(self, name: str | None = None) -> Column:
        return self._column("advice", self.advice_columns, name)

    def fixed_column(self, name: str | None = None) -> Column:
        return self._column("fixed", self.fixed_columns, name)

    def instance_column(self, name: str | None = None) -> Column:
        return self._column("instance", self.instance_columns, name)

    def lookup_table_column(self, name: str | None = None) -> Column:
        """A fixed column filled only through ``layouter.assign_table``, like halo2's
        ``TableColumn``: rows left unassigned repeat the first value instead of holding 0."""
        column = self.fixed_column(name)
        self.table_columns.append(column)
        return column

    def selector(self, name: str | None = None) -> Selector:
        """A simple selector: a gate multiplied by it is active only where a region enables it."""
        name = name or f"selector_{len(self.selectors)}"
        if name in self._names:
            raise InputError(f"column or selector name '{name}' is declared twice")
        self._names.add(name)
        selector = Selector(len(self.selectors), name)
        self.selectors.append(selector)
        return selector

    def enable_equality(self, column: Column) -> None:
        """Allow copy constraints on ``column`` (adds it to the permutation argument)."""
        self._check_column(column, "enable_equality")
        if column not in self.permutation_columns:
            self.permutation_columns.append(column)
            self._queries.setdefault(column.cur(), None)

    def enable_constant(self, column: Column) -> None:
        """Use the fixed ``column`` to hold the values of ``region.constrain_constant``."""
        self._check_column(column, "enable_constant")
        if column.kind != "fixed" or column in self.table_columns:
            raise InputError(f"enable_constant needs a (non-table) fixed column, got '{column.name}'")
        if column not in self.constants_columns:
            self.constants_columns.append(column)
        self.enable_equality(column)

    # --- gates and lookups -----------------------------------------------------------------
    def create_gate(self, name: str, constraints: Callable | list) -> Gate:
        """Add a gate. ``constraints`` is ``fn(meta) -> list`` (or the list itself) whose items
        are expressions or ``(constraint_name, expression)`` pairs."""
        items = constraints(VirtualCells(self)) if callable(constraints) else constraints
        if isinstance(items, (Expression, tuple)):
            items = [items]
        parsed = []
        for i, item in enumerate(items or []):
            cname, expr = item if isinstance(item, tuple) else ("", item)
            if not isinstance(cname, str):
                raise InputError(f"gate '{name}': constraint {i} name must be a string")
            expr = self._check_expression(expr, f"gate '{name}'", tables=False)
            parsed.append(Constraint(i, cname, expr))
        if not parsed:
            raise InputError(f"gate '{name}' has no constraints")
        gate = Gate(len(self.gates), name, tuple(parsed))
        self.gates.append(gate)
        for c in parsed:
            self._record_queries(c.expression)
        return gate

    def lookup(self, name: str, pairs: Callable | list) -> Lookup:
        """Add a lookup: ``pairs`` is ``fn(meta) -> [(input_expr, table), ...]`` (or the list),
        where ``table`` is a fixed column (e.g. a ``lookup_table_column``) or an expression
        over fixed columns."""
        items = pairs(VirtualCells(self)) if callable(pairs) else pairs
        inputs, tables = [], []
        for i, item in enumerate(items or []):
            if not (isinstance(item, tuple) and len(item) == 2):
                raise InputError(f"lookup '{name}': item {i} must be an (input, table) pair")
            inp, table = item
            if isinstance(table, Column):
                table = table.cur()
            inputs.append(self._check_expression(inp, f"lookup '{name}' input", tables=False))
            tables.append(self._check_expression(table, f"lookup '{name}' table", tables=True))
        if not inputs:
            raise InputError(f"lookup '{name}' has no (input, table) pairs")
        lookup = Lookup(len(self.lookups), name, tuple(inputs), tuple(tables))
        self.lookups.append(lookup)
        for e in inputs + tables:
            self._record_queries(e)
        return lookup

    # --- validation ------------------------------------------------------------------------
    def _declared(self, column: Column) -> bool:
        columns = {"advice": self.advice_columns, "fixed": self.fixed_columns,
                   "instance": self.instance_columns}.get(column.kind, [])
        return column.index < len(columns) and columns[column.index] == column

    def _check_column(self, column, what: str) -> None:
        if not isinstance(column, Column):
            raise InputError(f"{what}: expected a Column, got {type(column).__name__}")
        if not self._declared(column):
            raise InputError(f"{what}: column '{column.name}' ({column.kind} {column.index}) "
                             "was not declared by this constraint system")

    def _check_expression(self, expr, where: str, tables: bool) -> Expression:
        try:
            expr = as_expression(expr)
        except TypeError:
            raise InputError(f"{where}: expected an expression, got {type(expr).__name__}") from None
        for node in expr.nodes():
            if isinstance(node, Query):
                self._check_column(node.column, where)
                if tables and node.column.kind != "fixed":
                    raise InputError(f"{where}: lookup tables may only use fixed columns, "
                                     f"not {node.column.kind} column '{node.column.name}'")
            elif isinstance(node, Selector):
                if tables:
                    raise InputError(f"{where}: lookup tables may not use selectors")
                if node.index >= len(self.selectors) or self.selectors[node.index] != node:
                    raise InputError(f"{where}: selector '{node.name}' was not declared "
                                     "by this constraint system")
            elif isinstance(node, (Challenge, VariableX)):
                raise InputError(f"{where}: {type(node).__name__} is reserved for the prover")
        return expr

    def _record_queries(self, expr: Expression) -> None:
        for node in expr.nodes():
            if isinstance(node, Query):
                self._queries.setdefault(node, None)

    # --- derived protocol quantities ----------------------------------------------------------
    def queries(self, kind: str) -> list:
        """Queried ``Query(column, rotation)`` of one column kind, in first-use order — the
        openings the prover evaluates at ω^rotation·x. Equality columns contribute rotation 0."""
        return [q for q in self._queries if q.column.kind == kind]

    @property
    def advice_queries(self) -> list:
        return self.queries("advice")

    @property
    def fixed_queries(self) -> list:
        return self.queries("fixed")

    @property
    def instance_queries(self) -> list:
        return self.queries("instance")

    def max_advice_queries(self) -> int:
        """The largest number of distinct rotations at which any one advice column is queried."""
        counts: dict[Column, int] = {}
        for q in self.advice_queries:
            counts[q.column] = counts.get(q.column, 0) + 1
        return max(counts.values(), default=1)

    def degree(self) -> int:
        """d = max(3 (permutation), every gate's degree, every lookup's required degree)."""
        return max([PERMUTATION_DEGREE] + [g.degree() for g in self.gates]
                   + [lk.degree() for lk in self.lookups])

    def quotient_extension(self) -> int:
        """e = 2^(extended_k − k): (d − 1) rounded up to a power of two."""
        return 1 << max(0, (self.degree() - 2).bit_length())

    def blinding_factors(self) -> int:
        """Rows at the bottom of every advice column filled with randomness (halo2's rule:
        enough that the openings at x, ωx… and the multiopen reveal nothing)."""
        return max(3, self.max_advice_queries()) + 2

    def minimum_rows(self) -> int:
        """Blinding rows, plus l_last's row, plus at least one usable row on each side."""
        return self.blinding_factors() + 3

    def usable_rows(self, k: int) -> int:
        """Rows 0 .. usable_rows(k) − 1 may be assigned; row usable_rows(k) is l_last."""
        return (1 << k) - self.blinding_factors() - 1

    def minimum_k(self, rows: int) -> int:
        """The smallest k whose table has ``rows`` usable rows and at least ``minimum_rows``."""
        k = 1
        while self.usable_rows(k) < rows or (1 << k) < self.minimum_rows():
            k += 1
        return k

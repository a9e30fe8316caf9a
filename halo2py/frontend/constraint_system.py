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

from typing import Callable

from halo2py.errors import InputError
from halo2py.middleware.circuit import CircuitShape, CompiledCircuit, Constraint, Gate, Lookup, Shuffle
from halo2py.middleware.expression import (
    Challenge,
    Column,
    Expression,
    Query,
    Selector,
    VariableX,
    as_expression,
)

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
        query = column.rot(rotation)
        # halo2 numbers queries in the order the closures ask for them, not the order of the
        # finished expression's leaves: register now.
        self._cs._check_column(column, f"query_{kind or 'any'}")
        self._cs._queries.setdefault(query, None)
        return query

    def query_challenge(self, challenge: Challenge) -> Challenge:
        return challenge

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


class ConstraintSystem(CircuitShape):
    """Everything ``configure`` declares, plus the protocol quantities derived from it."""

    def __init__(self):
        self.advice_columns: list[Column] = []
        self.fixed_columns: list[Column] = []
        self.instance_columns: list[Column] = []
        self.selectors: list[Selector] = []
        self.table_columns: list[Column] = []      # fixed columns reserved for lookup tables
        self.permutation_columns: list[Column] = []  # equality-enabled, in enabling order
        self.constants_columns: list[Column] = []  # fixed columns holding constrain_constant values
        self.challenges: list[Challenge] = []      # the circuit's own, in creation order
        self.gates: list[Gate] = []
        self.lookups: list[Lookup] = []
        self.shuffles: list[Shuffle] = []
        self.minimum_degree: int | None = None
        self._queries: dict[Query, None] = {}      # every (column, rotation) queried, first-use order
        self._names: set[str] = set()

    # --- allocation ------------------------------------------------------------------------
    def _claim(self, name: str) -> str:
        """One namespace for columns, selectors and challenges (failure reports use the names)."""
        if name in self._names:
            raise InputError(f"column or selector name '{name}' is declared twice")
        self._names.add(name)
        return name

    def _column(self, kind: str, columns: list, name: str | None, phase: int = 0) -> Column:
        name = self._claim(name or f"{kind}_{len(columns)}")
        column = Column(kind, len(columns), name, phase)
        columns.append(column)
        return column

    def advice_column(self, name: str | None = None, phase: int = 0) -> Column:
        """An advice column committed in ``phase`` (0, 1 or 2, halo2's First/Second/ThirdPhase):
        its values may depend on the challenges squeezed after the earlier phases."""
        if phase not in (0, 1, 2):
            raise InputError(f"advice column '{name}': phase must be 0, 1 or 2, got {phase!r}")
        if phase > 0 and not any(c.phase == phase - 1 for c in self.advice_columns):
            raise InputError(f"advice column '{name}' is in phase {phase} but no advice column is in "
                             f"phase {phase - 1}")
        return self._column("advice", self.advice_columns, name, phase)

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
        """A simple selector: a gate multiplied by it (at the top) is active only where a region
        enables it. halo2 may combine simple selectors into one fixed column; they may not be
        used in lookups or shuffles (use ``complex_selector``)."""
        return self._selector(name, True)

    def complex_selector(self, name: str | None = None) -> Selector:
        """A selector usable anywhere in an expression (lookups and shuffles included); it keeps
        a fixed column of its own."""
        return self._selector(name, False)

    def _selector(self, name: str | None, simple: bool) -> Selector:
        name = self._claim(name or f"selector_{len(self.selectors)}")
        selector = Selector(len(self.selectors), name, simple)
        self.selectors.append(selector)
        return selector

    def challenge_usable_after(self, phase: int, name: str | None = None) -> Challenge:
        """A challenge squeezed after ``phase``'s advice commitments (halo2's
        ``challenge_usable_after``): gates may use it, and later phases' witness may read it."""
        if not any(c.phase == phase for c in self.advice_columns):
            raise InputError(f"challenge_usable_after({phase}): no advice column is in phase {phase}")
        name = self._claim(name or f"challenge_{len(self.challenges)}")
        challenge = Challenge(len(self.challenges), name, phase)
        self.challenges.append(challenge)
        return challenge

    def set_minimum_degree(self, degree: int) -> None:
        """Raise the constraint system's degree to at least ``degree`` (halo2's
        ``set_minimum_degree``)."""
        if not isinstance(degree, int) or degree < 1:
            raise InputError(f"minimum degree must be a positive int, got {degree!r}")
        self.minimum_degree = degree

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
        inputs, tables = self._pairs("lookup", name, pairs, tables=True)
        lookup = Lookup(len(self.lookups), name, tuple(inputs), tuple(tables))
        self.lookups.append(lookup)
        return lookup

    def shuffle(self, name: str, pairs: Callable | list) -> Shuffle:
        """Add a shuffle (PSE halo2's shuffle API): ``pairs`` is ``fn(meta) -> [(input_expr,
        shuffle_expr), ...]``; the rows of the θ-compressed inputs are a permutation of the rows
        of the θ-compressed shuffles (on the usable rows)."""
        inputs, shuffles = self._pairs("shuffle", name, pairs, tables=False)
        shuffle = Shuffle(len(self.shuffles), name, tuple(inputs), tuple(shuffles))
        self.shuffles.append(shuffle)
        return shuffle

    def _pairs(self, what: str, name: str, pairs, tables: bool) -> tuple:
        """The checked (left, right) expressions of a lookup or shuffle closure. Queries are
        registered as halo2 does: the closure's own as it asks, then each table column's."""
        items = pairs(VirtualCells(self)) if callable(pairs) else pairs
        other = "table" if tables else "shuffle"
        lefts, rights = [], []
        for i, item in enumerate(items or []):
            if not (isinstance(item, tuple) and len(item) == 2):
                raise InputError(f"{what} '{name}': item {i} must be an (input, {other}) pair")
            left, right = item
            lefts.append(self._check_expression(left, f"{what} '{name}' input", tables=False, argument=True))
            if tables and isinstance(right, Column):
                self._check_column(right, f"{what} '{name}' table")
                right = right.cur()
            rights.append(self._check_expression(right, f"{what} '{name}' {other}", tables=tables, argument=True))
        if not lefts:
            raise InputError(f"{what} '{name}' has no ({'input, ' + other}) pairs")
        for e in lefts + rights:
            self._record_queries(e)
        return lefts, rights

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

    def _check_expression(self, expr, where: str, tables: bool, argument: bool = False) -> Expression:
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
                if argument and node.simple:
                    raise InputError(f"{where}: simple selector '{node.name}' may not be used in a lookup or "
                                     "shuffle (halo2 forbids it); declare it with cs.complex_selector")
            elif isinstance(node, Challenge):
                if node.index >= len(self.challenges) or self.challenges[node.index] != node:
                    raise InputError(f"{where}: challenge '{node.name}' was not declared by this constraint "
                                     "system (cs.challenge_usable_after)")
            elif isinstance(node, VariableX):
                raise InputError(f"{where}: VariableX is reserved for the prover")
        return expr

    def _record_queries(self, expr: Expression) -> None:
        for node in expr.nodes():
            if isinstance(node, Query):
                self._queries.setdefault(node, None)

    # --- the compiled form ---------------------------------------------------------------------
    @property
    def query_order(self) -> tuple:
        return tuple(self._queries)

    def compile(self) -> CompiledCircuit:
        """This system as plain data for the backend (a snapshot: later declarations don't show)."""
        return CompiledCircuit(
            advice_columns=tuple(self.advice_columns), fixed_columns=tuple(self.fixed_columns),
            instance_columns=tuple(self.instance_columns), selectors=tuple(self.selectors),
            table_columns=tuple(self.table_columns), permutation_columns=tuple(self.permutation_columns),
            constants_columns=tuple(self.constants_columns), gates=tuple(self.gates),
            lookups=tuple(self.lookups), query_order=self.query_order, challenges=tuple(self.challenges),
            shuffles=tuple(self.shuffles), minimum_degree=self.minimum_degree)

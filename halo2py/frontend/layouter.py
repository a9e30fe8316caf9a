"""Turning ``synthesize`` calls into a filled table: regions, cells, copies, tables, constants.

A region's closure runs once against a recorder that keeps cells at *relative* offsets; when it
returns, the floor planner (``halo2py.frontend.floor_planner``: halo2's ``SimpleFloorPlanner``
or ``V1FloorPlanner``) says where the region starts — at once, or after all regions — and where
its constants go. Cells handed back to the circuit carry (region, offset), so copies resolve once
every region has a start row. Copies are kept in the order halo2 emits them (``copy_advice`` as
copy(new cell, source), a constant as copy(constants cell, advice cell) at the point its planner
assigns it), because halo2's permutation keygen depends on that order.

The result, ``Assignment``, is columnar: one (n, 4) uint64 array per column in the Fr
Montgomery layout of ``halo2py.arith.field`` (what the prover commits to, no conversion needed),
plus per-column ``owner`` arrays (the region that assigned each cell, −1 if none) that MockProver
uses to report unassigned cells. Bulk methods (``assign_advice_column``, ``enable_selector_range``,
``constrain_equal_rows``) fill whole column ranges with numpy so that k = 20 circuits synthesise
in seconds; per-cell methods are for ordinary circuits.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from halo2py._meminfo import available_bytes
from halo2py.arith.constants import FR_MODULUS
from halo2py.arith.field import Fr
from halo2py.errors import InputError
from halo2py.frontend.constraint_system import ConstraintSystem
from halo2py.frontend.floor_planner import RegionShape, floor_planner_class
from halo2py.middleware.expression import Column, Selector


def field_int(value) -> int:
    """A cell value as a canonical field int (ints of any sign, numpy ints)."""
    if isinstance(value, bool):
        raise InputError("cell values must be integers, got a bool")
    try:
        return operator.index(value) % FR_MODULUS
    except TypeError:
        raise InputError(f"cell values must be integers, got {type(value).__name__}") from None


def field_vector(values) -> np.ndarray:
    """Values for a bulk assignment: an Fr vector ((m, 4) uint64, Montgomery) is taken as is,
    anything else is a sequence of ints."""
    if isinstance(values, np.ndarray) and values.dtype == np.uint64 and values.ndim == 2:
        return Fr.check(values)
    return Fr.from_ints([field_int(v) for v in values])


@dataclass(frozen=True)
class Cell:
    """An assigned cell. ``region`` is the index of the region that assigned it and ``offset``
    is relative to that region's start; for instance cells ``region`` is None and ``offset``
    is the absolute row. ``value`` is the canonical field value the circuit assigned."""

    column: Column
    region: int | None
    offset: int
    value: int

    def copy_advice(self, name: str, region: Region, column: Column, offset: int) -> Cell:
        """Assign this cell's value to (column, offset) in ``region`` and constrain them equal
        (halo2 emits copy(new cell, this cell))."""
        cell = region.assign_advice(name, column, offset, self.value)
        region.constrain_equal(cell, self)
        return cell


@dataclass
class RegionInfo:
    """Where a region landed and what it touched (for failure locations)."""

    index: int
    name: str
    start: int
    rows: int
    columns: frozenset          # Columns and Selectors the region used
    annotations: dict = field(default_factory=dict)  # (column, offset) -> cell name

    def contains(self, row: int) -> bool:
        return self.start <= row < self.start + self.rows


@dataclass
class Assignment:
    """A synthesised circuit table. Values are Fr vectors (Montgomery); unassigned cells are 0.

    ``copies`` is an int64 array of shape (m, 4): (left permutation-column index, left row,
    right permutation-column index, right row), indices into ``cs.permutation_columns``, one
    row per halo2 ``copy(left, right)`` in the order halo2's floor planner emits them.
    ``instance_values`` are the public inputs as supplied, whose lengths say which instance cells
    are assigned.
    """

    cs: ConstraintSystem
    k: int
    advice: list
    advice_owner: list
    fixed: list
    fixed_owner: list
    instance: list
    instance_values: list
    selectors: list
    selector_owner: list
    copies: np.ndarray
    regions: list
    challenges: dict = field(default_factory=dict)  # circuit challenge values the witness used

    @property
    def n(self) -> int:
        return 1 << self.k

    @property
    def usable_rows(self) -> int:
        return self.cs.usable_rows(self.k)

    def values(self, column: Column) -> np.ndarray:
        return {"advice": self.advice, "fixed": self.fixed,
                "instance": self.instance}[column.kind][column.index]

    def assigned(self, column: Column) -> np.ndarray:
        """Boolean mask of the rows that hold an assigned value."""
        if column.kind == "instance":
            mask = np.zeros(self.n, dtype=bool)
            mask[:len(self.instance_values[column.index])] = True
            return mask
        owner = self.advice_owner if column.kind == "advice" else self.fixed_owner
        return owner[column.index] >= 0

    def value(self, column: Column, row: int) -> int:
        return Fr.from_mont(self.values(column)[row % self.n])

    def ints(self, column: Column) -> list:
        """The column as canonical ints, None where unassigned (slow at large k: for reports
        and tests)."""
        vals = Fr.to_ints(self.values(column))
        mask = self.assigned(column)
        return [v if m else None for v, m in zip(vals, mask.tolist())]

    def copy_pairs(self) -> list:
        """Copy constraints as ((Column, row), (Column, row)) pairs (readable form of ``copies``)."""
        cols = self.cs.permutation_columns
        return [((cols[a], ra), (cols[b], rb)) for a, ra, b, rb in self.copies.tolist()]


class _Recorder:
    """What a region (or table) closure writes, at relative offsets, before placement."""

    def __init__(self):
        self.cells: dict = {}       # (column, offset) -> canonical int
        self.bulk: list = []        # (column, offset, Fr vector)
        self.placed: list = []      # (advice column, offset, rows) placed with unknown values
        self.enables: list = []     # (selector, start, stop)
        self.annotations: dict = {}
        self.columns: set = set()
        self.height = 0

    def touch(self, column, offset: int, length: int = 1) -> None:
        if offset < 0:
            raise InputError(f"negative offset {offset} in column '{column.name}'")
        self.columns.add(column)
        self.height = max(self.height, offset + length)


class Region:
    """The handle a region closure receives (halo2's ``Region``)."""

    def __init__(self, layouter: Layouter, index: int, name: str):
        self._lay = layouter
        self._rec = _Recorder()
        self.index = index
        self.name = name

    def _check(self, column: Column, kind: str) -> None:
        cs = self._lay.cs
        if not isinstance(column, Column) or column.kind != kind or not cs._declared(column):
            raise InputError(f"region '{self.name}': '{getattr(column, 'name', column)}' is not "
                             f"a declared {kind} column")
        if column in cs.table_columns:
            raise InputError(f"region '{self.name}': table column '{column.name}' can only be "
                             "filled with layouter.assign_table")

    @property
    def has_witness(self) -> bool:
        """False in keygen-only synthesis: advice values are unknown (halo2's ``Value::unknown``);
        a circuit may skip its witness computation, and callable values are not called."""
        return self._lay.has_witness

    def get_challenge(self, challenge) -> int:
        return self._lay.get_challenge(challenge)

    def _value(self, kind: str, column: Column, value):
        """An advice value may be a callable (halo2's ``|| value`` closure), called only when the
        witness of its column's phase is wanted; otherwise (keygen-only synthesis, or a column of
        a later phase than the one being synthesised) it reads as 0."""
        if kind == "advice" and not self._lay.wants(column):
            return 0
        if not callable(value):
            return value
        outer, self._lay.computing_phase = self._lay.computing_phase, column.phase if kind == "advice" else None
        try:
            return value()
        finally:
            self._lay.computing_phase = outer

    def _assign(self, kind: str, name: str, column: Column, offset: int, value) -> Cell:
        self._check(column, kind)
        offset = operator.index(offset)
        self._rec.touch(column, offset)
        value = field_int(self._value(kind, column, value))
        self._rec.cells[(column, offset)] = value
        if name:
            self._rec.annotations[(column, offset)] = name
        return Cell(column, self.index, offset, value)

    def assign_advice(self, name: str, column: Column, offset: int, value) -> Cell:
        return self._assign("advice", name, column, offset, value)

    def assign_fixed(self, name: str, column: Column, offset: int, value) -> Cell:
        return self._assign("fixed", name, column, offset, value)

    def assign_advice_from_constant(self, name: str, column: Column, offset: int, value) -> Cell:
        """Assign a constant and pin it with a copy to the constants column."""
        cell = self.assign_advice(name, column, offset, value)
        self.constrain_constant(cell, value)
        return cell

    def assign_advice_from_instance(self, name: str, instance_column: Column, row: int,
                                    column: Column, offset: int) -> Cell:
        """Copy public input ``instance_column[row]`` into an advice cell of this region
        (halo2 emits copy(advice cell, instance cell))."""
        source = self._lay.instance_cell(instance_column, row)
        cell = self.assign_advice(name, column, offset, source.value)
        self.constrain_equal(cell, source)
        return cell

    def enable_selector(self, selector: Selector, offset: int) -> None:
        self.enable_selector_range(selector, offset, operator.index(offset) + 1)

    def enable_selector_range(self, selector: Selector, start: int, stop: int) -> None:
        """Enable ``selector`` on offsets start .. stop − 1 of this region."""
        cs = self._lay.cs
        if not isinstance(selector, Selector) or selector.index >= len(cs.selectors) \
                or cs.selectors[selector.index] != selector:
            raise InputError(f"region '{self.name}': {selector!r} is not a declared selector")
        if stop > start:
            self._rec.touch(selector, start, stop - start)
            self._rec.enables.append((selector, start, stop))

    def assign_advice_column(self, name: str, column: Column, values, offset: int = 0,
                             rows: int | None = None) -> None:
        """Bulk: ``values`` (ints or an Fr vector, or a callable returning them — then ``rows``
        says how many, so keygen-only synthesis can place the region without calling it) into
        offsets offset .. offset + len − 1."""
        if not self._lay.wants(column):
            count = rows if rows is not None else len(values)
            self._check(column, "advice")
            if count:
                self._rec.touch(column, offset, count)
                self._rec.placed.append((column, offset, count))
            return
        values = values() if callable(values) else values
        if rows is not None and len(values) != rows:
            raise InputError(f"region '{self.name}': column '{column.name}' got {len(values)} values, "
                             f"declared rows={rows}")
        self._bulk("advice", column, values, offset)

    def assign_fixed_column(self, name: str, column: Column, values, offset: int = 0) -> None:
        self._bulk("fixed", column, values, offset)

    def _bulk(self, kind: str, column: Column, values, offset: int) -> None:
        self._check(column, kind)
        vec = field_vector(values)
        if len(vec):
            self._rec.touch(column, offset, len(vec))
            self._rec.bulk.append((column, offset, vec))

    def constrain_equal(self, a: Cell, b: Cell) -> None:
        self._lay.constrain_equal(a, b)

    def constrain_equal_rows(self, column_a: Column, offsets_a, column_b: Column,
                             offsets_b) -> None:
        """Bulk copies between offsets of this region: column_a[offsets_a[i]] = column_b[offsets_b[i]]."""
        self._lay.add_copy_batch(column_a, self.index, offsets_a, column_b, self.index, offsets_b)

    def constrain_constant(self, cell: Cell, value) -> None:
        """Constrain ``cell`` to equal ``value`` through the constants column (halo2-style)."""
        self._lay.constrain_constant(cell, value)


class Table:
    """The handle an ``assign_table`` closure receives: fills lookup-table columns from row 0."""

    def __init__(self, layouter: Layouter, name: str):
        self._lay = layouter
        self._rec = _Recorder()
        self.name = name

    def _check(self, column: Column) -> None:
        if column not in self._lay.cs.table_columns:
            raise InputError(f"table '{self.name}': '{getattr(column, 'name', column)}' is not "
                             "a lookup_table_column")

    def assign_cell(self, name: str, column: Column, offset: int, value) -> None:
        self._check(column)
        offset = operator.index(offset)
        self._rec.touch(column, offset)
        self._rec.cells[(column, offset)] = field_int(value)

    def assign_column(self, name: str, column: Column, values) -> None:
        """Bulk: the whole table column from row 0."""
        self._check(column)
        vec = field_vector(values)
        if len(vec):
            self._rec.touch(column, 0, len(vec))
            self._rec.bulk.append((column, 0, vec))


def keygen_table_bytes(cs: ConstraintSystem, k: int) -> int:
    """What a keygen-only layout at 2^k rows holds once its fixed columns are filled: every fixed
    column (n field elements — keygen needs each one whole, in both bases, after this), every
    cell owner (an int32 per row for each advice, fixed and selector column) and every selector
    (a byte per row). Advice and instance columns stay unwritten zero pages without a witness."""
    columns = len(cs.advice_columns) + len(cs.fixed_columns) + len(cs.selectors)
    return (1 << k) * (32 * len(cs.fixed_columns) + 4 * columns + len(cs.selectors))


def _check_keygen_table_fits(cs: ConstraintSystem, k: int) -> None:
    """Refuse at once a keygen-only layout (keygen, a rebuilt vk, ``plan``, ``info``) that could
    never fit in this machine's memory, rather than fill it and be killed: ``plan stress --k 28``
    had 21 GB resident after a minute, on its way to about 70 GiB."""
    need, free = keygen_table_bytes(cs, k), available_bytes()
    if free is not None and need > free:
        raise InputError(f"k={k}: laying this circuit out takes {need / 2**30:.1f} GiB (its "
                         f"{len(cs.fixed_columns)} fixed columns and the cell owners), and this machine has "
                         f"{free / 2**30:.1f} GiB available; use a machine with more memory or a smaller k")


class Layouter:
    """Places regions (through its floor planner) and tables, records copies in halo2's order,
    and produces the ``Assignment``."""

    def __init__(self, cs: ConstraintSystem, k: int, instances: list | None, witness: bool = True,
                 floor_planner: str = "simple", phase: int | None = None, challenges: dict | None = None,
                 zeros=None):
        self.cs = cs
        self.k = k
        self._planner = floor_planner_class(floor_planner)()
        n = 1 << k
        self.usable = cs.usable_rows(k)
        self.has_witness = witness
        # The proving phase being synthesised (default: all of them) and the values of the
        # circuit challenges squeezed so far, by index.
        self.phase = max((c.phase for c in cs.advice_columns), default=0) if phase is None else phase
        self.challenges = dict(challenges or {})
        self.computing_phase = None  # the phase of the advice cell whose value callable is running
        if witness:
            self.instance_values = self._check_instances(instances)
        else:  # keygen-only: the public inputs are unknown, as every advice value is
            self.instance_values = [[] for _ in cs.instance_columns]

        if not witness and zeros is None:
            _check_keygen_table_fits(cs, k)
        # ``zeros(shape)``: where the table's columns are made (zero-filled uint64); the prover's
        # out-of-core mode passes its column store's, so the table is born in spill files
        zeros = zeros or (lambda shape: np.zeros(shape, dtype=np.uint64))

        def store(count):
            return [zeros((n, 4)) for _ in range(count)]

        def owner(count):
            return [np.full(n, -1, dtype=np.int32) for _ in range(count)]

        self.advice, self.advice_owner = store(len(cs.advice_columns)), owner(len(cs.advice_columns))
        self.fixed, self.fixed_owner = store(len(cs.fixed_columns)), owner(len(cs.fixed_columns))
        self.selectors = [np.zeros(n, dtype=bool) for _ in cs.selectors]
        self.selector_owner = owner(len(cs.selectors))
        self.instance = store(len(cs.instance_columns))
        for col, vals in zip(self.instance, self.instance_values):
            if vals:
                col[:len(vals)] = Fr.from_ints(vals)
        self.regions: list[RegionInfo] = []
        self._starts: list = []           # per region index; None until its planner decides
        self._unplaced: list = []         # (region index, _Recorder) waiting for the plan
        self._copies: list = []           # (Cell, Cell) or _CopyBatch, in emission order
        self._open_constants: list = []   # (advice Cell, value) not yet given a fixed cell
        self._deferred_constants: list = []   # the same, for a planner that assigns them last
        self._constant_cells: list = []   # (Column, row, value) of every constants cell
        self._tables_done: set = set()
        self._rows_needed = 0

    def wants(self, column: Column) -> bool:
        """Whether advice values of ``column`` are computed in this synthesis."""
        return self.has_witness and column.phase <= self.phase

    def get_challenge(self, challenge) -> int:
        """The value of a circuit challenge (``cs.challenge_usable_after``), known once its phase's
        advice is committed; read it inside the value callable of a later phase's advice cell."""
        if not self.has_witness:
            return 0
        reading_phase = self.phase if self.computing_phase is None else self.computing_phase
        if challenge.index not in self.challenges or challenge.phase >= reading_phase:
            raise InputError(f"challenge '{challenge.name}' is not known yet: it is squeezed after phase "
                             f"{challenge.phase}, so only a value callable of a phase > {challenge.phase} "
                             "advice cell may read it")
        return self.challenges[challenge.index]

    def _check_instances(self, instances) -> list:
        count = len(self.cs.instance_columns)
        instances = list(instances or [])
        if len(instances) != count:
            raise InputError(f"the circuit has {count} instance column(s) but supplied "
                             f"{len(instances)} list(s) of public inputs")
        out = []
        for col, vals in zip(self.cs.instance_columns, instances):
            vals = [field_int(v) for v in vals]
            if len(vals) > self.usable:
                raise InputError(f"instance column '{col.name}' has {len(vals)} values but only "
                                 f"{self.usable} usable rows at k={self.k}")
            out.append(vals)
        return out

    # --- regions ---------------------------------------------------------------------------
    def assign_region(self, name: str, assignment: Callable):
        """Run ``assignment(region)`` once, place the region (or keep it for the planner's
        plan), then assign the constants it constrained; returns what the closure returns
        (typically cells for later copies)."""
        region = Region(self, len(self.regions), name)
        result = assignment(region)
        rec = region._rec
        self._record(rec, region.index, name)
        start = self._planner.place(RegionShape(frozenset(rec.columns), rec.height))
        if start is None:
            self._unplaced.append((region.index, rec))
        else:
            self._write(rec, region.index, start)
        self._assign_constants(self._planner.region_constants)
        return result

    def assign_table(self, name: str, assignment: Callable) -> None:
        """Fill lookup-table columns from row 0; unassigned usable rows repeat row 0's value
        so that a default 0 never slips into the table."""
        table = Table(self, name)
        assignment(table)
        rec = table._rec
        for column in rec.columns:
            if column in self._tables_done:
                raise InputError(f"table column '{column.name}' is assigned by two tables")
            self._tables_done.add(column)
        index = len(self.regions)
        self._record(rec, index, name)
        self._write(rec, index, 0)
        if rec.height > self.usable:
            return
        for column in rec.columns:
            owner = self.fixed_owner[column.index]
            filled = owner[:rec.height] >= 0
            if not filled.all():
                gap = int(np.argmin(filled))
                raise InputError(f"table '{name}': column '{column.name}' has no value at row "
                                 f"{gap}; table columns must be filled contiguously from row 0")
            self.fixed[column.index][rec.height:self.usable] = self.fixed[column.index][0]
            owner[rec.height:self.usable] = index
        self.regions[index].rows = self.usable

    def _record(self, rec: _Recorder, index: int, name: str) -> None:
        """The region's RegionInfo, at row 0 until ``_write`` knows its start."""
        self._starts.append(None)
        self.regions.append(RegionInfo(index, name, 0, rec.height, frozenset(rec.columns)))

    def _write(self, rec: _Recorder, index: int, start: int) -> None:
        """Put a region's recorded cells and selectors into the table at ``start``."""
        self._starts[index] = start
        info = self.regions[index]
        info.start = start
        info.annotations = {(c, start + o): a for (c, o), a in rec.annotations.items()}
        end = start + rec.height
        self._rows_needed = max(self._rows_needed, end)
        if end > self.usable:
            return  # reported by finish() with the k that would fit
        by_column: dict = {}
        for (column, offset), value in rec.cells.items():
            by_column.setdefault(column, ([], []))
            by_column[column][0].append(start + offset)
            by_column[column][1].append(value)
        for column, (rows, vals) in by_column.items():
            values, owner = self._store(column)
            values[rows] = Fr.from_ints(vals)
            owner[rows] = index
        for column, offset, vec in rec.bulk:
            values, owner = self._store(column)
            values[start + offset:start + offset + len(vec)] = vec
            owner[start + offset:start + offset + len(vec)] = index
        for column, offset, count in rec.placed:  # keygen-only: the cells exist, their values are unknown
            self.advice_owner[column.index][start + offset:start + offset + count] = index
        for selector, lo, hi in rec.enables:
            self.selectors[selector.index][start + lo:start + hi] = True
            self.selector_owner[selector.index][start + lo:start + hi] = index

    def _store(self, column: Column):
        if column.kind == "advice":
            return self.advice[column.index], self.advice_owner[column.index]
        return self.fixed[column.index], self.fixed_owner[column.index]

    # --- copies ------------------------------------------------------------------------------
    def _check_equality(self, column: Column) -> None:
        if column not in self.cs.permutation_columns:
            raise InputError(f"column '{column.name}' is not equality-enabled; call "
                             f"cs.enable_equality({column.name}) in configure")

    def instance_cell(self, column: Column, row: int) -> Cell:
        if not isinstance(column, Column) or column.kind != "instance" \
                or not self.cs._declared(column):
            raise InputError(f"'{getattr(column, 'name', column)}' is not a declared instance column")
        vals = self.instance_values[column.index]
        row = operator.index(row)
        value = vals[row] if 0 <= row < len(vals) else 0
        return Cell(column, None, row, value)

    def constrain_equal(self, a: Cell, b: Cell) -> None:
        for cell in (a, b):
            if not isinstance(cell, Cell):
                raise InputError(f"constrain_equal expects Cells, got {type(cell).__name__}")
            self._check_equality(cell.column)
        self._copies.append((a, b))

    def add_copy_batch(self, column_a, region_a, offsets_a, column_b, region_b, offsets_b) -> None:
        self._check_equality(column_a)
        self._check_equality(column_b)
        offsets_a = np.asarray(offsets_a, dtype=np.int64)
        offsets_b = np.asarray(offsets_b, dtype=np.int64)
        if offsets_a.shape != offsets_b.shape or offsets_a.ndim != 1:
            raise InputError("constrain_equal_rows needs two 1-D offset arrays of equal length")
        self._copies.append(_CopyBatch(column_a, region_a, offsets_a, column_b, region_b, offsets_b))

    def constrain_instance(self, cell: Cell, instance_column: Column, row: int) -> None:
        """Constrain ``cell`` to equal public input ``instance_column[row]``."""
        self.constrain_equal(cell, self.instance_cell(instance_column, row))

    def constrain_constant(self, cell: Cell, value) -> None:
        """Pin ``cell`` to ``value`` through a cell of the constants column, which the floor
        planner picks when the current region ends (one fixed cell per call, as in halo2)."""
        if not self.cs.constants_columns:
            raise InputError("constrain_constant needs a constants column: call "
                             "cs.enable_constant(fixed_column) in configure")
        self._check_equality(cell.column)
        self._open_constants.append((cell, field_int(value)))

    # --- constants -----------------------------------------------------------------------------
    def _assign_constants(self, cells_for) -> None:
        """Give the open constants the fixed cells ``cells_for(columns, count)`` names — or,
        if it names none yet, keep them for the end — emitting each constant's copy now."""
        if not self._open_constants:
            return
        constants, self._open_constants = self._open_constants, []
        cells = cells_for(self.cs.constants_columns, len(constants))
        if cells is None:
            self._deferred_constants.extend(constants)
            return
        for (column, row), (cell, value) in zip(cells, constants):
            self._constant_cells.append((column, row, value))
            self._copies.append((Cell(column, None, row, value), cell))

    def _write_constant_cells(self) -> None:
        """The constants cells as one "constants" region after all others (for MockProver)."""
        if not self._constant_cells:
            return
        index = len(self.regions)
        rows = [row for _, row, _ in self._constant_cells]
        start, end = min(rows), max(rows) + 1
        self.regions.append(RegionInfo(index, "constants", start, end - start,
                                       frozenset(c for c, _, _ in self._constant_cells)))
        self._rows_needed = max(self._rows_needed, end)
        if end > self.usable:
            return
        for column in self.cs.constants_columns:
            mine = [(row, value) for c, row, value in self._constant_cells if c == column]
            if mine:
                rows, values = zip(*mine)
                self.fixed[column.index][list(rows)] = Fr.from_ints(values)
                self.fixed_owner[column.index][list(rows)] = index

    # --- result ------------------------------------------------------------------------------
    def _row(self, cell: Cell) -> int:
        return cell.offset if cell.region is None else self._starts[cell.region] + cell.offset

    def _copy_array(self) -> np.ndarray:
        """``Assignment.copies`` in emission order: runs of single copies and bulk batches."""
        perm = {c: i for i, c in enumerate(self.cs.permutation_columns)}
        parts, run = [], []

        def flush():
            if run:
                parts.append(np.array(run, dtype=np.int64))
                run.clear()

        for entry in self._copies:
            if isinstance(entry, _CopyBatch):
                flush()
                parts.append(entry.rows(perm, self._starts))
            else:
                a, b = entry
                run.append((perm[a.column], self._row(a), perm[b.column], self._row(b)))
        flush()
        return np.concatenate(parts) if parts else np.zeros((0, 4), dtype=np.int64)

    def finish(self) -> Assignment:
        for (index, rec), start in zip(self._unplaced, self._planner.plan()):
            self._write(rec, index, start)
        self._unplaced = []
        self._open_constants = self._deferred_constants + self._open_constants
        self._deferred_constants = []
        self._assign_constants(self._planner.final_constants)
        self._write_constant_cells()
        if self._rows_needed > self.usable:
            raise InputError(f"the circuit needs {self._rows_needed} rows but k={self.k} has "
                             f"only {self.usable} usable rows; use k >= "
                             f"{self.cs.minimum_k(self._rows_needed)}")
        copies = self._copy_array()
        if len(copies) and (copies[:, [1, 3]].max() >= 1 << self.k or copies[:, [1, 3]].min() < 0):
            raise InputError(f"a copy constraint refers to a row outside 0 .. {(1 << self.k) - 1}")
        return Assignment(self.cs, self.k, self.advice, self.advice_owner, self.fixed,
                          self.fixed_owner, self.instance, self.instance_values, self.selectors,
                          self.selector_owner, copies, self.regions, self.challenges)


@dataclass
class _CopyBatch:
    """Bulk copies between two regions' offsets (``constrain_equal_rows``)."""

    column_a: Column
    region_a: int
    offsets_a: np.ndarray
    column_b: Column
    region_b: int
    offsets_b: np.ndarray

    def rows(self, perm: dict, starts: list) -> np.ndarray:
        batch = np.empty((len(self.offsets_a), 4), dtype=np.int64)
        batch[:, 0], batch[:, 1] = perm[self.column_a], starts[self.region_a] + self.offsets_a
        batch[:, 2], batch[:, 3] = perm[self.column_b], starts[self.region_b] + self.offsets_b
        return batch

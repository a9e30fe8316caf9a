"""Where regions and constants go: halo2's two floor planners as placement policies.

The layouter records each region at relative offsets and asks its planner two things: where the
region starts, and where the fixed cells of the region's constants go. The answers decide the
table *and* the order of the copy constraints — and halo2's σ polynomials depend on that order
(its permutation keygen merges cycles copy by copy) — so both planners reproduce halo2 exactly:

* ``SimpleFloorPlanner`` answers at once: each region, in call order, starts at the first row
  where all its columns (selectors included) are free, and its constants go, at the end of the
  region, in the first constants column at that column's next free row.
* ``V1FloorPlanner`` answers after all regions (halo2 runs a measuring pass first; the layouter's
  recorded shapes are that pass): regions sorted by advice area (advice columns × rows), stable
  ascending, then reversed, each placed first-fit over per-column free intervals; then the
  constants go into the free rows of the constants columns below the last used row.

A planner answers ``None`` when it decides later; the layouter then keeps the region's cells
until ``plan`` returns the starts of those regions (in call order), and asks ``final_constants``
for the cells of the constants still waiting.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from itertools import islice

from halo2py.errors import InputError
from halo2py.middleware.expression import Column


@dataclass(frozen=True)
class RegionShape:
    """What a planner needs of a region: the Columns and Selectors it touches, and its height."""

    columns: frozenset
    rows: int

    @property
    def advice_area(self) -> int:
        """V1's sort key: advice columns are where regions contend for rows."""
        advice = sum(1 for c in self.columns if isinstance(c, Column) and c.kind == "advice")
        return advice * self.rows


class SimpleFloorPlanner:
    """halo2's ``SimpleFloorPlanner``: one pass, every answer given when asked."""

    def __init__(self):
        self._next_free: dict = {}   # Column or Selector -> first row after everything placed in it

    def place(self, shape: RegionShape) -> int:
        start = max((self._next_free.get(c, 0) for c in shape.columns), default=0)
        for c in shape.columns:
            self._next_free[c] = start + shape.rows
        return start

    def region_constants(self, constants_columns: list, count: int) -> list:
        """Cells for the ``count`` constants of the region just placed: the first constants
        column's next free rows, which later regions using that column then start after."""
        column = constants_columns[0]
        first = self._next_free.get(column, 0)
        self._next_free[column] = first + count
        return [(column, first + i) for i in range(count)]

    def plan(self) -> list:
        """Every region was placed when asked: no start is left to give."""
        return []

    final_constants = region_constants  # constrained outside any region: placed at the end


class _Allocations:
    """One column's allocated rows as intervals [start, end): disjoint, not touching, sorted."""

    def __init__(self):
        self.starts: list = []
        self.ends: list = []

    def blocking_end(self, start: int, rows: int) -> int | None:
        """The end of the last allocated interval overlapping [start, start + rows), if any:
        no region of this height can start before it and still avoid that interval."""
        i = bisect_left(self.starts, start + rows)
        if i and self.ends[i - 1] > start:
            return self.ends[i - 1]
        return None

    def allocate(self, start: int, rows: int) -> None:
        """Add [start, start + rows), merged with the intervals it touches: the free rows are
        the same, and a densely packed column stays one interval, so ``blocking_end`` skips
        it in one step instead of one step per region."""
        end = start + rows
        i = bisect_left(self.starts, start)
        if i and self.ends[i - 1] == start:
            i -= 1
            start = self.starts.pop(i)
            self.ends.pop(i)
        if i < len(self.starts) and self.starts[i] == end:
            self.starts.pop(i)
            end = self.ends.pop(i)
        self.starts.insert(i, start)
        self.ends.insert(i, end)

    @property
    def end(self) -> int:
        return self.ends[-1] if self.ends else 0

    def free_rows(self, stop: int):
        """Rows 0 .. stop − 1 not in any interval, ascending."""
        row = 0
        for s, e in zip(self.starts, self.ends):
            yield from range(row, min(s, stop))
            row = max(row, e)
        yield from range(row, stop)


class V1FloorPlanner:
    """halo2's ``V1`` floor planner: measure every region, then plan them all at once."""

    def __init__(self):
        self._shapes: list = []
        self._columns: dict = {}     # Column or Selector -> _Allocations

    def place(self, shape: RegionShape) -> None:
        self._shapes.append(shape)

    def region_constants(self, constants_columns: list, count: int) -> None:
        return None

    def plan(self) -> list:
        """Start rows of the regions in call order. Biggest advice area first; ties in reverse
        call order (halo2 sorts stably ascending, then reverses the whole list)."""
        order = sorted(range(len(self._shapes)), key=lambda i: self._shapes[i].advice_area)
        starts = [0] * len(self._shapes)
        for i in reversed(order):
            starts[i] = self._first_fit(self._shapes[i])
        return starts

    def _first_fit(self, shape: RegionShape) -> int:
        """The lowest row from which every column of the region is free for its height —
        what halo2's recursive search over free intervals returns."""
        if shape.rows == 0:
            return 0
        columns = [self._columns.setdefault(c, _Allocations()) for c in shape.columns]
        start, moved = 0, True
        while moved:
            moved = False
            for column in columns:
                end = column.blocking_end(start, shape.rows)
                if end is not None:
                    start, moved = end, True
        for column in columns:
            column.allocate(start, shape.rows)
        return start

    def final_constants(self, constants_columns: list, count: int) -> list:
        """Cells for all constants, in order: the free rows of each constants column (in
        ``enable_constant`` order) below the first row no region reaches. halo2 does not grow
        the circuit for them, so running out is an error there too."""
        stop = max((a.end for a in self._columns.values()), default=0)
        free = ((column, row) for column in constants_columns
                for row in self._columns.get(column, _Allocations()).free_rows(stop))
        cells = list(islice(free, count))
        if len(cells) < count:
            raise InputError(f"the v1 floor planner has {len(cells)} free row(s) for {count} "
                             f"constants in the constants column(s) within rows 0 .. {stop - 1} "
                             "(halo2's NotEnoughColumnsForConstants); add a constants column or "
                             "use the simple floor planner")
        return cells


FLOOR_PLANNERS = {"simple": SimpleFloorPlanner, "v1": V1FloorPlanner}


def floor_planner_class(name: str) -> type:
    """The planner called ``name``; an unknown name is the user's input error."""
    try:
        return FLOOR_PLANNERS[name]
    except (KeyError, TypeError):
        raise InputError(f"unknown floor planner '{name}' (choose simple or v1)") from None

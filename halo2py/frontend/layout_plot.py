"""A picture of a synthesised table, as halo2's ``dev::CircuitLayout`` draws it (matplotlib, Agg,
no pyplot state): columns on the x axis — instance, advice, fixed, then one per selector, in that
order — and rows on the y axis with row 0 at the top. Each region is a coloured rectangle over
every contiguous run of its columns and its rows, labelled with its name; assigned cells are
shaded, enabled selector cells filled darker; copy constraints are lines between the two cells
(halo2's ``show_equality_constraints``); the rows past the usable ones (blinding rows and
l_last's row) are greyed. ``rows=(start, stop)`` draws only that window of a large table.

Works on a keygen-only synthesis: advice cells are placed there, only their values are unknown.
Instance cells are unknown there too; those a copy constraint names are shaded.

Artists carry a ``gid`` so that tests (and scripts) can read the picture back: ``region:<index>``
for region rectangles, ``region-label:<index>`` for their names, ``cells``, ``equality``, ``unusable``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from halo2py.errors import InputError
from halo2py.middleware.expression import Column, Selector

KIND_ORDER = ("instance", "advice", "fixed", "selector")
KIND_LETTER = {"instance": "I", "advice": "A", "fixed": "F", "selector": "S"}
MAX_LABELLED_REGIONS = 60  # beyond this many regions in the window, names would only be noise
MAX_EQUALITY_LINES = 20000


@dataclass(frozen=True)
class LayoutColumn:
    kind: str   # instance, advice, fixed or selector
    index: int
    name: str

    @property
    def label(self) -> str:
        return f"{KIND_LETTER[self.kind]}: {self.name}"


def layout_columns(cs) -> list:
    """The x axis: instance, advice, fixed columns, then the selectors, each in declaration order."""
    out = [LayoutColumn(c.kind, c.index, c.name) for kind in ("instance", "advice", "fixed")
           for c in {"instance": cs.instance_columns, "advice": cs.advice_columns,
                     "fixed": cs.fixed_columns}[kind]]
    return out + [LayoutColumn("selector", s.index, s.name) for s in cs.selectors]


def _x_of(columns: list) -> dict:
    return {(c.kind, c.index): x for x, c in enumerate(columns)}


def _key(item) -> tuple:
    if isinstance(item, Selector):
        return ("selector", item.index)
    if isinstance(item, Column):
        return (item.kind, item.index)
    raise TypeError(item)


def parse_rows(text: str | None, n: int) -> tuple:
    """``A:B`` (rows A .. B − 1; either side may be left out) as (start, stop) within 0 .. n."""
    if text is None:
        return 0, n
    start_text, sep, stop_text = text.partition(":")
    try:
        if not sep:
            raise ValueError
        start = int(start_text) if start_text.strip() else 0
        stop = int(stop_text) if stop_text.strip() else n
    except ValueError:
        raise InputError(f"--rows expects A:B (rows A to B - 1), got '{text}'") from None
    if not 0 <= start < stop <= n:
        raise InputError(f"--rows {text}: need 0 <= A < B <= {n} (the table has n = {n} rows)")
    return start, stop


def cell_grid(assignment, columns: list, start: int, stop: int) -> np.ndarray:
    """(stop − start, columns) uint8: 0 empty, 1 assigned cell, 2 enabled selector."""
    grid = np.zeros((stop - start, len(columns)), dtype=np.uint8)
    perm = assignment.cs.permutation_columns
    copies = assignment.copies
    for x, c in enumerate(columns):
        if c.kind == "selector":
            mask = assignment.selectors[c.index][start:stop]
            grid[mask, x] = 2
            continue
        if c.kind == "instance":
            mask = np.zeros(assignment.n, dtype=bool)
            mask[:len(assignment.instance_values[c.index])] = True
            for j, column in enumerate(perm):
                if column.kind == "instance" and column.index == c.index:
                    for side in (0, 2):
                        mask[copies[copies[:, side] == j, side + 1]] = True
        else:
            owner = (assignment.advice_owner if c.kind == "advice" else assignment.fixed_owner)[c.index]
            mask = owner >= 0
        grid[mask[start:stop], x] = 1
    return grid


def _runs(xs: list) -> list:
    """Contiguous runs of sorted x positions as (first, last) pairs."""
    runs = []
    for x in sorted(xs):
        if runs and x == runs[-1][1] + 1:
            runs[-1][1] = x
        else:
            runs.append([x, x])
    return [tuple(r) for r in runs]


def plot_layout(assignment, rows: tuple | None = None, title: str | None = None,
                show_equality_constraints: bool = True, show_labels: bool = True):
    """The layout picture of ``assignment`` (a ``halo2py.frontend.layouter.Assignment``) as a
    matplotlib Figure (Agg canvas attached; ``fig.savefig(path)`` writes it)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection
    from matplotlib.colors import ListedColormap
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    n = assignment.n
    start, stop = rows if rows is not None else (0, n)
    columns = layout_columns(assignment.cs)
    x_of = _x_of(columns)
    width = max(6.0, 0.45 * len(columns) + 2.5)
    height = min(14.0, max(5.0, 0.22 * (stop - start) + 2.0))
    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)

    grid = cell_grid(assignment, columns, start, stop)
    cmap = ListedColormap([(1, 1, 1, 0), (0.45, 0.45, 0.45, 0.45), (0.1, 0.1, 0.1, 0.8)])
    image = ax.imshow(grid, cmap=cmap, vmin=0, vmax=2, aspect="auto", interpolation="nearest",
                      extent=(-0.5, len(columns) - 0.5, stop, start), zorder=2)
    image.set_gid("cells")

    usable = assignment.usable_rows
    if stop > usable:
        shade = Rectangle((-0.5, max(start, usable)), len(columns), stop - max(start, usable),
                          facecolor="0.6", alpha=0.5, edgecolor="none", zorder=0.5, gid="unusable")
        ax.add_patch(shade)

    colours = [tuple(c) for c in _palette()]
    visible = [r for r in assignment.regions if r.rows > 0 and r.start < stop and r.start + r.rows > start]
    label = show_labels and len(visible) <= MAX_LABELLED_REGIONS
    for region in visible:
        colour = colours[region.index % len(colours)]
        xs = [x_of[_key(item)] for item in region.columns if _key(item) in x_of]
        top, bottom = max(region.start, start), min(region.start + region.rows, stop)
        for first, last in _runs(xs):
            ax.add_patch(Rectangle((first - 0.5, top), last - first + 1, bottom - top, facecolor=colour,
                                   alpha=0.35, edgecolor=colour[:3], linewidth=1.2, zorder=1,
                                   gid=f"region:{region.index}"))
        if label and xs:
            ax.text(min(xs) - 0.4, top + 0.1, region.name, fontsize=7, va="top", ha="left", zorder=4,
                    clip_on=True, gid=f"region-label:{region.index}")

    if show_equality_constraints:
        copies = assignment.copies
        x_perm = np.array([x_of[(c.kind, c.index)] for c in assignment.cs.permutation_columns] or [0])
        low, high = np.minimum(copies[:, 1], copies[:, 3]), np.maximum(copies[:, 1], copies[:, 3])
        shown = copies[(high >= start) & (low < stop)][:MAX_EQUALITY_LINES]
        segments = np.stack([np.stack([x_perm[shown[:, 0]], shown[:, 1] + 0.5], axis=1),
                             np.stack([x_perm[shown[:, 2]], shown[:, 3] + 0.5], axis=1)], axis=1)
        if len(segments):
            lines = LineCollection(segments, colors="black", linewidths=0.8, zorder=3)
            lines.set_gid("equality")
            ax.add_collection(lines)

    ax.set_xlim(-0.5, len(columns) - 0.5)
    ax.set_ylim(stop, start)  # row 0 at the top
    ax.set_xticks(range(len(columns)))
    ax.set_xticklabels([c.label for c in columns], rotation=90, fontsize=8)
    for x in range(1, len(columns)):
        if columns[x].kind != columns[x - 1].kind:
            ax.axvline(x - 0.5, color="black", linewidth=1.0, zorder=3)
    ax.set_ylabel("row")
    ax.set_title(title or f"layout, rows {start} .. {stop - 1} of {n}", fontsize=10)
    fig.tight_layout()
    return fig


def _palette() -> list:
    from matplotlib import colormaps

    return [colormaps["tab10"](i) for i in range(10)]


def region_rectangles(fig) -> dict:
    """Read a layout picture back: region index → its rectangles' (x0, y0, width, height)."""
    out: dict = {}
    for patch in fig.axes[0].patches:
        gid = patch.get_gid() or ""
        if gid.startswith("region:"):
            out.setdefault(int(gid.split(":")[1]), []).append(
                (patch.get_x(), patch.get_y(), patch.get_width(), patch.get_height()))
    return out

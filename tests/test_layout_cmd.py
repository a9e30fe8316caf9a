"""``halo2py layout``: the picture read back from the matplotlib figure against the layout known
by hand — simple-example's regions, copies and selector rows as the halo2 vectors README §4.1
describes them under both floor planners, stress's copy pattern — plus the PNG, windowing, and
one-line exit-2 refusals."""

import pytest

import plonk_cases as cases
from halo2py.frontend.circuit import synthesize
from halo2py.frontend.layout_plot import cell_grid, layout_columns, parse_rows, plot_layout, region_rectangles
from plonk_cases import run_main

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def assignment(spec: str, floor_planner: str | None = None, k: int | None = None):
    return synthesize(cases.build(spec, k), witness=False, floor_planner=floor_planner).assignment


def artist(fig, gid: str):
    ax = fig.axes[0]
    found = [a for a in ax.get_children() if a.get_gid() == gid]
    return found[0] if found else None


def test_columns_in_halo2s_order():
    labels = [c.label for c in layout_columns(assignment("simple-example").cs)]
    assert labels == ["I: i0", "A: a0", "A: a1", "F: f0", "S: s_mul"]


@pytest.mark.parametrize("planner, starts", [
    # README §4.1: SimpleFloorPlanner puts R0..R5 at 0, 1, 2, 3, 5, 7; V1 at 8, 7, 6, 4, 2, 0
    ("simple", [0, 1, 2, 3, 5, 7]),
    ("v1", [8, 7, 6, 4, 2, 0]),
])
def test_simple_example_regions_copies_and_selectors(planner, starts):
    a = assignment("simple-example", planner)
    fig = plot_layout(a)
    rects = region_rectangles(fig)
    # six regions and the constants' cell; every region drawn
    assert sorted(rects) == list(range(7))
    # x: i0 = 0, a0 = 1, a1 = 2, f0 = 3, s_mul = 4. "load …" regions: one a0 cell;
    # "mul": a0 at offsets 0, 1, a1 and s_mul at 0 → two boxes, over a0..a1 and over s_mul
    for region, start in enumerate(starts[:3]):
        assert rects[region] == [(0.5, start, 1, 1)]
    for region, start in zip(range(3, 6), starts[3:]):
        assert sorted(rects[region]) == [(0.5, start, 2, 2), (3.5, start, 1, 2)]
    assert rects[6] == [(2.5, 0, 1, 1)]  # f0[0] = 7
    # 8 copy constraints, one line each; the last: R5's a0[1] (row starts[5] + 1) to i0[0]
    segments = artist(fig, "equality").get_segments()
    assert len(segments) == 8
    last = [tuple(map(tuple, s)) for s in segments][6 if planner == "v1" else 7]
    assert last == ((1.0, starts[5] + 1.5), (0.0, 0.5))
    # blinding: bf = 5, usable 10: rows 10 .. 15 greyed
    shade = artist(fig, "unusable")
    assert (shade.get_y(), shade.get_height()) == (10, 6)
    # cells: s_mul on the mul regions' first rows; a0 holds rows 0 .. 8
    grid = cell_grid(a, layout_columns(a.cs), 0, 16)
    assert sorted(grid[:, 4].nonzero()[0].tolist()) == sorted(starts[3:])
    assert set(grid[:, 4].tolist()) == {0, 2}
    assert grid[:, 1].nonzero()[0].tolist() == list(range(9))
    assert grid[:, 0].nonzero()[0].tolist() == [0]  # i0[0], named by the copy to it
    # the region names are written
    texts = {t.get_gid(): t.get_text() for t in fig.axes[0].texts}
    assert texts["region-label:0"] == "load private" and texts["region-label:5"] == "mul"


def test_rows_window_draws_only_what_is_in_it():
    a = assignment("simple-example")
    fig = plot_layout(a, (3, 6))
    rects = region_rectangles(fig)
    assert sorted(rects) == [3, 4]  # the mul regions at rows 3..4 and 5..6
    assert sorted(rects[4]) == [(0.5, 5, 2, 1), (3.5, 5, 1, 1)]  # clipped at row 6
    assert fig.axes[0].get_ylim() == (6, 3)  # row 3 at the top
    assert artist(fig, "unusable") is None


def test_stress_copies_and_regions():
    a = assignment("stress")
    fig = plot_layout(a)
    rects = region_rectangles(fig)
    # the region over e, a, b, c, d and sf .. sp (x 1 .. 11), 249 rows; the table sl (x 12) fills 250
    assert rects == {0: [(0.5, 0, 11, 249)], 1: [(11.5, 0, 1, 250)]}
    # 124 pairs, two copies each (a to a, the square b to c)
    assert len(artist(fig, "equality").get_segments()) == 248


def test_cli_writes_a_png(tmp_path, monkeypatch, capsys):
    out = tmp_path / "layout.png"
    code, stdout, err = run_main(monkeypatch, capsys, "layout", "simple-example", "--out", str(out))
    assert code == 0, err
    assert out.read_bytes()[:8] == PNG_MAGIC
    assert "7 region(s)" in stdout and "rows 0 .. 15 of 16" in stdout


def test_cli_rows_window(tmp_path, monkeypatch, capsys):
    out = tmp_path / "w.png"
    code, stdout, err = run_main(monkeypatch, capsys, "layout", "stress", "--k", "6", "--rows", "40:64",
                                 "--out", str(out))
    assert code == 0, err
    assert out.read_bytes()[:8] == PNG_MAGIC and "rows 40 .. 63 of 64" in stdout


def test_parse_rows():
    assert parse_rows(None, 16) == (0, 16)
    assert parse_rows("3:6", 16) == (3, 6)
    assert parse_rows(":4", 16) == (0, 4) and parse_rows("12:", 16) == (12, 16)


@pytest.mark.parametrize("rows", ["abc", "5:3", "0:17", "-1:4", "4", "3:3", "x:5"])
def test_bad_rows_is_one_line_exit_2(rows, tmp_path, monkeypatch, capsys):
    out = tmp_path / "x.png"
    code, stdout, err = run_main(monkeypatch, capsys, "layout", "simple-example", "--rows", rows, "--out", str(out))
    assert code == 2 and stdout == "" and not out.exists()
    assert "--rows" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("args, message", [
    (["--out", "/no/such/dir/x.png"], "no such directory"),
    (["--out", "{tmp}/x.unknownformat"], "cannot write picture"),
    (["--out", "{tmp}/x.png", "--floor-planner", "v9"], "v9"),
    (["--out", "{tmp}/x.png", "--param", "nope=1"], "no parameter 'nope'"),
])
def test_bad_input_is_one_line_exit_2(args, message, tmp_path, monkeypatch, capsys):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    code, stdout, err = run_main(monkeypatch, capsys, "layout", "simple-example", *args)
    assert code == 2 and stdout == ""
    assert message in err and len(err.strip().splitlines()) == 1
    assert [p.name for p in tmp_path.iterdir()] == []  # no picture, and no temporary file left

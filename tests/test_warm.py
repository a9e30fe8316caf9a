"""``python -m halo2py.warm``: progress on stderr, one step per kernel group with its time (plain
lines when stderr is not a terminal, as under ``make install > log``), then the summary."""

import re
import sys
import types

from halo2py import warm


def test_warm_prints_a_line_per_kernel_group_when_not_a_terminal(monkeypatch, capsys):
    calls = []
    for name in ("fake_warm_a", "fake_warm_b"):
        module = types.ModuleType(name)
        module.warm = lambda name=name: calls.append(name)
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.setattr(warm, "WARM_MODULES", [("fake_warm_a", "group a"), ("fake_warm_b", "group b")])
    warm.main()
    out, err = capsys.readouterr()
    assert calls == ["fake_warm_a", "fake_warm_b"]
    lines = err.splitlines()
    assert lines[0] == "compiling kernels 1/2: group a …" and lines[2] == "compiling kernels 2/2: group b …"
    for line in (lines[1], lines[3]):
        assert re.fullmatch(r"compiling kernels \d/2: group \w done in \d+\.\d s \(\d+:\d\d elapsed\)", line), line
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", err)  # no cursor movement, no \r
    assert out.startswith("halo2py: kernels compiled and cached in ") and out.count("\n") == 1

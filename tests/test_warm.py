"""``python -m halo2py.warm``: a progress bar on stderr, one step per warm module, then the summary."""

import sys
import types

from halo2py import warm


def test_warm_shows_progress_per_module(monkeypatch, capsys):
    calls = []
    for name in ("fake_warm_a", "fake_warm_b"):
        module = types.ModuleType(name)
        module.warm = lambda name=name: calls.append(name)
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.setattr(warm, "WARM_MODULES", ["fake_warm_a", "fake_warm_b"])
    warm.main()
    out, err = capsys.readouterr()
    assert calls == ["fake_warm_a", "fake_warm_b"]
    assert "compiling kernels" in err and "2/2" in err and "0:00:00" in err  # steps done, elapsed time
    assert out.startswith("halo2py: kernels compiled and cached in ") and out.count("\n") == 1

"""One plugin mechanism: third-party strategies and circuits arrive by entry point and are then
listed, conformance-tested and proved exactly like the built-ins — no edit in halo2py."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from halo2py import plugins
from halo2py.frontend.circuit import CIRCUITS, load_circuit_class
from halo2py.quotient.registry import STRATEGIES, load

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "examples"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A directory that looks like an installed distribution holding one strategy and one
    circuit, registered through the entry-point groups."""
    root = tmp_path_factory.mktemp("site")
    (root / "acme_strategy.py").write_text((EXAMPLES / "toy_strategy.py").read_text())
    (root / "acme_circuit.py").write_text((EXAMPLES / "my_circuit.py").read_text())
    info = root / "acme_plugins-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-plugins\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(
        "[halo2py.strategies]\nacme-reversed = acme_strategy:ReversedParts\n\n"
        "[halo2py.circuits]\nacme-circuit = acme_circuit:NibbleSum\n")
    return root


def _run(site, *args):
    env = {**os.environ, "PYTHONPATH": str(site)}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, cwd=ROOT)


def test_entry_point_plugins_are_listed_and_conformance_tested(site):
    done = _run(site, "-m", "halo2py", "strategies", "--json")
    assert done.returncode == 0, done.stderr
    assert "acme-reversed" in {s["name"] for s in json.loads(done.stdout)["strategies"]}
    collected = _run(site, "-m", "pytest", "--collect-only", "-q", "tests/test_strategies.py", "tests/test_prove.py")
    assert "test_registered_strategy_conforms[acme-reversed]" in collected.stdout, collected.stdout[-2000:]
    assert "acme-circuit" in collected.stdout  # the round-trip tests cover the new circuit too


def test_file_specs_follow_one_rule_for_both_kinds(tmp_path):
    assert plugins.is_path("x.py") and plugins.is_path("dir/x.py:Cls") and not plugins.is_path("stress")
    strategy = load(f"{EXAMPLES / 'toy_strategy.py'}:ReversedParts")
    circuit = load_circuit_class(str(EXAMPLES / "my_circuit.py"))
    for cls in (strategy, circuit):
        assert sys.modules[cls.__module__].__file__ == str(Path(sys.modules[cls.__module__].__file__).resolve())
    for kind in (STRATEGIES, CIRCUITS):
        with pytest.raises(plugins.PluginError, match=f"{kind.noun} file not found"):
            plugins.load(kind, str(tmp_path / "missing.py"))
        (tmp_path / "d.py").mkdir(exist_ok=True)
        with pytest.raises(plugins.PluginError, match="is a directory"):
            plugins.load(kind, str(tmp_path / "d.py"))
        with pytest.raises(plugins.PluginError, match=f"unknown {kind.noun} 'nope'"):
            plugins.load(kind, "nope")

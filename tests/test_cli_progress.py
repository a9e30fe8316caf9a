"""Progress on stderr: a live spinner only on a terminal, plain lines in captured output (the
kernel warm-up's lines: tests/test_warm.py)."""

import io
import os
import re
import subprocess
import sys

from rich.console import Console

from halo2py.cli.console import PhaseProgress
from halo2py.timing import PhaseTimer

PHASES = ["synthesis", "keygen", "instances", "advice commit", "lookups", "permutation", "lookup products",
          "quotient", "evaluations", "multiopen"]
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # anything but tab and newline: escapes, \r


def _plain_env():
    env = {k: v for k, v in os.environ.items() if k not in ("TTY_INTERACTIVE", "TTY_COMPATIBLE", "FORCE_COLOR")}
    return {**env, "COLUMNS": "80"}


def test_captured_prove_shows_each_phase_once_without_control_characters(tmp_path):
    import plonk_cases

    plonk_cases.params(4).write(tmp_path / "p.bin")
    done = subprocess.run([sys.executable, "-m", "halo2py", "prove", "fibonacci", "--k", "4", "--seed", "1",
                           "--params", str(tmp_path / "p.bin"), "--out", str(tmp_path / "proof.bin")],
                          capture_output=True, text=True, env=_plain_env())
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and not CONTROL.search(done.stderr), repr(done.stderr)
    progress = [line[2:] for line in done.stderr.splitlines() if line.startswith("… ")]
    assert progress == PHASES, done.stderr


def test_on_a_terminal_the_phases_are_a_transient_live_display():
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, force_interactive=True, width=60)
    with PhaseProgress(console) as progress:
        timer = PhaseTimer([progress])
        for name in ("keygen", "quotient", "keygen"):
            with timer.phase(name):
                pass
        assert list(progress.tasks) == ["keygen", "quotient"]  # a recurring phase is one row
        assert all(task.finished for task in progress.progress.tasks)
    assert "quotient" in screen.getvalue() and "… " not in screen.getvalue()


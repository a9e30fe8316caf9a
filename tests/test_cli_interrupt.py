"""Ctrl-C: one line "interrupted" on stderr, exit 130, and no partial or temporary output file."""

import json
import signal
import subprocess
import sys
import time

import pytest
from interrupts import interruptible

from halo2py._output import output_file
from halo2py.cli.files import write_output
from halo2py.errors import InputError


def test_sigint_during_setup_exits_130_and_leaves_nothing(tmp_path):
    out = tmp_path / "params.bin"
    # k = 20: seconds of work even on a quiet machine (k = 16 finished in 0.75 s there, before the
    # signal); the signal comes 0.3 s after the command is past its imports
    proc = subprocess.Popen([sys.executable, "-m", "halo2py", "setup", "--k", "20", "--out", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
                            preexec_fn=interruptible)
    first = proc.stderr.readline()  # the UNSAFE notice: the command is running, past its imports
    assert "UNSAFE" in first
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert stderr.strip().splitlines() == ["interrupted"]
    assert stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_interrupted_write_removes_its_temporary_file(tmp_path):
    target = tmp_path / "proof.bin"
    with pytest.raises(KeyboardInterrupt):
        with output_file(target) as f:
            f.write(b"half a proof")
            raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_write_replaces_the_target_whole(tmp_path):
    target = tmp_path / "proof.bin"
    target.write_bytes(b"old")
    write_output(target, b"new", "proof file")
    assert target.read_bytes() == b"new" and list(tmp_path.iterdir()) == [target]
    with pytest.raises(InputError, match="cannot write proof file"):
        write_output(tmp_path / "missing" / "proof.bin", b"x", "proof file")


def test_interrupted_params_write_removes_its_temporary_file(tmp_path, monkeypatch):
    from halo2py.commitment.params import ParamsKZG

    params = ParamsKZG.setup_with_secret(2, 2)

    def cut_short():
        yield b"\0" * 10
        raise KeyboardInterrupt

    monkeypatch.setattr(params, "_chunks", cut_short)
    with pytest.raises(KeyboardInterrupt):
        params.write(tmp_path / "params.bin")
    assert list(tmp_path.iterdir()) == []


def test_interrupt_with_json_is_one_json_failure(monkeypatch, capsys):
    from halo2py import pipeline
    from plonk_cases import run_main

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "build_circuit", interrupted)
    code, out, err = run_main(monkeypatch, capsys, "check", "fibonacci", "--json")
    assert code == 130 and err.strip() == "interrupted"
    assert json.loads(out) == {"ok": False, "error": "interrupted", "exit_code": 130}


def test_ctrl_c_waits_until_numbas_compiler_is_done():
    """A SIGINT while this thread holds Numba's compiler lock (a kernel loading from the cache,
    whose LLVM callbacks cannot take an exception) is held back, then raised once the lock is
    released; outside the lock it is raised at once."""
    from numba.core.compiler_lock import global_compiler_lock

    from halo2py.cli import interrupts

    before = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        assert interrupts.install() and interrupts.install()
        with global_compiler_lock:
            signal.raise_signal(signal.SIGINT)
            for _ in range(20):  # bytecode runs, the handler with it, and the retries: nothing is raised
                time.sleep(interrupts.RETRY_SECONDS)
        with pytest.raises(KeyboardInterrupt):
            time.sleep(5)  # the next retry finds the lock free
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGINT)
            time.sleep(5)
    finally:
        signal.signal(signal.SIGINT, before)


def test_an_ignored_sigint_stays_ignored():
    from halo2py.cli import interrupts

    before = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        assert interrupts.install() is False
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before)

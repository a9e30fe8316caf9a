"""Input files have ceilings: an endless stream or a huge file is one line and exit 2, read no
further than its ceiling (a regular file is refused from its size alone)."""

import os

import pytest

from halo2py import _input
from halo2py._input import TooLarge, read_bounded
from plonk_cases import run_main

ZERO = "/dev/zero"
needs_dev_zero = pytest.mark.skipif(not os.path.exists(ZERO), reason="no /dev/zero here")


@needs_dev_zero
def test_an_endless_stream_stops_at_the_ceiling(monkeypatch):
    monkeypatch.setitem(_input.LIMITS, "proof", 1024)
    with pytest.raises(TooLarge, match="more than the 1024 bytes such a file may hold"):
        read_bounded(ZERO, "proof")


def test_a_regular_file_is_judged_by_its_size_before_reading(tmp_path, monkeypatch):
    big = tmp_path / "big.bin"
    with open(big, "wb") as f:
        f.truncate(5 << 20)  # sparse: nothing to read, only a size
    small = tmp_path / "small.bin"
    small.write_bytes(b"a small key")
    monkeypatch.setitem(_input.LIMITS, "key", 1 << 20)
    assert read_bounded(small, "key") == b"a small key"
    monkeypatch.setattr("builtins.open", _no_read(open))
    with pytest.raises(TooLarge, match="5242880 bytes, more than the 1 MiB"):
        read_bounded(big, "key")


def _no_read(real_open):
    def opened(*args, **kwargs):
        f = real_open(*args, **kwargs)

        def read(*a, **k):
            raise AssertionError("read a file its size already refused")
        f.read = read
        return f
    return opened


@needs_dev_zero
@pytest.mark.parametrize("args, what", [
    (["prove", "fibonacci", "--inputs", ZERO, "--out", "/dev/null"], "inputs file"),
    (["verify", "fibonacci", "--proof", ZERO], "proof file"),
    (["verify", "fibonacci", "--halo2-proof", ZERO, "--k", "5"], "raw transcript"),
])
def test_the_cli_refuses_an_endless_input_in_one_line(monkeypatch, capsys, args, what):
    monkeypatch.setitem(_input.LIMITS, "proof", 1 << 20)  # the ceilings, smaller: the same path, faster
    monkeypatch.setitem(_input.LIMITS, "json", 1 << 20)
    code, out, err = run_main(monkeypatch, capsys, *args)
    assert code == 2 and "Traceback" not in err and "MemoryError" not in err
    assert f"cannot read {what} {ZERO}" in err and "such a file may hold" in err and err.count("\n") == 1

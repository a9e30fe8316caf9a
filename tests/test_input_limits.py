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


def test_importing_py_ecc_through_halo2py_keeps_the_recursion_limit():
    """py_ecc raises the limit to 100 000 for the whole process; past the default a deep
    recursion overflows the C stack (a segfault) instead of raising RecursionError."""
    import subprocess
    import sys

    code = ("import sys; before = sys.getrecursionlimit(); import halo2py.commitment.pairing, "
            "halo2py.commitment.g2_encoding; print(before, sys.getrecursionlimit())")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    before, after = done.stdout.split()
    assert before == after


def test_hostile_json_is_one_line_everywhere(monkeypatch, capsys, tmp_path):
    """Nesting deep enough to exhaust the recursion limit, and a number longer than Python turns
    into an int: in a proof file's settings, an instances file, an inputs file."""
    import struct

    import plonk_cases as cases
    from halo2py.plonk.container import ProofFile

    deep = "[" * 30000 + "]" * 30000
    proof = cases.proof("fibonacci")
    honest = proof.to_bytes()
    settings = b'{"a": ' + deep.encode() + b"}"
    tail = struct.pack("<H", len(settings)) + settings
    hostile = tmp_path / "deep-settings.proof"
    hostile.write_bytes(honest[:len(honest) - 2 - len(_settings_bytes(proof))] + tail)
    good = tmp_path / "good.proof"
    good.write_bytes(honest)
    (tmp_path / "deep.json").write_text(deep)
    (tmp_path / "long.json").write_text('{"a": ' + "9" * 100000 + "}")
    for args, says in (
        (["verify", "fibonacci", "--k", "4", "--proof", str(hostile)], "settings are not a JSON object"),
        (["verify", "fibonacci", "--k", "4", "--proof", str(good), "--instances", str(tmp_path / "deep.json")],
         "nested too deeply"),
        (["prove", "fibonacci", "--inputs", str(tmp_path / "long.json"), "--out", str(tmp_path / "p")],
         "Exceeds the limit"),
        (["prove", "fibonacci", "--inputs", '{"a": ' + "9" * 5000 + "}", "--out", str(tmp_path / "p")],
         "Exceeds the limit"),
    ):
        code, out, err = run_main(monkeypatch, capsys, *args)
        assert code == 2 and "Traceback" not in err, err[-500:]
        lines = [line for line in err.splitlines() if not line.startswith("UNSAFE")]  # dev params' notice
        assert len(lines) == 1 and lines[0].startswith("error:") and says in " ".join(err.split()), err[-500:]
    assert ProofFile.from_bytes(honest).settings == proof.settings


def test_json_nesting_is_capped_even_where_a_library_raised_the_limit():
    import sys

    from halo2py._input import BadJSON, loads_json

    before = sys.getrecursionlimit()
    sys.setrecursionlimit(100000)  # what importing py_ecc directly does
    try:
        with pytest.raises(BadJSON, match="nested too deeply"):
            loads_json("[" * 30000 + "]" * 30000)
        assert sys.getrecursionlimit() == 100000  # given back as it was
        assert loads_json("[[1], {\"a\": 2}]") == [[1], {"a": 2}]
    finally:
        sys.setrecursionlimit(before)


def _settings_bytes(proof):
    import json

    return json.dumps(proof.settings, sort_keys=True).encode()

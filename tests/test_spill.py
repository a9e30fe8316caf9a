"""Out-of-core proving (``--spill DIR``): the same proof bytes, nothing left behind, clear failures."""

import errno
import json
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from interrupts import interruptible

from halo2py import pipeline
from halo2py.errors import InputError
from halo2py.plonk import columns as columns_module
from halo2py.plonk.columns import SPILL_PREFIX, SpillColumns, SpillFull, check_spill_dir, is_mapped, spilling
from halo2py.quotient.registry import available
from plonk_cases import CASES, PROVE_SEED, circuit, k_of, params, proof, run_main


def _spilled_proof(case, strategy, multiopen, directory):
    return pipeline.prove(circuit(case), params(k_of(case)), strategy, multiopen, PROVE_SEED,
                          spill=directory).proof


@pytest.mark.parametrize("case,strategy,multiopen",
                         [("stress", s, "shplonk") for s in sorted(available())]
                         + [(c, "chunked", "gwc") for c in ("stress", "shuffle")]
                         + [(c, "chunked", "shplonk") for c in sorted(CASES) if c != "stress"])
def test_spilled_proof_is_byte_identical_and_leaves_nothing(case, strategy, multiopen, tmp_path):
    spilled = _spilled_proof(case, strategy, multiopen, tmp_path)
    assert spilled.to_bytes() == proof(case, strategy, multiopen).to_bytes()
    assert list(tmp_path.iterdir()) == []


def test_spilled_proof_verifies(tmp_path):
    spilled = _spilled_proof("stress", "chunked", "shplonk", tmp_path)
    pipeline.verify(circuit("stress"), spilled, params(k_of("stress")))


def test_failure_mid_proof_removes_the_spill_directory(tmp_path, monkeypatch):
    seen = []

    def broken(self, *args):
        seen.append(list(tmp_path.iterdir()))  # the private directory exists while proving
        raise RuntimeError("injected")

    from halo2py.plonk.prover import _Prover

    monkeypatch.setattr(_Prover, "quotient", broken)
    with pytest.raises(RuntimeError, match="injected"):
        _spilled_proof("stress", "chunked", "shplonk", tmp_path)
    assert [p.name.startswith(SPILL_PREFIX) for p in seen[0]] == [True]
    assert list(tmp_path.iterdir()) == []


def test_unsatisfied_witness_removes_the_spill_directory(tmp_path, monkeypatch, capsys):
    out = tmp_path / "proof.bin"
    spill = tmp_path / "spill"
    spill.mkdir()
    code, _, err = run_main(monkeypatch, capsys, "prove", "range_check", "--k", "5", "--param", "bits=4",
                            "--param", "count=1", "--inputs", '{"values": [99]}', "--spill", str(spill),
                            "--out", str(out))
    assert code == 1, err
    assert not out.exists() and list(spill.iterdir()) == []


def test_a_full_disk_is_one_line_exit_2_and_no_proof(tmp_path, monkeypatch, capsys):
    def full(fd, offset, length):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(columns_module.os, "posix_fallocate", full)
    out = tmp_path / "proof.bin"
    spill = tmp_path / "spill"
    spill.mkdir()
    code, stdout, err = run_main(monkeypatch, capsys, "prove", "stress", "--k", "5", "--seed", "1", "--spill",
                                 str(spill), "--out", str(out))
    assert code == 2
    lines = [line for line in err.strip().splitlines() if not line.startswith(("UNSAFE", "…"))]
    assert len(lines) == 1 and lines[0].startswith("error: the spill directory") and "is full" in lines[0], err
    assert "Traceback" not in err
    assert not out.exists() and list(spill.iterdir()) == []


def test_full_disk_error_names_the_directory_and_sizes(tmp_path, monkeypatch):
    monkeypatch.setattr(columns_module.os, "posix_fallocate",
                        lambda fd, o, n: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full")))
    with spilling(tmp_path) as store:
        with pytest.raises(SpillFull, match=r"needs 1 MiB"):
            store.empty((1 << 15, 4))
        assert [p.name for p in next(tmp_path.iterdir()).iterdir()] == []  # the failed file is gone too


@pytest.mark.parametrize("make", ["missing", "file"])
def test_an_unusable_spill_dir_fails_before_any_work(tmp_path, make, monkeypatch, capsys):
    target = tmp_path / "spill"
    if make == "file":
        target.write_text("")
    called = []
    monkeypatch.setattr(pipeline, "build_copies", lambda *a, **k: called.append(1))
    code, _, err = run_main(monkeypatch, capsys, "prove", "stress", "--spill", str(target),
                            "--out", str(tmp_path / "p.bin"))
    assert code == 2 and "--spill" in err and "no such directory" in err and not called


def test_an_unwritable_spill_dir_is_rejected(tmp_path, monkeypatch):
    monkeypatch.setattr(columns_module.os, "access", lambda path, mode: False)
    with pytest.raises(InputError, match="not writable"):
        check_spill_dir(tmp_path)


def test_spilled_columns_are_file_backed_and_hold_their_values(tmp_path):
    store = SpillColumns(tmp_path)
    a = store.empty((8, 4))
    a[:] = 7
    kept = store.keep(np.arange(32, dtype=np.uint64).reshape(8, 4))
    assert is_mapped(a) and is_mapped(kept) and store.keep(kept) is kept
    assert (a == 7).all() and kept[7, 3] == 31
    assert list(tmp_path.iterdir()) == []  # unlinked at once: the mapping holds the space
    assert not is_mapped(np.zeros(3))


def test_sigint_mid_proof_exits_130_and_leaves_nothing(tmp_path):
    spill = tmp_path / "spill"
    spill.mkdir()
    out = tmp_path / "proof.bin"
    # k = 14: several seconds of proving even on a quiet machine
    proc = subprocess.Popen([sys.executable, "-m", "halo2py", "prove", "stress", "--k", "14", "--seed", "1",
                             "--no-check", "--spill", str(spill), "--out", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
                            preexec_fn=interruptible)
    deadline = time.monotonic() + 300
    while not any(spill.iterdir()) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the proof ended before it could be interrupted"
    private = next(spill.iterdir())
    while not _open_spill_files(proc.pid, private) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # wait until columns are spilled, so the interrupt has something to clean
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert stderr.strip().splitlines()[-1] == "interrupted"
    assert list(spill.iterdir()) == [] and not out.exists()
    assert list(tmp_path.iterdir()) == [spill]


def _open_spill_files(pid: int, private) -> bool:
    """Whether process ``pid`` maps files (deleted or not) of the private spill directory."""
    try:
        maps = open(f"/proc/{pid}/maps").read()
    except OSError:
        return False
    return str(private) in maps


EZKL_LIKE = ["--param", "advice=6", "--param", "fixed=8", "--param", "degree=4", "--param", "lookups=2",
             "--param", "equality=7"]


def test_spilled_heap_follows_the_model_for_every_strategy(tmp_path):
    """Out of core, each strategy's measured whole-proof heap peak (memray) is within 10 % of
    ``predict(..., spill=True)``, the proofs are those of one another, and nothing is left
    behind. k = 14: big enough that the n-proportional terms dominate the interpreter's own."""
    spill = tmp_path / "spill"
    spill.mkdir()
    done = subprocess.run([sys.executable, "-m", "halo2py", "compare", "stress", "--k", "14", *EZKL_LIKE,
                           "--strategies", ",".join(sorted(available())), "--spill", str(spill), "--json"],
                          capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["identical"] is True
    for r in data["results"]:
        assert r["spill"] is True
        assert abs(r["model_peak_bytes"] - r["peak_bytes"]) <= 0.10 * r["peak_bytes"], r["strategy"]
    assert list(spill.iterdir()) == []

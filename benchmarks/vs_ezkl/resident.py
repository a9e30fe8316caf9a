"""Both provers as libraries: one long-running process each, the same proof on every request.

A cold run (``run.py``'s main table) pays each program's start-up on every proof: for halo2py the
interpreter, numpy, Numba's import, its first-kernel registries and a cache load per kernel
(≈ 0.45 s on the benchmark VM); for ezkl the interpreter and ``import ezkl``. A halo2 user proves
from inside a program that is already running, so this measures that too, symmetrically:

  ezkl     ``ezkl.prove(witness, compiled, pk, proof, srs_path)`` — the same call as a cold run;
  halo2py  ``halo2py.cli.app.main()`` with the same argv as a cold run (``prove --pk … --json``).

Each call still reads the proving key, the SRS or params and the witness from their files, and
writes the proof file; nothing is kept between calls but the process itself. The first call of
each process is not timed (it is the start-up a cold run measures). A call's CPU seconds are the
process's own (all its threads, ``getrusage``) over the call; its peak RSS is the process's peak
so far, so the last one is the process's peak over every call.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

MARK = "@@resident "

# The request loop both processes run; {setup} defines call() -> bool.
_LOOP = """
import json, resource, sys, time
{setup}
def usage():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime, r.ru_maxrss
for line in sys.stdin:
    cpu0, _ = usage()
    t0 = time.perf_counter()
    ok = call()
    wall = time.perf_counter() - t0
    cpu1, rss = usage()
    sys.stdout.flush()
    print({mark!r} + json.dumps({{"wall": wall, "cpu_s": cpu1 - cpu0, "max_rss_kb": rss, "ok": ok}}), flush=True)
"""

_EZKL = """
import ezkl
f = json.loads(sys.argv[1])
def call():
    return bool(ezkl.prove(f["witness"], f["compiled"], f["pk"], f["proof"], srs_path=f["srs"]))
"""

_HALO2PY = """
from halo2py.cli.app import main
argv = json.loads(sys.argv[1])
def call():
    sys.argv = ["halo2py", *argv]
    try:
        main()
    except SystemExit as exc:
        return not exc.code
    return True
"""


class Resident:
    """A prover process that answers each line on its stdin with one proof and one result line."""

    def __init__(self, cmd: list[str]):
        self.cmd = cmd
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True, bufsize=1)

    def prove(self) -> dict:
        """One proof: the result line, with the halo2py CLI's own JSON summary if it printed one."""
        self.proc.stdin.write("prove\n")
        self.proc.stdin.flush()
        printed = []
        for line in self.proc.stdout:
            if line.startswith(MARK):
                result = json.loads(line[len(MARK):])
                summary = _summary(printed)
                if summary is not None:
                    result["prove_s"] = round(summary["seconds"], 3)
                    result["phases_s"] = {name: round(v["seconds"], 3) for name, v in summary["phases"].items()}
                if not result["ok"]:
                    raise SystemExit(f"a resident proof failed: {' '.join(self.cmd[:2])}")
                return result
            printed.append(line)
        raise SystemExit(f"the resident prover exited ({self.proc.wait()}): {' '.join(self.cmd[:2])}")

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=120)


def _summary(lines: list[str]):
    for line in reversed(lines):
        try:
            data = json.loads(line)
        except ValueError:
            continue
        if isinstance(data, dict) and "phases" in data:
            return data
    return None


def ezkl_resident(python: str, files: dict) -> Resident:
    return Resident([python, "-c", _LOOP.format(setup=_EZKL, mark=MARK), json.dumps(files)])


def halo2py_resident(halo2py: str, argv: list[str]) -> Resident:
    """halo2py's console script sits beside its virtualenv's python."""
    python = str(Path(halo2py).with_name("python"))
    return Resident([python, "-c", _LOOP.format(setup=_HALO2PY, mark=MARK), json.dumps(argv)])

"""Every kernel releases the GIL (``nogil=True``): a Dask coordinator shares its process with the
client's event loop — and, on a local cluster, the scheduler's — which must send the round's
tasks and take in their results while the prover's own kernels run; and a worker of several
threads runs its tasks side by side only if their kernels let go of the GIL."""

import ast
import threading
import time
from pathlib import Path

import numba
import numpy as np

from halo2py.arith.field import Fr

ROOT = Path(__file__).resolve().parent.parent


def _kernels():
    """(file, function, the decorator's keywords) of every Numba-compiled function in the
    package and the built-in strategies."""
    for path in sorted((ROOT / "halo2py").rglob("*.py")) + sorted((ROOT / "strategies").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.FunctionDef):
                continue
            for decorator in node.decorator_list:
                call = decorator if isinstance(decorator, ast.Call) else None
                target = call.func if call else decorator
                name = getattr(target, "id", getattr(target, "attr", None))
                if name in ("njit", "jit"):
                    keywords = {kw.arg: kw.value for kw in call.keywords} if call else {}
                    yield path.relative_to(ROOT), node.name, keywords


def test_every_kernel_releases_the_gil():
    kernels = list(_kernels())
    assert len(kernels) > 100  # the scan sees the kernels at all
    holding = [f"{path}:{name}" for path, name, keywords in kernels
               if not (isinstance(keywords.get("nogil"), ast.Constant) and keywords["nogil"].value is True)]
    assert holding == []


def test_python_runs_while_a_kernel_does():
    """A thread in a kernel leaves the GIL to the others: the main thread, counting on the other
    core, is never held up for long while the kernel runs (holding the GIL, the kernel would
    stop it for the kernel's whole run)."""
    values = Fr.random(1 << 15, rng=np.random.default_rng(5).bytes)
    exponent = Fr.modulus - 2
    Fr.pow(values[:8], exponent)  # loaded before the measured call
    entering, took = threading.Event(), []

    def run():
        numba.set_num_threads(1)  # this thread's kernels on one core: the main thread has the other
        entering.set()
        start = time.perf_counter()
        Fr.pow(values, exponent)
        took.append(time.perf_counter() - start)

    worker = threading.Thread(target=run)
    longest, last = 0.0, time.perf_counter()
    worker.start()  # returns, and the wait too, as the kernel starts — or, if it held the GIL, once it is done
    entering.wait()
    while True:
        now = time.perf_counter()
        longest, last = max(longest, now - last), now
        if not worker.is_alive():
            break
    worker.join()
    assert took[0] > 0.05  # long enough for a hold-up to show
    assert longest < took[0] / 2

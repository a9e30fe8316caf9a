"""Compile every Numba kernel once so later processes load machine code from the cache.

``make install`` runs ``python -m halo2py.warm``. Each layer exposes a ``warm()`` that calls
its kernels on tiny inputs with the exact argument types used in production. On a fresh machine
this takes minutes, so a progress bar (one step per module, with the elapsed time) on stderr shows
it is working; the summary line goes to stdout.
"""

import importlib
import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

# Modules with a ``warm()`` function, bottom layer first.
WARM_MODULES = [
    "halo2py.arith.warm",
    "halo2py.curve.warm",
    "halo2py.commitment.warm",
    "halo2py.quotient.warm",
    "halo2py.plonk.warm",
    "halo2py.pipeline",  # a whole tiny proof: the protocol layer's kernels too
]


def main() -> None:
    t0 = time.perf_counter()
    columns = (TextColumn("compiling kernels"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("{task.description}"))
    with Progress(*columns, console=Console(stderr=True)) as progress:
        task = progress.add_task("", total=len(WARM_MODULES))
        for name in WARM_MODULES:
            progress.update(task, description=name)
            importlib.import_module(name).warm()
            progress.advance(task)
    print(f"halo2py: kernels compiled and cached in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()

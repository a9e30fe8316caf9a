"""Compile every Numba kernel once so later processes load machine code from the cache.

``make install`` runs ``python -m halo2py.warm``. Each layer exposes a ``warm()`` that calls
its kernels on tiny inputs with the exact argument types used in production. On a fresh machine
this takes minutes, so progress goes to stderr, one step per kernel group with its time and the
elapsed total: a bar on a terminal, plain lines anywhere else (``make install`` piped to a log, CI),
where a bar would print nothing until the end. The summary line goes to stdout.

It first writes halo2py's own bytecode cache (``__pycache__``), as pip does for a regular install
but not for an editable one: where Python may not write it itself (``PYTHONDONTWRITEBYTECODE``),
every command would otherwise compile halo2py's sources again, a quarter of a second of each start.
"""

import compileall
import importlib
import importlib.util
import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from halo2py._cachedir import STALE_AFTER_DAYS, prune_stale_caches

# Modules with a ``warm()`` function, bottom layer first, and what each one compiles.
WARM_MODULES = [
    ("halo2py.arith.warm", "field arithmetic, NTT"),
    ("halo2py.curve.warm", "G1, MSM"),
    ("halo2py.commitment.warm", "KZG, multiopen, pairing"),
    ("halo2py.quotient.warm", "constraint evaluation"),
    ("halo2py.plonk.warm", "permutation cycles"),
    ("halo2py.pipeline", "a tiny proof per strategy"),  # the protocol layer's kernels too
    ("halo2py.pipeline:warm_arguments", "lookups, shuffles, a proving key file"),
]


def _warm_function(spec: str):
    """``module`` names its ``warm()``; ``module:function`` another function of it."""
    module, _, function = spec.partition(":")
    return getattr(importlib.import_module(module), function or "warm")


def _elapsed(seconds: float) -> str:
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"


# halo2py and the plugin packages installed from the top-level strategies/ and circuits/ folders
BYTECODE_PACKAGES = ("halo2py", "halo2py.strategies", "halo2py.circuits")


def compile_bytecode() -> None:
    """Write the bytecode of every module of BYTECODE_PACKAGES (a stale or missing file only)."""
    for name in BYTECODE_PACKAGES:
        spec = importlib.util.find_spec(name)
        for directory in spec.submodule_search_locations if spec is not None else ():
            compileall.compile_dir(directory, quiet=1)


def main() -> None:
    console = Console(stderr=True, soft_wrap=True)
    t0 = time.perf_counter()
    compile_bytecode()
    steps = len(WARM_MODULES)
    if console.is_terminal and console.is_interactive:  # a bar redraws: only where it can
        columns = (TextColumn("compiling kernels"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   TextColumn("{task.description}"))
        with Progress(*columns, console=console) as progress:
            task = progress.add_task("", total=steps)
            for name, what in WARM_MODULES:
                progress.update(task, description=what)
                _warm_function(name)()
                progress.advance(task)
    else:
        for i, (name, what) in enumerate(WARM_MODULES, 1):
            console.print(f"compiling kernels {i}/{steps}: {what} …", highlight=False)
            t = time.perf_counter()
            _warm_function(name)()
            now = time.perf_counter()
            console.print(f"compiling kernels {i}/{steps}: {what} done in {now - t:.1f} s "
                          f"({_elapsed(now - t0)} elapsed)", highlight=False)
    print(f"halo2py: kernels compiled and cached in {time.perf_counter() - t0:.1f} s")
    removed = prune_stale_caches()
    if removed:
        console.print(f"removed {len(removed)} kernel cache(s) of other halo2py sources, unused for "
                      f"{STALE_AFTER_DAYS} days", highlight=False)


if __name__ == "__main__":
    main()

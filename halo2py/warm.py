"""Compile every Numba kernel once so later processes load machine code from the cache.

``make install`` runs ``python -m halo2py.warm``. Each layer exposes a ``warm()`` that calls
its kernels on tiny inputs with the exact argument types used in production.
"""

import importlib
import time

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
    for name in WARM_MODULES:
        importlib.import_module(name).warm()
    print(f"halo2py: kernels compiled and cached in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()

"""py_ecc's BN254 arithmetic (the G2 side and the references), imported without its side effect.

py_ecc's package ``__init__`` raises Python's recursion limit to 100 000 for the whole process.
Past the default, deep recursion no longer stops at ``RecursionError``: it overflows the C stack
first — a deeply nested instances JSON file decoded by ``json``'s C parser was a segfault in
``verify``. halo2py imports py_ecc only through here, which puts the limit back as it found it.
py_ecc's own recursion (scalar multiplication by halving) is ~256 deep.
"""

import sys

_limit = sys.getrecursionlimit()
from py_ecc import optimized_bn128 as bn  # noqa: E402

sys.setrecursionlimit(_limit)

__all__ = ["bn"]

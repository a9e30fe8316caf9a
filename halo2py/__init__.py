"""halo2py: a PLONKish (halo2) prover in Python whose quotient step runs through pluggable strategies.

Importing the package does no numerical work; it only points Numba's on-disk cache at a per-user
directory so that JIT compilation is paid once per machine, not once per process.
"""

from halo2py._cachedir import configure_numba_cache

__version__ = "0.1.0"

configure_numba_cache()

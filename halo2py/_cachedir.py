"""Where halo2py keeps files that survive between runs (Numba's compiled kernels, dev params).

Numba reads ``NUMBA_CACHE_DIR`` when it is first imported, so this must run before any kernel
module imports numba; ``halo2py/__init__.py`` calls it first thing.
"""

import hashlib
import importlib.util
import os
from pathlib import Path


def user_cache_dir() -> Path:
    """``$HALO2PY_CACHE_DIR``, else ``$XDG_CACHE_HOME/halo2py``, else ``~/.cache/halo2py``."""
    explicit = os.environ.get("HALO2PY_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "halo2py"


# Packages that define Numba kernels (or functions inlined into them): halo2py's own, and the
# built-in strategies (installed as halo2py.strategies from the top-level strategies/ folder).
KERNEL_PACKAGES = ("halo2py.arith", "halo2py.poly", "halo2py.curve", "halo2py.commitment", "halo2py.quotient",
                   "halo2py.plonk", "halo2py.strategies")


def _package_dirs() -> list:
    """Source directories of KERNEL_PACKAGES, found without importing them (this runs while
    halo2py itself is being imported)."""
    dirs = []
    for name in KERNEL_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            dirs += [Path(p) for p in spec.submodule_search_locations]
    return dirs


def _source_fingerprint() -> str:
    """A digest of the name, size and mtime of every source file in the kernel packages.

    Numba invalidates a cached kernel only when *its own* file changes, not when a callee in
    another module does; keying the cache directory on all kernel sources closes that hole
    (an edit or an upgrade starts a fresh cache instead of running stale machine code).
    Only the packages that hold Numba kernels count, so editing the CLI keeps the cache.
    """
    h = hashlib.blake2b(digest_size=8)
    files = (p for root in _package_dirs() for p in root.rglob("*.py"))
    for path in sorted(files):
        st = path.stat()
        h.update(f"{path}:{st.st_size}:{st.st_mtime_ns};".encode())
    return h.hexdigest()


def configure_numba_cache() -> None:
    """Send Numba's cache to the user cache dir unless the user already chose one."""
    os.environ.setdefault("NUMBA_CACHE_DIR", str(user_cache_dir() / "numba" / _source_fingerprint()))

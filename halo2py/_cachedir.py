"""Where halo2py keeps files that survive between runs (Numba's compiled kernels, dev params).

Numba reads ``NUMBA_CACHE_DIR`` when it is first imported, so this must run before any kernel
module imports numba; ``halo2py/__init__.py`` calls it first thing.
"""

import hashlib
import importlib.util
import os
import re
import shutil
import time
from pathlib import Path

# A cache directory that no process has loaded kernels from for this long is another source
# version's leftover (an upgrade, an old checkout): ``prune_stale_caches`` removes it.
STALE_AFTER_DAYS = 30
USED_STAMP = ".last-used"  # touched at most once a day by the processes that use the directory
_DAY = 86400.0
_FINGERPRINT = re.compile(r"[0-9a-f]{16}")  # the directory names _source_fingerprint makes


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
    if "NUMBA_CACHE_DIR" in os.environ:
        return
    path = user_cache_dir() / "numba" / _source_fingerprint()
    os.environ["NUMBA_CACHE_DIR"] = str(path)
    mark_used(path)


def mark_used(path: Path, now: float | None = None) -> None:
    """Touch ``path``'s stamp if it is a day old or missing (otherwise this is one ``stat``), so
    that pruning can tell a cache some installation still loads from from an abandoned one. A
    cache that cannot be written is left alone: Numba then works without it."""
    now = time.time() if now is None else now
    stamp = path / USED_STAMP
    try:
        if now - stamp.stat().st_mtime < _DAY:
            return
    except FileNotFoundError:
        pass
    except OSError:
        return
    try:
        path.mkdir(parents=True, exist_ok=True)
        stamp.touch()
        os.utime(stamp, (now, now))
    except OSError:
        pass


def prune_stale_caches(root: Path | None = None, keep: Path | None = None,
                       max_age_days: float = STALE_AFTER_DAYS, now: float | None = None) -> list:
    """Remove the kernel caches of other source versions that nothing has used for
    ``max_age_days``, and return them. Every upgrade, and every checkout whose sources differ,
    starts a directory of its own (tens of MB once compiled), and nothing else ever removes the
    old ones. Candidates are only the directories this scheme names (16 hex digits) under
    ``root`` (default: the user cache dir's ``numba``), never ``keep`` (default: this process's
    cache); a directory without a stamp (made before them) counts from its own mtime."""
    root = user_cache_dir() / "numba" if root is None else root
    keep = Path(os.environ.get("NUMBA_CACHE_DIR", "")) if keep is None else keep
    cutoff = (time.time() if now is None else now) - max_age_days * _DAY
    removed = []
    try:
        candidates = sorted(root.iterdir())
    except OSError:
        return removed
    for path in candidates:
        if not _FINGERPRINT.fullmatch(path.name) or not path.is_dir() or _same(path, keep):
            continue
        if _last_used(path) < cutoff:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _last_used(path: Path) -> float:
    try:
        return (path / USED_STAMP).stat().st_mtime
    except OSError:
        return path.stat().st_mtime


def _same(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False

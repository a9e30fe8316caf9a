"""The kernel cache's directories: marked when used, pruned when another version's and stale."""

import os
import subprocess
import sys

from halo2py._cachedir import STALE_AFTER_DAYS, USED_STAMP, mark_used, prune_stale_caches

DAY = 86400.0
NOW = 1_800_000_000.0


def _cache(root, name, stamped_days_ago=None, made_days_ago=0.0):
    path = root / name
    (path / "arith_0123").mkdir(parents=True)
    (path / "arith_0123" / "ntt._stages-1.py311.nbi").write_bytes(b"index")
    if stamped_days_ago is not None:
        (path / USED_STAMP).touch()
        os.utime(path / USED_STAMP, (NOW - stamped_days_ago * DAY,) * 2)
    os.utime(path, (NOW - made_days_ago * DAY,) * 2)
    return path


def test_only_other_versions_unused_for_the_limit_are_removed(tmp_path):
    root = tmp_path / "numba"
    old = _cache(root, "0123456789abcdef", stamped_days_ago=STALE_AFTER_DAYS + 1)
    recent = _cache(root, "1123456789abcdef", stamped_days_ago=STALE_AFTER_DAYS - 1, made_days_ago=400)
    unstamped_old = _cache(root, "2123456789abcdef", made_days_ago=STALE_AFTER_DAYS + 5)
    unstamped_new = _cache(root, "3123456789abcdef", made_days_ago=2)
    current = _cache(root, "4123456789abcdef", stamped_days_ago=365)
    foreign = _cache(root, "my-own-numba-cache", made_days_ago=365)  # not a name this scheme makes
    removed = prune_stale_caches(root, keep=current, now=NOW)
    assert sorted(removed) == sorted([old, unstamped_old])
    assert not old.exists() and not unstamped_old.exists()
    assert all(p.exists() for p in (recent, unstamped_new, current, foreign))
    assert prune_stale_caches(tmp_path / "absent", now=NOW) == []


def test_the_stamp_is_touched_at_most_once_a_day(tmp_path):
    path = tmp_path / "numba" / "0123456789abcdef"
    mark_used(path, now=NOW)  # creates the directory and the stamp
    stamp = path / USED_STAMP
    assert stamp.stat().st_mtime == NOW
    mark_used(path, now=NOW + DAY / 2)
    assert stamp.stat().st_mtime == NOW  # within a day: only a stat
    mark_used(path, now=NOW + 2 * DAY)
    assert stamp.stat().st_mtime == NOW + 2 * DAY


def test_importing_halo2py_marks_its_cache_and_leaves_a_chosen_one_alone(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env["HALO2PY_CACHE_DIR"] = str(tmp_path)
    code = "import os, halo2py; print(os.environ['NUMBA_CACHE_DIR'])"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    chosen = done.stdout.strip()
    assert chosen.startswith(str(tmp_path / "numba")) and os.path.exists(os.path.join(chosen, USED_STAMP))
    env["NUMBA_CACHE_DIR"] = str(tmp_path / "mine")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == str(tmp_path / "mine") and not (tmp_path / "mine").exists()

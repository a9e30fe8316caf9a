"""``halo2py._threads``: the CLI asks OpenMP for passive waits, unless the user chose a policy."""

import os
import subprocess
import sys

from halo2py._threads import WAIT_POLICY, prefer_passive_waits


def test_an_unset_policy_becomes_passive(monkeypatch):
    monkeypatch.delenv(WAIT_POLICY, raising=False)
    assert prefer_passive_waits() is True
    assert os.environ[WAIT_POLICY] == "PASSIVE"


def test_a_users_policy_is_kept(monkeypatch):
    monkeypatch.setenv(WAIT_POLICY, "ACTIVE")
    assert prefer_passive_waits() is False
    assert os.environ[WAIT_POLICY] == "ACTIVE"


def test_the_cli_sets_it_before_any_parallel_kernel_starts():
    """In a fresh interpreter, ``main`` has set the policy by the time a command runs, and no
    OpenMP pool was started before it (so libgomp reads the policy)."""
    code = ("import os, sys\n"
            "import numba.np.ufunc.parallel as parallel\n"
            "from halo2py.cli import app\n"
            "started_before = parallel._is_initialized\n"
            "sys.argv = ['halo2py', '--version']\n"
            "try:\n    app.main()\nexcept SystemExit:\n    pass\n"
            "print(started_before, os.environ.get('OMP_WAIT_POLICY'))\n")
    env = {k: v for k, v in os.environ.items() if k != WAIT_POLICY}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split()[-2:] == ["False", "PASSIVE"]

"""Strategies that break workers on purpose, for tests/test_dask_executor.py. They are loaded by
path (``dask_strategies.py:CrashOnce``), so Dask ships them to the workers by value."""

import os

from halo2py.strategies.chunked import ChunkedStrategy


class CrashOnce(ChunkedStrategy):
    """chunked, except that the first worker to claim the file ``MARKER`` (set by the test before
    proving; the class travels by value) dies in the middle of its quotient part."""

    name = "crash-once"
    description = "chunked, whose first part to claim MARKER kills its worker (a fault-injection test)"
    MARKER = ""

    def compute_part(self, task, index):
        try:
            os.unlink(self.MARKER)  # exactly one worker wins this
        except OSError:
            return super().compute_part(task, index)
        os._exit(1)


class CrashAlways(ChunkedStrategy):
    """chunked, whose every quotient part kills its worker: the cluster gives the task up."""

    name = "crash-always"
    description = "chunked, whose every part kills its worker (a fault-injection test)"

    def compute_part(self, task, index):
        os._exit(1)

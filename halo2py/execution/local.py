"""The default executor: everything in this process, exactly as the prover always ran."""

from __future__ import annotations

from halo2py.commitment import kzg
from halo2py.execution.base import LAGRANGE, Executor


def commit_column(params, basis: str, values):
    """One column's commitment: the task a worker runs, and what this process runs in place."""
    return kzg.commit_lagrange(params, values) if basis == LAGRANGE else kzg.commit(params, values)


class InProcessExecutor(Executor):
    name = "in-process"

    def start_commits(self, params, columns: list):
        # nothing runs elsewhere, so nothing to overlap: the MSMs run at finish_commits, when the
        # prover writes the round's points, as they always did
        return params, columns

    def finish_commits(self, handle) -> list:
        params, columns = handle
        return [commit_column(params, basis, values) for basis, values in columns]

    def quotient(self, strategy, task):
        return strategy.compute(task)

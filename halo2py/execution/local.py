"""The default executor: everything in this process, exactly as the prover always ran."""

from __future__ import annotations

from halo2py.commitment import kzg
from halo2py.execution.base import LAGRANGE, Executor


def commit_column(params, basis: str, values):
    """One column's commitment: the task a worker runs, and what this process runs in place."""
    return kzg.commit_lagrange(params, values) if basis == LAGRANGE else kzg.commit(params, values)


class _Started:
    """A round's columns handed to ``start_commits``, and their points once committed."""

    def __init__(self, params, columns: list):
        self.params, self.columns, self.points = params, columns, None


def _commit_together(started: list) -> None:
    """Commit the columns of every started handle, each (params, basis) group in one call
    (``kzg.commit_lagrange_columns`` / ``commit_columns``: their MSMs share one queue of
    windows), and give each handle its points in its columns' order."""
    groups: dict = {}
    for handle in started:
        handle.points = [None] * len(handle.columns)
        for i, (basis, values) in enumerate(handle.columns):
            groups.setdefault((id(handle.params), basis), (handle.params, basis, []))[2].append((handle, i, values))
    for params, basis, members in groups.values():
        commit = kzg.commit_lagrange_columns if basis == LAGRANGE else kzg.commit_columns
        for (handle, i, _), point in zip(members, commit(params, [values for _, _, values in members])):
            handle.points[i] = point
    for handle in started:
        handle.columns = None  # the handle no longer keeps its columns alive


class InProcessExecutor(Executor):
    name = "in-process"

    def __init__(self):
        self._started: list = []  # handles whose MSMs have not run yet, in the order started

    def start_commits(self, params, columns: list):
        # nothing runs elsewhere, so nothing to overlap: the MSMs wait for the first
        # finish_commits, when the prover writes the round's points, and then every column
        # started by then runs together (the prover starts a round's columns one or a few at a
        # time, and writes them all before it changes any)
        handle = _Started(params, columns)
        self._started.append(handle)
        return handle

    def finish_commits(self, handle) -> list:
        if handle.points is None:
            started, self._started = self._started, []
            _commit_together(started)
        return handle.points

    def quotient(self, strategy, task):
        return strategy.compute(task)

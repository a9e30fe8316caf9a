"""The executor contract: what the prover asks of wherever its parallel work runs."""

from __future__ import annotations

import resource
from contextlib import contextmanager
from dataclasses import dataclass, field

from halo2py.errors import Halo2pyError


def peak_rss_bytes() -> int:
    """This process's peak resident set so far (Linux reports ru_maxrss in KiB): the coordinator's,
    or — run by the Dask executor on every worker — a worker's."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def kernels_compiled() -> int:
    """How many kernels this process has compiled — not loaded from Numba's cache — since it
    first asked: a listener counts Numba's ``numba:compile`` events, which only a compilation
    fires. A timed proof during which this grew has JIT time, and the compiler's memory, in its
    figures (a cold cache)."""
    if not _COMPILES:
        from numba.core import event

        class Counter(event.Listener):
            def on_start(self, ev) -> None:
                pass

            def on_end(self, ev) -> None:
                _COMPILES[0] += 1

        _COMPILES.append(0)
        event.register("numba:compile", Counter())
    return _COMPILES[0]


_COMPILES: list = []  # [the count], once kernels_compiled has installed its listener


LAGRANGE = "lagrange"  # a column's n values on ⟨ω⟩, committed with g_lagrange (commit_lagrange)
COEFF = "coeff"        # a polynomial's coefficients, committed with g (commit)


class ClusterUnavailable(Halo2pyError):
    """The cluster cannot be reached, has no worker left, or lost a task on every worker it tried:
    one line, exit 2 (like bad input: the proof itself is fine, its machinery is not there)."""


@dataclass
class ProofTraffic:
    """What one proof shipped, in array bytes (pickle framing and the few-KB constraint program
    aside): ``scattered`` — broadcast to every worker (the SRS: sent once, the workers copy it
    among themselves); ``submitted`` — sent to one worker (a column to commit or interpolate, a
    polynomial the workers lack); ``gathered`` — results fetched back (points, coefficient forms,
    quotient parts); ``between_workers`` — what the workers sent each other (the SRS's copies, the
    polynomials a quotient part needs from the worker that interpolated them), by their own count.
    ``worker_peak_rss`` maps each worker to its process's peak resident set so far (bytes), and
    ``worker_cpu_seconds`` to the CPU time its process spent during this proof (tasks and
    communication: what the proof cost it, whatever else runs on its machine), and
    ``worker_kernels_compiled`` to the kernels it compiled during it (``kernels_compiled``: a
    worker whose cache was cold)."""

    workers: int = 0
    scattered: int = 0
    submitted: int = 0
    gathered: int = 0
    between_workers: int = 0
    worker_peak_rss: dict = field(default_factory=dict)
    worker_cpu_seconds: dict = field(default_factory=dict)
    worker_kernels_compiled: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.scattered + self.submitted + self.gathered + self.between_workers

    def as_dict(self) -> dict:
        return {"workers": self.workers, "scattered_bytes": self.scattered, "submitted_bytes": self.submitted,
                "gathered_bytes": self.gathered, "between_workers_bytes": self.between_workers,
                "shipped_bytes": self.total, "worker_peak_rss_bytes": dict(self.worker_peak_rss),
                "worker_cpu_seconds": dict(self.worker_cpu_seconds),
                "worker_kernels_compiled": dict(self.worker_kernels_compiled)}


class Executor:
    """Runs the prover's independent work. Results always come back in the order asked for.

    ``proof(params)`` brackets one proof (a backend ships the SRS there, once); ``commit`` takes a
    round's columns as (basis, array) pairs (``LAGRANGE`` or ``COEFF``) and returns their KZG
    commitments as affine points — ``start_commits`` and ``finish_commits`` are the same in two
    halves, so the prover can go on while they run; ``coefficients`` turns Lagrange-form columns
    into coefficient form in place — by the time the next ``quotient`` returns, so a backend can
    start the quotient on its own copies first — and ``prepare_coefficients`` announces that it
    will be asked for some (a backend may start on them, where they already are), as
    ``prepare_polynomials`` announces coefficient-form arrays the quotient will read and
    ``prepare_quotient`` the quotient's shape; ``quotient``
    returns ``strategy.compute(task)``'s result, however it is computed. ``traffic`` describes the
    last proof (None in process).
    """

    name = ""
    traffic: ProofTraffic | None = None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    @contextmanager
    def proof(self, params):
        yield self

    def commit(self, params, columns: list) -> list:
        return self.finish_commits(self.start_commits(params, columns))

    def start_commits(self, params, columns: list):
        """Begin committing ``columns`` (unchanged until ``finish_commits``); a handle for it."""
        raise NotImplementedError

    def finish_commits(self, handle) -> list:
        """The points of ``start_commits``'s columns, in their order."""
        raise NotImplementedError

    def prepare_coefficients(self, domain, arrays: list) -> None:
        """``coefficients(domain, …)`` will be asked for these Lagrange-form arrays, which stay
        unchanged until then. Only a hint: by default, nothing."""

    def prepare_polynomials(self, arrays: list) -> None:
        """The next ``quotient``'s task will hold these coefficient-form arrays (a key's), which
        stay unchanged until then. Only a hint: by default, nothing."""

    def prepare_quotient(self, strategy, shape) -> None:
        """``quotient(strategy, task)`` will follow, for a task of ``shape`` (a QuotientShape):
        a backend may ready what the strategy's parts need where they will run. Only a hint: by
        default, nothing."""

    def coefficients(self, domain, arrays: list) -> list:
        """The arrays, each written over with its coefficient form (``lagrange_to_coeff(v, out=v)``)
        at the latest when the next ``quotient`` returns (which may read them as polynomials before
        that): the caller gives the values up, reads none of them until then, and holds every
        column in one basis at a time. By default at once."""
        return [domain.lagrange_to_coeff(values, out=values) for values in arrays]

    def quotient(self, strategy, task):
        raise NotImplementedError

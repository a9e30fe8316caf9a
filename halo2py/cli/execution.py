"""The ``--executor`` options that ``prove``, ``profile`` and ``compare`` share, and the one line
that reports what a distributed proof shipped."""

from __future__ import annotations

from typing import Optional

import typer

MIB = 1 << 20
# halo2py.execution.DEFAULT_TIMEOUT (tests/test_cli_surface.py keeps them equal), not imported: that
# package brings in the whole prover, and every command — `--help` too — imports this module.
DEFAULT_TIMEOUT = 30.0

EXECUTOR = typer.Option("in-process", "--executor", metavar="NAME",
                        help="Where commitments and quotient parts run: in-process (default) or dask "
                             "(docs/distributed.md; needs the dask extra of halo2py).")
SCHEDULER = typer.Option(None, "--scheduler", metavar="tcp://HOST:PORT",
                         help="With --executor dask: a running Dask scheduler (default: a local cluster).")
WORKERS = typer.Option(None, "--workers", metavar="N",
                       help="With --executor dask and no --scheduler: local process workers (default 2).")
THREADS = typer.Option(1, "--threads-per-worker", metavar="N",
                       help="With a local Dask cluster: threads (and Numba threads) per worker.")
TIMEOUT = typer.Option(DEFAULT_TIMEOUT, "--timeout", metavar="SECONDS",
                       help="With --executor dask: seconds to reach the cluster, and to wait for a worker when it "
                            "has none, before failing.")


def executor_options(executor: str, scheduler: Optional[str], workers: Optional[int], threads: int,
                     timeout: float) -> dict:
    """The options as plain data (``compare`` sends them to a fresh process), checked at once."""
    from halo2py.execution import open_executor

    options = {"name": executor, "scheduler": scheduler, "workers": workers, "threads_per_worker": threads,
               "timeout": timeout}
    open_executor(**options)  # an unknown name, a flag without dask, or a missing Dask fails before slow work
    return options


def _size(value: int) -> str:
    return f"{value / MIB:,.1f} MiB" if value >= MIB else f"{value / 1024:,.1f} KiB"


def traffic_line(traffic: dict) -> str:
    """``ProofTraffic.as_dict()`` for people."""
    peaks = ", ".join(_size(v) for v in traffic["worker_peak_rss_bytes"].values())
    return (f"dask: {traffic['workers']} worker(s); shipped {_size(traffic['shipped_bytes'])} (scattered "
            f"{_size(traffic['scattered_bytes'])}, submitted {_size(traffic['submitted_bytes'])}, gathered "
            f"{_size(traffic['gathered_bytes'])}, between workers {_size(traffic['between_workers_bytes'])}); "
            f"worker peak RSS {peaks}")

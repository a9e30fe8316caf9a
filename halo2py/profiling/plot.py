"""PNG plots of a comparison: heap over time per strategy with phase boundaries, or peak vs k
(heap measured and modelled, and peak RSS, per strategy; optionally ezkl's measured peak RSS from
the side-by-side benchmark's results file beside them)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path

from halo2py._input import loads_json, read_bounded_text
from halo2py.errors import InputError

MIB = 1 << 20


@dataclass(frozen=True)
class EzklPoints:
    """ezkl's median peak RSS per k, from ``make bench-ezkl``'s results file, and when it was measured."""

    rss_bytes: dict  # k -> bytes
    dates: tuple  # the days the runs were made, sorted

    @property
    def label(self) -> str:
        when = self.dates[0] if len(self.dates) == 1 else f"{self.dates[0]} – {self.dates[-1]}"
        return f"ezkl (Rust halo2), measured {when}: peak RSS"


def read_ezkl_results(path: Path) -> EzklPoints:
    """ezkl's points from ``benchmarks/vs_ezkl/results/vs_ezkl.json`` (``results.<k>.runs.ezkl[]``
    with ``max_rss_kb`` from ``/usr/bin/time -v``, and ``date_utc``); a file of another shape is
    bad input, reported before any proof is profiled."""
    try:
        results = loads_json(read_bounded_text(path, "json"))["results"]
        rss, dates = {}, set()
        for k, entry in results.items():
            runs = [r["max_rss_kb"] for r in entry["runs"]["ezkl"] if r.get("rc", 0) == 0]
            if runs:
                rss[int(k)] = int(statistics.median(runs)) * 1024
                dates.add(entry["date_utc"].split()[0])
    except OSError as exc:
        raise InputError(f"cannot read ezkl results {path}: {exc.strerror or exc}") from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:  # BadJSON is a ValueError
        raise InputError(f"{path} is not a vs_ezkl results file (results.<k>.runs.ezkl[].max_rss_kb): "
                         f"{type(exc).__name__} {exc}") from None
    if not rss:
        raise InputError(f"{path} holds no successful ezkl run")
    return EzklPoints(rss, tuple(sorted(dates)))


def _heap_series(capture: str):
    """(seconds since start, heap MiB) from memray's periodic snapshots of the capture."""
    import memray

    with memray.FileReader(capture) as reader:
        snaps = list(reader.get_memory_snapshots())
        start = reader.metadata.start_time.timestamp()
    return [s.time / 1000.0 - start for s in snaps], [s.heap / MIB for s in snaps], start  # time: ms


def plot_timeline(comparison: dict, path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(comparison["results"]), 1, figsize=(10, 3.2 * len(comparison["results"])),
                             sharex=True, sharey=True, squeeze=False)
    for ax, result in zip(axes[:, 0], comparison["results"]):
        times, heap, start = _heap_series(result["capture"])
        heap = [h + result["srs_bytes"] / MIB for h in heap]  # the SRS was allocated before tracking
        ax.plot(times, heap, color="tab:blue", lw=1.2)
        ax.fill_between(times, heap, alpha=0.15, color="tab:blue")
        entered = set()
        for wall, name, edge in result["boundaries"]:
            if edge == "enter" and name not in entered:  # label a phase once, at its first start
                entered.add(name)
                ax.axvline(wall - start, color="grey", lw=0.6, ls=":")
                ax.text(wall - start, max(heap) * 0.97, name, rotation=90, va="top", ha="right", fontsize=7)
        ax.axhline(result["model_peak_bytes"] / MIB, color="tab:red", lw=0.8, ls="--", label="model peak")
        ax.set_ylabel("heap (MiB)")
        ax.set_title(f"{result['strategy']}: peak {result['peak_bytes'] / MIB:.0f} MiB, "
                     f"{result['seconds']:.1f} s", fontsize=10)
        ax.legend(loc="upper left", fontsize=8)
    axes[-1, 0].set_xlabel("seconds")
    fig.suptitle(f"{comparison['circuit']} k={comparison['k']}: heap over time by strategy")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def peaks_figure(comparisons: list, ezkl: EzklPoints | None = None):
    """Peak vs k: per strategy the measured heap peak (solid), the model's (dashed) and the
    profiling process's peak RSS (dotted; memray's own buffers included), and ezkl's peak RSS at
    the same k. RSS is what ``/usr/bin/time`` reports for ezkl, so it is the like-for-like line;
    the heap lines are what the model predicts. Log scale when the figures span a decade."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    fig, ax = plt.subplots(figsize=(7.5, 4.8))
    strategies = [r["strategy"] for r in comparisons[0]["results"]]
    ks = [c["k"] for c in comparisons]
    values = []
    for i, strategy in enumerate(strategies):
        peaks = [c["results"][i]["peak_bytes"] / MIB for c in comparisons]
        models = [c["results"][i]["model_peak_bytes"] / MIB for c in comparisons]
        rss = [c["results"][i]["peak_rss_bytes"] / MIB for c in comparisons]
        line, = ax.plot(ks, peaks, marker="o", label=f"{strategy}: heap, measured")
        ax.plot(ks, models, ls="--", color=line.get_color(), label=f"{strategy}: heap, model")
        ax.plot(ks, rss, ls=":", marker="s", ms=4, color=line.get_color(), label=f"{strategy}: peak RSS")
        values += peaks + models + rss
    if ezkl is not None:
        points = sorted((k, b / MIB) for k, b in ezkl.rss_bytes.items() if k in ks)
        if points:
            ax.plot(*zip(*points), marker="D", color="black", ls="-", lw=0.8, label=ezkl.label)
            values += [v for _, v in points]
    if max(values) >= 10 * min(values):
        ax.set_yscale("log")
        # 20, 50, 100, 200 MiB rather than 2×10^1 … : plain numbers at 1, 2, 5 per decade
        ax.yaxis.set_major_locator(LogLocator(subs=(1, 2, 5)))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_xticks(ks)  # k is an integer: no 12.5 ticks between the sizes measured
    ax.set_xlabel("k (n = 2^k rows)")
    ax.set_ylabel("peak (MiB)")
    ax.set_title(f"{comparisons[0]['circuit']}: peak heap and RSS vs k")
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig


def plot_peaks(comparisons: list, path: Path, ezkl: EzklPoints | None = None) -> None:
    import matplotlib.pyplot as plt

    fig = peaks_figure(comparisons, ezkl)
    fig.savefig(path, dpi=110)
    plt.close(fig)

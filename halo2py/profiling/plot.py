"""PNG plots of a comparison: heap over time per strategy with phase boundaries, or peak vs k."""

from __future__ import annotations

from pathlib import Path

MIB = 1 << 20


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


def plot_peaks(comparisons: list, path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    strategies = [r["strategy"] for r in comparisons[0]["results"]]
    ks = [c["k"] for c in comparisons]
    for i, strategy in enumerate(strategies):
        peaks = [c["results"][i]["peak_bytes"] / MIB for c in comparisons]
        models = [c["results"][i]["model_peak_bytes"] / MIB for c in comparisons]
        line, = ax.plot(ks, peaks, marker="o", label=f"{strategy} measured")
        ax.plot(ks, models, ls="--", color=line.get_color(), label=f"{strategy} model")
    ax.set_yscale("log", base=2)
    ax.set_xticks(ks)  # k is an integer: no 12.5 ticks between the sizes measured
    ax.set_xlabel("k (n = 2^k rows)")
    ax.set_ylabel("peak heap (MiB)")
    ax.set_title(f"{comparisons[0]['circuit']}: peak heap vs k")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)

"""How much memory this machine can still give a process: what a synthesis checks before it
lays out a table too large to ever fit."""

from __future__ import annotations


def available_bytes() -> int | None:
    """MemAvailable plus SwapFree from ``/proc/meminfo`` (the kernel's estimate of what can be
    allocated without swapping out others, and the swap left); None where there is no such file."""
    fields = {}
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                name, _, rest = line.partition(":")
                parts = rest.split()
                if parts and parts[0].isdigit():
                    fields[name] = int(parts[0]) * 1024  # kB
    except OSError:
        return None
    if "MemAvailable" not in fields:
        return None
    return fields["MemAvailable"] + fields.get("SwapFree", 0)

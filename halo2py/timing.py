"""Phase boundaries of a proof: the prover marks them, observers measure between them.

A leaf module (it imports nothing of halo2py), so the protocol layers can mark phases without
depending on the profiler that listens to them.

The prover only says *when* a phase starts and ends (``with phases.phase("quotient"):``); what is
measured there — wall time here, heap peaks when a memray tracker is attached — is the
observers' business, so the protocol code carries no profiling logic.
"""

from __future__ import annotations

import time
from contextlib import contextmanager

class PhaseTimer:
    """Records wall seconds per phase, in order, and notifies optional listeners at boundaries."""

    def __init__(self, listeners=()):
        self.seconds: dict[str, float] = {}
        self.order: list[str] = []
        self.listeners = list(listeners)

    @contextmanager
    def phase(self, name: str):
        for listener in self.listeners:
            listener.enter(name)
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - t0
            if name not in self.order:
                self.order.append(name)
            for listener in self.listeners:
                listener.leave(name)

    @property
    def total(self) -> float:
        return sum(self.seconds.values())


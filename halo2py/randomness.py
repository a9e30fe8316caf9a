"""Where blinding and setup randomness comes from.

A randomness source is a callable ``nbytes -> bytes``. Production runs use the OS CSPRNG;
``--seed`` runs (tests, reproducible benchmarks, strategy comparisons) use a deterministic stream
that is UNSAFE: anyone who knows the seed can strip the blinding from a proof or forge with params.
"""

import hashlib
import os
from typing import Callable

RandomSource = Callable[[int], bytes]

UNSAFE_SEED_WARNING = "UNSAFE: --seed makes randomness predictable; never use it for real proofs or params"


def os_rng() -> RandomSource:
    return os.urandom


def seeded_rng(seed: int, domain: str = "") -> RandomSource:
    """A deterministic byte stream: SHAKE-256(seed, domain, counter) blocks, read sequentially.

    ``domain`` separates independent streams from one seed (e.g. "setup" vs "prove").
    """
    state = {"counter": 0, "buffer": b""}
    tag = f"halo2py-seed:{seed}:{domain}:".encode()

    def draw(nbytes: int) -> bytes:
        buf = state["buffer"]
        while len(buf) < nbytes:
            block = hashlib.shake_256(tag + state["counter"].to_bytes(8, "little")).digest(1 << 16)
            state["counter"] += 1
            buf += block
        state["buffer"] = buf[nbytes:]
        return buf[:nbytes]

    return draw

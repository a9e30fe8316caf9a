"""Rust halo2's test vectors (Tachyon's circuit test data, Scroll halo2, s = 2), as test fixtures.

The files in ``tests/data/halo2-vectors`` are copies of the shared halo2 vectors (their README,
copied beside them, describes every field and the circuits), kept in the repository so a clone can
run the compatibility tests.
Values in them are what Rust halo2 produced, never what halo2py produced: they are the independent
reference. Field elements and coordinates are 0x-prefixed big-endian hex strings.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from pathlib import Path

import numpy as np

from halo2py.arith.constants import FR_MODULUS
from halo2py.arith.field import Fq, Fr

DATA = Path(__file__).parent / "data" / "halo2-vectors"


@cache
def index() -> dict:
    return json.loads((DATA / "index.json").read_text())


def case_names() -> list:
    return [c["case"] for c in index()["cases"]]


@cache
def load(name: str) -> dict:
    """One case's JSON (cached: treat it as read-only)."""
    entry = next(c for c in index()["cases"] if c["case"] == name)
    return json.loads((DATA / entry["file"]).read_text())


def to_int(value: str) -> int:
    return int(value, 16)


def ints(values) -> list:
    return [to_int(v) for v in values]


def fr_vector(values) -> np.ndarray:
    """(n, 4) Montgomery Fr vector from hex strings."""
    return Fr.from_ints(ints(values))


def affine(point) -> np.ndarray:
    """An (x, y) hex pair as an affine (8,) array (Fq Montgomery limbs); None → the identity."""
    if point is None:
        return np.zeros(8, dtype=np.uint64)
    x, y = (to_int(c) for c in point)
    out = np.empty(8, dtype=np.uint64)
    out[:4] = Fq.from_ints([x])[0]
    out[4:] = Fq.from_ints([y])[0]
    return out


def proof_bytes(case: dict) -> bytes:
    return bytes.fromhex(case["proof"])


_POINT = r"\((0x[0-9a-f]{64}), (0x[0-9a-f]{64})\)|Infinity"


def _points(text: str) -> list:
    """(x, y) int pairs (None for ``Infinity``) in a Debug list body."""
    return [None if m.group(0) == "Infinity" else (to_int(m.group(1)), to_int(m.group(2)))
            for m in re.finditer(_POINT, text)]


def pinned_fixed_commitments(case: dict) -> list:
    """The ``fixed_commitments: [...]`` of the pinned verifying key text."""
    body = re.search(r"fixed_commitments: \[(.*?)\]", case["pinned_verifying_key"]).group(1)
    return _points(body)


def pinned_permutation_commitments(case: dict) -> list:
    """The ``permutation: VerifyingKey { commitments: [...] }`` of the pinned verifying key text."""
    body = re.search(r"permutation: VerifyingKey \{ commitments: \[(.*?)\]", case["pinned_verifying_key"]).group(1)
    return _points(body)


def repr_of_pinned_vk(text: str) -> int:
    """halo2's ``transcript_repr``: Blake2b-512 (personal "Halo2-Verify-Key") of the u64 LE length
    and the pinned vk's Debug text, read little-endian mod r (README §5.3)."""
    data = text.encode()
    h = hashlib.blake2b(digest_size=64, person=b"Halo2-Verify-Key")
    h.update(len(data).to_bytes(8, "little") + data)
    return int.from_bytes(h.digest(), "little") % FR_MODULUS


def transcript_repr(case: dict) -> int:
    """The pinned ``transcript_repr``, or (shuffle × GWC pins only the texts) the hash of the
    pinned verifying key."""
    if case.get("transcript_repr"):
        return to_int(case["transcript_repr"])
    return repr_of_pinned_vk(case["pinned_verifying_key"])

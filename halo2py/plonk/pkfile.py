"""The proving-key file, as halo2 users keep one: repeated proofs of one circuit skip keygen.

It holds the verifying key (the vk file's bytes: dialect, selector placement, commitments, bound
to the circuit's constraint system by a fingerprint) and the polynomials keygen computes — fixed
and σ columns in both bases, l0, l_last, l_active — as raw (n, 4) uint64 arrays, 64-byte aligned,
so a load is a read-only memory map: the pages come in as the prover touches them and the OS may
drop them again, instead of a second copy on the heap.

Layout (little-endian): magic b"H2PYPK\\0\\0", u16 version, u32 vk length, the vk bytes, u32 array
count, 32-byte Blake2b digest of the arrays, zero padding to a 64-byte boundary, the arrays.
Every count is checked against the circuit and the file's size before anything is mapped; the
digest is checked on load (a corrupt pk would otherwise prove garbage).
"""

from __future__ import annotations

import hashlib
import os
import struct
from pathlib import Path

import numpy as np

from halo2py.errors import InputError
from halo2py.middleware.circuit import CompiledCircuit
from halo2py.plonk.keygen import ProvingKey, proving_key
from halo2py.plonk.vkfile import vk_from_bytes, vk_to_bytes

MAGIC = b"H2PYPK\0\0"
PK_VERSION = 1
_ALIGN = 64


def _arrays(pk: ProvingKey) -> list:
    return (list(pk.fixed_values) + list(pk.fixed_polys) + list(pk.sigma_values) + list(pk.sigma_polys)
            + [pk.l0, pk.l_last, pk.l_active])


def _digest(arrays) -> bytes:
    h = hashlib.blake2b(digest_size=32)
    for a in arrays:
        h.update(memoryview(np.ascontiguousarray(a)).cast("B"))
    return h.digest()


def _header(vk_bytes: bytes, count: int, digest: bytes) -> bytes:
    head = MAGIC + struct.pack("<HI", PK_VERSION, len(vk_bytes)) + vk_bytes + struct.pack("<I", count) + digest
    return head + bytes(-len(head) % _ALIGN)


def write_pk(pk: ProvingKey, path) -> None:
    """Write to a temporary file beside ``path`` and rename, so no half-written key is left."""
    arrays = _arrays(pk)
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as f:
            f.write(_header(vk_to_bytes(pk.vk), len(arrays), _digest(arrays)))
            for a in arrays:
                f.write(memoryview(np.ascontiguousarray(a, dtype=np.uint64)).cast("B"))
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"cannot write pk file {path}: {exc.strerror or exc}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def read_pk(path, cs: CompiledCircuit) -> ProvingKey:
    """Map a pk file for ``cs``: the vk is parsed and checked as a vk file is, then the arrays'
    count and the file's size against what that vk implies, then the digest."""
    path = Path(path)
    what = f"pk file {path}"
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            head = f.read(len(MAGIC) + 6)
            if head[:len(MAGIC)] != MAGIC:
                raise InputError(f"{what}: not a halo2py proving key (bad magic)")
            if len(head) < len(MAGIC) + 6:
                raise InputError(f"{what}: truncated header")
            version, vk_len = struct.unpack("<HI", head[len(MAGIC):])
            if version != PK_VERSION:
                raise InputError(f"{what}: unsupported version {version} (this halo2py reads {PK_VERSION})")
            if vk_len > size:
                raise InputError(f"{what}: claims a {vk_len}-byte verifying key in a {size}-byte file")
            vk_bytes = f.read(vk_len)
            tail = f.read(36)
    except OSError as exc:
        raise InputError(f"cannot read pk file {path}: {exc.strerror or exc}") from None
    vk = vk_from_bytes(vk_bytes, cs, what)
    if len(tail) < 36:
        raise InputError(f"{what}: truncated header")
    count, digest = struct.unpack("<I", tail[:4])[0], tail[4:]
    layout = vk.layout
    want = 2 * len(layout.fixed_columns) + 2 * len(layout.permutation_columns) + 3
    if count != want:
        raise InputError(f"{what}: {count} polynomials, but this circuit's key has {want}")
    offset = len(_header(vk_bytes, count, digest))
    n = vk.domain.n
    if size != offset + count * n * 32:
        raise InputError(f"{what}: {size} bytes, but a key for k = {vk.k} takes {offset + count * n * 32}")
    # copy-on-write: the prover only reads these, but the kernels are compiled for writable arrays
    data = np.memmap(path, dtype=np.uint64, mode="c", offset=offset, shape=(count, n, 4))
    arrays = [data[i] for i in range(count)]
    if _digest(arrays) != digest:
        raise InputError(f"{what}: its polynomials do not match their digest (corrupt file)")
    f, p = len(layout.fixed_columns), len(layout.permutation_columns)
    return proving_key(vk, arrays[:f], arrays[f:2 * f], arrays[2 * f:2 * f + p], arrays[2 * f + p:2 * f + 2 * p],
                       *arrays[2 * f + 2 * p:])

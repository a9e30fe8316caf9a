"""The proving-key file, as halo2 users keep one: repeated proofs of one circuit skip keygen.

It holds the verifying key (the vk file's bytes: dialect, selector placement, commitments, bound
to the circuit's constraint system by a fingerprint) and the polynomials keygen computes — fixed
and σ columns in both bases, l0, l_last, l_active — as raw (n, 4) uint64 arrays, 64-byte aligned,
so a load is a copy-on-write memory map: the pages come in as the prover touches them, and the
prover hands back (``KeyPages.evict``) the Lagrange forms at the quotient and l0/l_last/l_active
after it, so from the quotient on a proof from the file holds one basis, as a proof that made its
own key does; the key stays whole for further proofs (an evicted page is read again from the
file if touched).

Layout (little-endian): magic b"H2PYPK\\0\\0", u16 version, u32 vk length, the vk bytes, u32 array
count, 32-byte checksum of the arrays, zero padding to a 64-byte boundary, the arrays.
Every count is checked against the circuit and the file's size before anything is mapped; the
checksum is checked on load (a corrupt pk would otherwise prove garbage).

The checksum guards against corruption — a flipped bit, a torn write, a key patched by hand —
not against someone who can write the file (they could as well write the program that reads it).
So it need not be a cryptographic hash: a parallel kernel over the uint64 words (four 64-bit sums
of a bijective mix of each word with its position) runs at memory speed, where Blake2b over a
1.1 GB key at k = 18 took half a second of every ``prove --pk``. Version 2 has this checksum;
version 1 files (Blake2b) are refused with the version message and made again by keygen.
"""

from __future__ import annotations

import mmap
import struct
from pathlib import Path

import numpy as np
from numba import njit, prange

from halo2py._output import output_file
from halo2py.errors import InputError
from halo2py.middleware.circuit import CompiledCircuit
from halo2py.plonk.keygen import ProvingKey, proving_key
from halo2py.plonk.vkfile import vk_from_bytes, vk_to_bytes

MAGIC = b"H2PYPK\0\0"
PK_VERSION = 2
_ALIGN = 64


def _arrays(pk: ProvingKey) -> list:
    return (list(pk.fixed_values) + list(pk.fixed_polys) + list(pk.sigma_values) + list(pk.sigma_polys)
            + [pk.l0, pk.l_last, pk.l_active])


def _checksum(arrays) -> bytes:
    """The four sums of ``_checksum_rows`` over the arrays in order, as 32 little-endian bytes."""
    sums = np.zeros(4, dtype=np.uint64)
    position = 0
    for a in arrays:
        a = np.ascontiguousarray(a, dtype=np.uint64).reshape(-1, 4)
        _checksum_rows(a, np.uint64(position), sums)
        position += a.shape[0]
    return sums.astype("<u8").tobytes()


@njit(parallel=True, cache=True, nogil=True)
def _checksum_rows(rows, start, sums):
    """Add to sums[j] the splitmix64 finalizer of each limb j of each row plus (p + 1)·γ, p = 4·row + j
    its word's position, γ splitmix64's increment: the mix is a bijection, so changing any one word
    changes its sum, and the position's offset makes a moved or swapped word count as changed."""
    s0 = np.uint64(0)
    s1 = np.uint64(0)
    s2 = np.uint64(0)
    s3 = np.uint64(0)
    for i in prange(rows.shape[0]):
        base = (start + np.uint64(i)) * np.uint64(4) * np.uint64(0x9E3779B97F4A7C15)
        s0 += _mix(rows[i, 0] + base + np.uint64(0x9E3779B97F4A7C15))
        s1 += _mix(rows[i, 1] + base + np.uint64(0x3C6EF372FE94F82A))
        s2 += _mix(rows[i, 2] + base + np.uint64(0xDAA66D2C7DDF743F))
        s3 += _mix(rows[i, 3] + base + np.uint64(0x78DDE6E5FD29F054))
    sums[0] += s0
    sums[1] += s1
    sums[2] += s2
    sums[3] += s3


@njit(cache=True, nogil=True, inline="always")
def _mix(z):
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


class KeyPages:
    """The pk file's mapping, so the prover can give back the pages of arrays it is done with.

    The mapping is private and the prover never writes a key's arrays, so every page is clean:
    ``MADV_DONTNEED`` takes it out of the process (its RSS) and a later read faults it in again
    from the page cache or the file, unchanged. Only whole pages inside an array are given back,
    so a neighbour sharing its first or last page is never touched.
    """

    PAGE = mmap.PAGESIZE

    def __init__(self, mapping: mmap.mmap, address: int):
        self.mapping, self.address = mapping, address

    def evict(self, arrays) -> None:
        if not hasattr(self.mapping, "madvise"):  # no madvise on this platform: the pages stay
            return
        for a in arrays:
            start = a.ctypes.data - self.address
            lo, hi = -(-start // self.PAGE) * self.PAGE, (start + a.nbytes) // self.PAGE * self.PAGE
            if 0 <= lo < hi <= len(self.mapping):
                self.mapping.madvise(mmap.MADV_DONTNEED, lo, hi - lo)


def _header(vk_bytes: bytes, count: int, checksum: bytes) -> bytes:
    head = MAGIC + struct.pack("<HI", PK_VERSION, len(vk_bytes)) + vk_bytes + struct.pack("<I", count) + checksum
    return head + bytes(-len(head) % _ALIGN)


def write_pk(pk: ProvingKey, path) -> None:
    """Write whole or not at all (``halo2py._output``): no half-written key is ever left."""
    arrays = _arrays(pk)
    try:
        with output_file(path) as f:
            f.write(_header(vk_to_bytes(pk.vk), len(arrays), _checksum(arrays)))
            for a in arrays:
                f.write(memoryview(np.ascontiguousarray(a, dtype=np.uint64)).cast("B"))
    except OSError as exc:
        raise InputError(f"cannot write pk file {path}: {exc.strerror or exc}") from None


def read_pk(path, cs: CompiledCircuit) -> ProvingKey:
    """Map a pk file for ``cs``: the vk is parsed and checked as a vk file is, then the arrays'
    count and the file's size against what that vk implies, then the checksum."""
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
    count, checksum = struct.unpack("<I", tail[:4])[0], tail[4:]
    layout = vk.layout
    want = 2 * len(layout.fixed_columns) + 2 * len(layout.permutation_columns) + 3
    if count != want:
        raise InputError(f"{what}: {count} polynomials, but this circuit's key has {want}")
    offset = len(_header(vk_bytes, count, checksum))
    n = vk.domain.n
    if size != offset + count * n * 32:
        raise InputError(f"{what}: {size} bytes, but a key for k = {vk.k} takes {offset + count * n * 32}")
    # copy-on-write: the prover only reads these, but the kernels are compiled for writable arrays.
    # A plain ndarray over the mapping, not np.memmap: Numba types an exact ndarray argument in C,
    # a subclass in Python at every kernel call (and its first one imports numpy.ma).
    try:
        with open(path, "rb") as f:
            mapping = mmap.mmap(f.fileno(), size, access=mmap.ACCESS_COPY)
    except OSError as exc:
        raise InputError(f"cannot read pk file {path}: {exc.strerror or exc}") from None
    whole = np.frombuffer(mapping, dtype=np.uint8)
    data = whole[offset:].view(np.uint64).reshape(count, n, 4)
    if _checksum([data.reshape(-1, 4)]) != checksum:  # one pass (one parallel launch) over all
        raise InputError(f"{what}: its polynomials do not match their checksum (corrupt file)")
    arrays = [data[i] for i in range(count)]
    f, p = len(layout.fixed_columns), len(layout.permutation_columns)
    pk = proving_key(vk, arrays[:f], arrays[f:2 * f], arrays[2 * f:2 * f + p], arrays[2 * f + p:2 * f + 2 * p],
                     *arrays[2 * f + 2 * p:])
    # The checksum read every page, and they stay mapped until their rounds are past: giving the
    # coefficient forms back now and faulting them in again at the quotient cost a k = 16 proof
    # 0.5 s (in-process A/B, 4 + 4 runs), for no lower peak (the quotient's is higher).
    pk.pages = KeyPages(mapping, whole.ctypes.data)
    return pk

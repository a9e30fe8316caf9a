"""The verifying-key file: commitments, how the selectors became fixed columns, and the digest,
bound to the circuit's constraint system.

As in halo2, the file does not carry the gates: the verifier rebuilds the constraint system from
the circuit definition and the file must match it (a fingerprint of the pinned constraint system
is stored). What the circuit alone cannot tell — which selectors keygen combined into which
columns, which depends on where they are enabled — is stored, so a verifier with the file never
synthesises anything. Layout (little-endian): magic b"H2PYVK\\0\\0", u16 version, u8 k, u8 dialect
name length and the name, 32-byte constraint-system fingerprint, 32-byte transcript_repr (Fr),
u32 selector count then per selector (u32 column, u16 position, u16 size), u32 selector-column
count, u32 fixed count, u32 σ count, then compressed G1 points.
"""

from __future__ import annotations

import hashlib
import struct

from halo2py.curve.encoding import decode_compressed, encode_compressed
from halo2py.errors import Halo2pyError, InputError
from halo2py.middleware.circuit import CompiledCircuit
from halo2py.plonk.dialect import dialect as dialect_named
from halo2py.plonk.keygen import VerifyingKey, circuit_constraint_system_text
from halo2py.plonk.layout import ProtocolLayout
from halo2py.plonk.selectors import SelectorColumns
from halo2py.poly.domain import EvaluationDomain

MAGIC = b"H2PYVK\0\0"
VK_VERSION = 2
_HEAD = struct.Struct("<HBB")
_PLACEMENT = struct.Struct("<IHH")


def fingerprint(cs: CompiledCircuit, dialect) -> bytes:
    return hashlib.blake2b(circuit_constraint_system_text(cs, dialect).encode(), digest_size=32).digest()


def vk_to_bytes(vk: VerifyingKey) -> bytes:
    name = vk.dialect.name.encode()
    placement = vk.layout.selector_columns_map
    out = [MAGIC, _HEAD.pack(VK_VERSION, vk.k, len(name)), name, fingerprint(vk.cs, vk.dialect),
           vk.transcript_repr.to_bytes(32, "little"), struct.pack("<I", len(placement.placement))]
    out += [_PLACEMENT.pack(*p) for p in placement.placement]
    out.append(struct.pack("<III", placement.columns, len(vk.fixed_commitments), len(vk.permutation_commitments)))
    out += [encode_compressed(vk.fixed_commitments), encode_compressed(vk.permutation_commitments)]
    return b"".join(out)


class _Reader:
    def __init__(self, data: bytes, what: str):
        self.data, self.pos, self.what = data, 0, what

    def take(self, count: int, field: str) -> bytes:
        if self.pos + count > len(self.data):
            raise InputError(f"{self.what}: truncated ({field})")
        chunk = self.data[self.pos:self.pos + count]
        self.pos += count
        return chunk

    def unpack(self, fmt: struct.Struct, field: str) -> tuple:
        return fmt.unpack(self.take(fmt.size, field))


def vk_from_bytes(data: bytes, cs: CompiledCircuit, what: str = "vk file") -> VerifyingKey:
    """Parse and check a vk file against the circuit; any mismatch is an InputError. Every count
    is checked against the circuit before anything is decoded."""
    if data[:len(MAGIC)] != MAGIC:
        raise InputError(f"{what}: not a halo2py verifying key (bad magic)")
    r = _Reader(data[len(MAGIC):], what)
    version, k, name_len = r.unpack(_HEAD, "header")
    if version != VK_VERSION:
        raise InputError(f"{what}: unsupported version {version} (this halo2py reads {VK_VERSION})")
    try:
        dialect = dialect_named(r.take(name_len, "dialect").decode())
    except UnicodeDecodeError:
        raise InputError(f"{what}: the dialect name is not text") from None
    if r.take(32, "fingerprint") != fingerprint(cs, dialect):
        raise InputError(f"{what}: made for a different constraint system than this circuit's")
    digest = int.from_bytes(r.take(32, "digest"), "little")
    (count,) = r.unpack(struct.Struct("<I"), "selector count")
    if count != len(cs.selectors):
        raise InputError(f"{what}: {count} selectors, but the circuit has {len(cs.selectors)}")
    placement = tuple(r.unpack(_PLACEMENT, "selector placement") for _ in range(count))
    columns, n_fixed, n_sigma = r.unpack(struct.Struct("<III"), "column counts")
    if columns > count or any(not (c < columns and 1 <= pos <= size <= count) for c, pos, size in placement):
        raise InputError(f"{what}: malformed selector placement")
    layout = ProtocolLayout(cs, SelectorColumns(placement, columns), dialect.lookup)
    if n_fixed != len(layout.fixed_columns) or n_sigma != len(layout.permutation_columns):
        raise InputError(f"{what}: column counts do not match the circuit")
    points = data[len(MAGIC) + r.pos:]
    if len(points) != 32 * (n_fixed + n_sigma):
        raise InputError(f"{what}: expected {n_fixed + n_sigma} points, found {len(points)} bytes")
    try:
        fixed = decode_compressed(points[:32 * n_fixed])
        sigmas = decode_compressed(points[32 * n_fixed:])
    except Halo2pyError as exc:
        raise InputError(f"{what}: {exc}") from None
    vk = VerifyingKey(k, layout, EvaluationDomain(k, layout.degree), fixed.reshape(-1, 8), sigmas.reshape(-1, 8),
                      dialect)
    if vk.transcript_repr != digest:
        raise InputError(f"{what}: digest does not match its contents (corrupt file)")
    return vk

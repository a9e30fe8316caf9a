"""The verifying-key file: commitments and the digest, bound to the circuit's constraint system.

As in halo2, the file does not carry the gates: the verifier rebuilds the constraint system from
the circuit definition and the file must match it (a fingerprint of the system is stored).
Layout (little-endian): magic b"H2PYVK\\0\\0", u16 version, u8 k, 32-byte constraint-system
fingerprint, 32-byte vk digest (Fr), u32 fixed count, u32 σ count, then compressed G1 points.
"""

from __future__ import annotations

import hashlib
import struct

from halo2py.curve.encoding import decode_compressed, encode_compressed
from halo2py.errors import Halo2pyError, InputError
from halo2py.plonk.keygen import VerifyingKey, describe_constraint_system
from halo2py.plonk.layout import ProtocolLayout
from halo2py.poly.domain import EvaluationDomain

MAGIC = b"H2PYVK\0\0"
VK_VERSION = 1
_HEADER = struct.Struct("<HB32s32sII")


def fingerprint(layout: ProtocolLayout) -> bytes:
    return hashlib.blake2b(describe_constraint_system(layout).encode(), digest_size=32).digest()


def vk_to_bytes(vk: VerifyingKey) -> bytes:
    header = _HEADER.pack(VK_VERSION, vk.k, fingerprint(vk.layout), vk.transcript_repr.to_bytes(32, "little"),
                          len(vk.fixed_commitments), len(vk.permutation_commitments))
    return MAGIC + header + encode_compressed(vk.fixed_commitments) + encode_compressed(vk.permutation_commitments)


def vk_from_bytes(data: bytes, layout: ProtocolLayout, what: str = "vk file") -> VerifyingKey:
    """Parse and check a vk file against the circuit's layout; any mismatch is an InputError."""
    if data[:len(MAGIC)] != MAGIC:
        raise InputError(f"{what}: not a halo2py verifying key (bad magic)")
    body = data[len(MAGIC):]
    if len(body) < _HEADER.size:
        raise InputError(f"{what}: truncated header")
    version, k, fp, digest, n_fixed, n_sigma = _HEADER.unpack_from(body)
    if version != VK_VERSION:
        raise InputError(f"{what}: unsupported version {version} (this halo2py reads {VK_VERSION})")
    if fp != fingerprint(layout):
        raise InputError(f"{what}: made for a different constraint system than this circuit's")
    points = body[_HEADER.size:]
    if len(points) != 32 * (n_fixed + n_sigma):
        raise InputError(f"{what}: expected {n_fixed + n_sigma} points, found {len(points)} bytes")
    if n_fixed != len(layout.fixed_columns) or n_sigma != len(layout.permutation_columns):
        raise InputError(f"{what}: column counts do not match the circuit")
    try:
        fixed = decode_compressed(points[:32 * n_fixed])
        sigmas = decode_compressed(points[32 * n_fixed:])
    except Halo2pyError as exc:
        raise InputError(f"{what}: {exc}") from None
    vk = VerifyingKey(k, layout, EvaluationDomain(k, layout.degree), fixed.reshape(-1, 8), sigmas.reshape(-1, 8))
    if vk.transcript_repr != int.from_bytes(digest, "little"):
        raise InputError(f"{what}: digest does not match its contents (corrupt file)")
    return vk

"""The proof file: a versioned container around halo2's transcript bytes.

Layout (all integers little-endian):
  magic      8 bytes  b"H2PYPRF\\0"
  version    u16      CONTAINER_VERSION
  k          u8
  multiopen  u8       0 = gwc, 1 = shplonk
  vk digest  32 bytes the verifying key's transcript representation (Fr, canonical)
  copies     u8       circuit copies in the proof (halo2's create_proof over several circuits)
  per copy:  u32 number of instance columns, then per column: u32 count, count × 32-byte Fr
  transcript u64 length, then the transcript bytes exactly as halo2's Blake2bWrite produces them
  settings   u16 length, then a JSON object: how the proof was made — the circuit's name and
             parameters, the dialect and the floor planner — so ``verify`` needs no repeated flags

A file that does not parse as this container is bad input (exit 2); a container that parses but
whose transcript does not verify is an invalid proof (exit 1). The header is not trusted: the
verifier recomputes the vk and compares digests, and the instances are absorbed by the transcript.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass, field

from halo2py._input import BadJSON, loads_json
from halo2py.arith.constants import FR_MODULUS
from halo2py.errors import InputError

MAGIC = b"H2PYPRF\0"
CONTAINER_VERSION = 3
SCHEMES = ("gwc", "shplonk")


class ContainerError(InputError):
    """Not a halo2py proof file (bad magic, unknown version, truncated or malformed header)."""


@dataclass
class ProofFile:
    k: int
    multiopen: str
    vk_digest: int
    instances: list  # list of columns, each a list of canonical ints; with copies > 1, one such list per copy
    transcript: bytes
    copies: int = 1
    settings: dict = field(default_factory=dict)  # circuit, params (name → value text), dialect, floor_planner

    def per_copy(self) -> list:
        return [self.instances] if self.copies == 1 else list(self.instances)

    def to_bytes(self) -> bytes:
        out = [MAGIC, struct.pack("<HBB", CONTAINER_VERSION, self.k, SCHEMES.index(self.multiopen)),
               self.vk_digest.to_bytes(32, "little"), struct.pack("<B", self.copies)]
        for columns in self.per_copy():
            out.append(struct.pack("<I", len(columns)))
            for column in columns:
                out.append(struct.pack("<I", len(column)))
                out.extend(v.to_bytes(32, "little") for v in column)
        out.append(struct.pack("<Q", len(self.transcript)))
        out.append(self.transcript)
        settings = json.dumps(self.settings, sort_keys=True).encode()
        out.append(struct.pack("<H", len(settings)))
        out.append(settings)
        return b"".join(out)

    @classmethod
    def from_bytes(cls, data: bytes) -> ProofFile:
        reader = _Reader(data)
        if reader.take(len(MAGIC), "magic") != MAGIC:
            raise ContainerError("not a halo2py proof file (bad magic)")
        version, k, scheme = struct.unpack("<HBB", reader.take(4, "header"))
        if version != CONTAINER_VERSION:
            raise ContainerError(f"unsupported proof file version {version} (this halo2py reads {CONTAINER_VERSION})")
        if scheme >= len(SCHEMES):
            raise ContainerError(f"unknown multiopen scheme id {scheme} in proof file")
        digest = int.from_bytes(reader.take(32, "vk digest"), "little")
        copies = reader.take(1, "copy count")[0]
        if copies == 0:
            raise ContainerError("proof file claims 0 circuit copies")
        per_copy = []
        for _ in range(copies):
            instances = []
            columns = reader.u32("instance column count")
            if 4 * columns > reader.remaining():  # every column takes at least its 4-byte count
                raise ContainerError(f"proof file claims {columns} instance columns, more than its data holds")
            for _ in range(columns):
                count = reader.u32("instance count")
                if 32 * count > reader.remaining():
                    raise ContainerError(f"proof file claims {count} instance values, more than its data holds")
                instances.append([reader.scalar("instance value") for _ in range(count)])
            per_copy.append(instances)
        length = struct.unpack("<Q", reader.take(8, "transcript length"))[0]
        transcript = reader.take(length, "transcript")
        settings_length = struct.unpack("<H", reader.take(2, "settings length"))[0]
        try:
            settings = loads_json(reader.take(settings_length, "settings").decode())
        except (UnicodeDecodeError, BadJSON):
            raise ContainerError("proof file settings are not a JSON object") from None
        if not isinstance(settings, dict) or not all(isinstance(v, (str, dict)) for v in settings.values()):
            raise ContainerError("proof file settings are not a JSON object of names")
        if reader.remaining():
            raise ContainerError(f"proof file has {reader.remaining()} trailing bytes")
        return cls(k, SCHEMES[scheme], digest, per_copy[0] if copies == 1 else per_copy, transcript, copies, settings)


class _Reader:
    def __init__(self, data: bytes):
        self.data, self.pos = data, 0

    def take(self, count: int, what: str) -> bytes:
        if self.pos + count > len(self.data):
            raise ContainerError(f"proof file truncated while reading {what}")
        chunk = self.data[self.pos:self.pos + count]
        self.pos += count
        return chunk

    def u32(self, what: str) -> int:
        return struct.unpack("<I", self.take(4, what))[0]

    def scalar(self, what: str) -> int:
        value = int.from_bytes(self.take(32, what), "little")
        if value >= FR_MODULUS:
            raise ContainerError(f"proof file {what} is not a canonical field element")
        return value

    def remaining(self) -> int:
        return len(self.data) - self.pos

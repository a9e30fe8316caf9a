"""The Fiat–Shamir transcript: halo2's ``Blake2bWrite`` / ``Blake2bRead`` with ``Challenge255``.

One BLAKE2b-512 state, personalised "Halo2-Transcript", absorbs everything the prover sends and
everything both sides agree on. Every message carries a domain-separation prefix byte:

- 0 before squeezing a challenge: the challenge is the 64-byte digest of a *copy* of the state,
  read little-endian and reduced mod r (so the state keeps the prefix byte and goes on);
- 1 before a point: its affine x and y as canonical 32-byte little-endian integers;
- 2 before a scalar: its canonical 32-byte little-endian encoding.

The proof itself holds points compressed (32 bytes, halo2curves' flags) and scalars as 32 bytes
LE, in the order they were written. Points are affine (8,) uint64 arrays (``halo2py.curve``).

Two things differ between halo2 generations and are parameters of both sides (the defaults are
halo2py's own proofs, PSE halo2 with halo2curves ≥ 0.7):

- ``encoding``: which halo2curves compressed format the proof's points use (``PointEncoding``);
- ``identity_as``: the identity has no affine coordinates, so PSE halo2 refuses to absorb it
  (``None``); Scroll halo2, and Tachyon after it, absorb it as the coordinates (0, 5)
  (``SCROLL_IDENTITY``). A raised degree can make an h piece zero, so a Scroll proof may carry it.
"""

import hashlib

import numpy as np

from halo2py.arith.constants import FR_MODULUS
from halo2py.arith.field import Fq
from halo2py.curve.encoding import DEFAULT_ENCODING, decode_compressed, encode_compressed, encoding_for
from halo2py.errors import Halo2pyError, InputError

_PERSONAL = b"Halo2-Transcript"
_PREFIX_CHALLENGE = b"\x00"
_PREFIX_POINT = b"\x01"
_PREFIX_SCALAR = b"\x02"

POINT_BYTES = 32
SCALAR_BYTES = 32
SCROLL_IDENTITY = (0, 5)


class TranscriptError(Halo2pyError):
    """Proof bytes that do not decode as the transcript the verifier expects.

    Exit code 1, not 2: a readable proof whose contents are wrong is an invalid proof, the same
    verdict as a failed pairing check.
    """

    exit_code = 1


def _affine_coordinates(point) -> tuple:
    """(x, y) as canonical ints, or None for the identity (stored as all-zero limbs)."""
    point = np.asarray(point, dtype=np.uint64)
    if point.shape != (8,):
        raise ValueError(f"a transcript point is an affine (8,) uint64 array, got shape {point.shape}")
    if not point.any():
        return None
    return Fq.from_mont(point[:4]), Fq.from_mont(point[4:])


class _Blake2bTranscript:
    def __init__(self, encoding=DEFAULT_ENCODING, identity_as: tuple | None = None):
        self._state = hashlib.blake2b(digest_size=64, person=_PERSONAL)
        self.encoding = encoding_for(encoding)
        self.identity_as = identity_as

    def squeeze_challenge(self) -> int:
        self._state.update(_PREFIX_CHALLENGE)
        digest = self._state.copy().digest()
        return int.from_bytes(digest, "little") % FR_MODULUS

    def common_point(self, point) -> None:
        """Absorb a point both sides know (GWC: the instance commitments). The identity is
        absorbed as ``identity_as``, or refused when that is None (as PSE halo2)."""
        coords = _affine_coordinates(point)
        if coords is None:
            if self.identity_as is None:
                raise ValueError("cannot absorb the point at infinity into the transcript")
            coords = self.identity_as
        x, y = coords
        self._state.update(_PREFIX_POINT + x.to_bytes(32, "little") + y.to_bytes(32, "little"))

    def common_scalar(self, scalar: int) -> None:
        self._state.update(_PREFIX_SCALAR + (int(scalar) % FR_MODULUS).to_bytes(32, "little"))


class Blake2bWrite(_Blake2bTranscript):
    """The prover's side: absorbs messages and appends them to the proof bytes."""

    def __init__(self, encoding=DEFAULT_ENCODING, identity_as: tuple | None = None):
        super().__init__(encoding, identity_as)
        self._out = bytearray()

    def write_point(self, point) -> None:
        self.common_point(point)
        self._out += encode_compressed(np.asarray(point, dtype=np.uint64), self.encoding)

    def write_scalar(self, scalar: int) -> None:
        self.common_scalar(scalar)
        self._out += (int(scalar) % FR_MODULUS).to_bytes(32, "little")

    @property
    def proof_bytes(self) -> bytes:
        return bytes(self._out)

    def finalize(self) -> bytes:
        return self.proof_bytes


class Blake2bRead(_Blake2bTranscript):
    """The verifier's side: decodes messages from the proof bytes and absorbs them in order.

    Anything that does not decode (too few bytes, a non-canonical scalar, an x with no point, the
    identity unless ``identity_as`` says how to absorb it) raises ``TranscriptError``.
    """

    def __init__(self, proof: bytes, encoding=DEFAULT_ENCODING, identity_as: tuple | None = None):
        super().__init__(encoding, identity_as)
        self._proof = bytes(proof)
        self._pos = 0

    def _take(self, nbytes: int, what: str) -> bytes:
        end = self._pos + nbytes
        if end > len(self._proof):
            raise TranscriptError(
                f"proof ends early: expected a {what} at byte {self._pos}, only "
                f"{len(self._proof) - self._pos} bytes left"
            )
        chunk = self._proof[self._pos:end]
        self._pos = end
        return chunk

    def read_point(self) -> np.ndarray:
        at = self._pos
        data = self._take(POINT_BYTES, "point")
        try:
            point = decode_compressed(data, self.encoding)[0]
        except InputError as exc:
            raise TranscriptError(f"invalid point in proof at byte {at}: {exc}") from None
        if not point.any() and self.identity_as is None:
            raise TranscriptError(f"invalid point in proof at byte {at}: the point at infinity")
        self.common_point(point)
        return point

    def read_scalar(self) -> int:
        at = self._pos
        value = int.from_bytes(self._take(SCALAR_BYTES, "scalar"), "little")
        if value >= FR_MODULUS:
            raise TranscriptError(f"invalid scalar in proof at byte {at}: not below the field modulus")
        self.common_scalar(value)
        return value

    @property
    def remaining(self) -> int:
        return len(self._proof) - self._pos

    def assert_exhausted(self) -> None:
        """A proof with bytes after its last message is not the proof the verifier checked."""
        if self.remaining:
            raise TranscriptError(f"{self.remaining} unread bytes after the end of the proof")

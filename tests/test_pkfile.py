"""The proving-key file: a proof made with a stored key is the proof keygen would have made, and a
corrupt, truncated or foreign key file is one line, exit 2."""

import numpy as np
import pytest

import plonk_cases as cases
from halo2py import pipeline
from halo2py.errors import InputError
from halo2py.plonk.columns import is_mapped
from halo2py.plonk.pkfile import read_pk, write_pk


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    path = tmp_path_factory.mktemp("pk") / "stress.pk"
    write_pk(pipeline.proving_key(cases.circuit("stress"), cases.params(cases.k_of("stress"))), path)
    return path


def test_a_stored_key_proves_the_same_bytes(stored):
    circuit, params = cases.circuit("stress"), cases.params(cases.k_of("stress"))
    pk = read_pk(stored, cases.compiled("stress"))
    assert is_mapped(pk.fixed_polys[0]) and type(pk.fixed_polys[0]) is np.ndarray  # mapped, not read onto the heap
    with_file = pipeline.prove(circuit, params, "chunked", "shplonk", seed=cases.PROVE_SEED, pk=pk).proof
    assert with_file.to_bytes() == cases.proof("stress", "chunked", "shplonk").to_bytes()
    assert "keygen" not in pipeline.prove(circuit, params, seed=1, pk=read_pk(stored, cases.compiled("stress"))
                                          ).timer.order


def test_corrupt_truncated_or_foreign_key_files_are_refused(stored, tmp_path):
    data = stored.read_bytes()
    cases_ = {
        "corrupt polynomial": data[:-100] + bytes([data[-100] ^ 1]) + data[-99:],
        "truncated": data[:-32],
        "extended": data + bytes(32),
        "bad magic": b"X" + data[1:],
    }
    for what, bad in cases_.items():
        path = tmp_path / f"{what}.pk"
        path.write_bytes(bad)
        with pytest.raises(InputError):
            read_pk(path, cases.compiled("stress"))
    with pytest.raises(InputError, match="different constraint system"):
        read_pk(stored, cases.compiled("fibonacci"))


def test_a_key_for_another_dialect_is_refused(stored):
    pk = read_pk(stored, cases.compiled("stress"))
    with pytest.raises(InputError, match="dialect"):
        pipeline.prove(cases.circuit("stress"), cases.params(cases.k_of("stress")), seed=1, dialect="scroll-legacy",
                       pk=pk)


_MASK = (1 << 64) - 1
_GAMMA = 0x9E3779B97F4A7C15


def _splitmix_sums(arrays) -> bytes:
    """The pk checksum over Python ints, word by word: sum_j of mix(word + (p + 1)·γ) mod 2^64 over
    the words p = 4·row + j (rows counted across the arrays in order)."""
    def mix(z):
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return z ^ (z >> 31)

    sums, p = [0] * 4, 0
    for a in arrays:
        for word in a.reshape(-1).tolist():
            sums[p % 4] = (sums[p % 4] + mix((word + (p + 1) * _GAMMA) & _MASK)) & _MASK
            p += 1
    return b"".join(s.to_bytes(8, "little") for s in sums)


def test_the_checksum_is_the_word_by_word_reference_and_sees_one_changed_word():
    from halo2py.plonk.pkfile import _checksum

    rng = np.random.default_rng(3)
    arrays = [rng.integers(0, 2**64, size=(rows, 4), dtype=np.uint64) for rows in (1, 7, 300, 64)]
    arrays.append(np.zeros((9, 4), dtype=np.uint64))
    assert _checksum(arrays) == _splitmix_sums(arrays)
    for array, row, limb in ((0, 0, 0), (2, 299, 3), (4, 5, 1)):
        changed = [a.copy() for a in arrays]
        changed[array][row, limb] ^= np.uint64(1 << 40)
        assert _checksum(changed) != _checksum(arrays)
    swapped = [a.copy() for a in arrays]
    swapped[2][[3, 4]] = swapped[2][[4, 3]]
    assert _checksum(swapped) != _checksum(arrays)
    assert _checksum(arrays[1:]) != _checksum(arrays) and _checksum(arrays[:2] + arrays[3:]) != _checksum(arrays)

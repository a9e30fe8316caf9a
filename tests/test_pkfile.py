"""The proving-key file: a proof made with a stored key is the proof keygen would have made, and a
corrupt, truncated or foreign key file is one line, exit 2."""

import mmap
import os

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


def _resident_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * mmap.PAGESIZE


@pytest.mark.skipif(not hasattr(mmap.mmap, "madvise") or not os.path.exists("/proc/self/statm"),
                    reason="needs madvise and /proc (Linux)")
def test_evicted_pages_leave_the_process_and_come_back_unchanged(tmp_path):
    """KeyPages.evict on a copy-on-write file mapping: the resident size falls by the evicted
    whole pages, the neighbours' partial pages stay, and every word reads back as in the file."""
    from halo2py.plonk.pkfile import KeyPages

    words = np.random.default_rng(5).integers(0, 2**64, size=(3 * 2**18 + 5, 4), dtype=np.uint64)  # 24 MiB
    path = tmp_path / "words.bin"
    path.write_bytes(bytes(24) + words.tobytes())  # an offset that is not page-aligned, as in a pk file
    with open(path, "rb") as f:
        mapping = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY)
    whole = np.frombuffer(mapping, dtype=np.uint8)
    data = whole[24:].view(np.uint64).reshape(-1, 4)
    parts = [data[:2**18], data[2**18:2 * 2**18], data[2 * 2**18:]]
    assert all(int(np.bitwise_xor.reduce(p, axis=None)) >= 0 for p in parts)  # every page touched
    before = _resident_bytes()
    KeyPages(mapping, whole.ctypes.data).evict(parts[:2])
    dropped = before - _resident_bytes()
    assert 2 * 2**23 - 3 * mmap.PAGESIZE <= dropped <= 2 * 2**23 + mmap.PAGESIZE
    assert np.array_equal(data, words)


def test_a_mapped_key_gives_back_each_basis_and_proves_again_the_same_bytes(stored):
    """The prover hands back the Lagrange forms at the quotient and l0/l_last/l_active after it;
    a second proof from the same mapped key reads them again and is still the reference proof."""
    circuit, params = cases.circuit("stress"), cases.params(cases.k_of("stress"))
    pk = read_pk(stored, cases.compiled("stress"))
    evicted = []
    real = pk.pages.evict
    pk.pages.evict = lambda arrays: (evicted.append([a.ctypes.data for a in arrays]), real(arrays))
    for strategy in ("chunked", "subcoset"):
        proof = pipeline.prove(circuit, params, strategy, "shplonk", seed=cases.PROVE_SEED, pk=pk).proof
        assert proof.to_bytes() == cases.proof("stress", strategy, "shplonk").to_bytes()
    lagrange = [a.ctypes.data for a in pk.lagrange_forms()]
    quotient_only = [a.ctypes.data for a in pk.quotient_only()]
    assert evicted == [lagrange, quotient_only] * 2

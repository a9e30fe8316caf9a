"""The proving-key file: a proof made with a stored key is the proof keygen would have made, and a
corrupt, truncated or foreign key file is one line, exit 2."""

import numpy as np
import pytest

import plonk_cases as cases
from halo2py import pipeline
from halo2py.errors import InputError
from halo2py.plonk.pkfile import read_pk, write_pk


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    path = tmp_path_factory.mktemp("pk") / "stress.pk"
    write_pk(pipeline.proving_key(cases.circuit("stress"), cases.params(cases.k_of("stress"))), path)
    return path


def test_a_stored_key_proves_the_same_bytes(stored):
    circuit, params = cases.circuit("stress"), cases.params(cases.k_of("stress"))
    pk = read_pk(stored, cases.compiled("stress"))
    assert isinstance(pk.fixed_polys[0], np.memmap)  # mapped, not read onto the heap
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

"""Params from a known secret (halo2's ``unsafe_setup_with_s``), checked against py_ecc and against
the fixed and σ commitments Rust halo2 pinned in every vector's verifying key (params with s = 2,
commitments in Lagrange form): together they pin down params and ``commit_lagrange`` against Rust."""

import random
import re

import halo2_vectors as hv
import pytest
from py_ecc import optimized_bn128 as bn
from test_cli_setup import run_main
from test_params import as_pairs, raw_file, ref_srs

from halo2py.arith.constants import FR_MODULUS as R
from halo2py.commitment import pairing
from halo2py.commitment.kzg import commit_lagrange
from halo2py.commitment.params import ParamsKZG
from halo2py.errors import InputError


@pytest.fixture(scope="module")
def params_s2():
    """halo2's test params (s = 2) for every k the vectors use."""
    return {k: ParamsKZG.setup_with_secret(k, 2) for k in {hv.load(c)["k"] for c in hv.case_names()}}


def test_known_secret_matches_py_ecc():
    s = random.Random(5).randrange(2, R)
    params = ParamsKZG.setup_with_secret(3, s)
    g, gl = ref_srs(3, s)
    assert as_pairs(params.g) == g
    assert as_pairs(params.g_lagrange) == gl
    assert pairing.g2_eq(params.s_g2, bn.multiply(bn.G2, s))
    assert params.to_bytes() == raw_file(3, s)
    params.check()


@pytest.mark.parametrize("s, message", [
    (0, "must be an integer in [1, r)"),
    (R, "must be an integer in [1, r)"),
    (1, "is a 4-th root of unity"),
    (R - 1, "is a 4-th root of unity"),
])
def test_bad_secret_is_input_error(s, message):
    with pytest.raises(InputError, match=re.escape(message)):
        ParamsKZG.setup_with_secret(2, s)


def _cases_with(column_key: str) -> list:
    return [c for c in hv.case_names() if hv.load(c)["proving_key"].get(column_key)]


def test_every_vector_with_a_permutation_has_its_sigma_columns():
    """The commitment tests below cover every case whose vk pins σ commitments (the shuffle × GWC
    vectors have no fixed columns at all; they share their vk with shuffle × SHPLONK)."""
    pinned = [c for c in hv.case_names() if hv.pinned_permutation_commitments(hv.load(c))]
    assert pinned == _cases_with("permutations_columns") and len(pinned) == 6
    assert len(_cases_with("fixed_columns")) == 12


def _assert_commitments(data, column_key, pinned, params_s2):
    columns = data["proving_key"][column_key]
    assert len(pinned) == len(columns) > 0
    params = params_s2[data["k"]]
    for column, expected in zip(columns, pinned):
        got = commit_lagrange(params, hv.fr_vector(column))
        assert as_pairs(got.reshape(1, 8))[0] == (expected if expected is not None else (0, 0))


@pytest.mark.parametrize("case", _cases_with("fixed_columns"))
def test_fixed_commitments_match_pinned_vk(case, params_s2):
    data = hv.load(case)
    _assert_commitments(data, "fixed_columns", hv.pinned_fixed_commitments(data), params_s2)


@pytest.mark.parametrize("case", _cases_with("permutations_columns"))
def test_permutation_commitments_match_pinned_vk(case, params_s2):
    data = hv.load(case)
    _assert_commitments(data, "permutations_columns", hv.pinned_permutation_commitments(data), params_s2)


def test_cli_writes_params_for_a_known_secret(monkeypatch, capsys, tmp_path):
    path = tmp_path / "s2.params"
    code, out, err = run_main(monkeypatch, capsys, "setup", "--k", "3", "--unsafe-secret", "0x02",
                              "--out", str(path), "--json")
    assert code == 0
    assert "UNSAFE: --unsafe-secret makes the secret public" in " ".join(err.split())
    assert '"known_secret": true' in out
    assert path.read_bytes() == raw_file(3, 2)
    code, _, _ = run_main(monkeypatch, capsys, "setup", "--k", "3", "--unsafe-secret", "2", "--out", str(path))
    assert code == 0 and path.read_bytes() == raw_file(3, 2)


@pytest.mark.parametrize("args, message", [
    (["--unsafe-secret", "two"], "--unsafe-secret must be a decimal or 0x-hex integer"),
    (["--unsafe-secret", "0"], "must be an integer in [1, r)"),
    (["--unsafe-secret", "2", "--seed", "3"], "--seed and --unsafe-secret are exclusive"),
])
def test_cli_bad_secret_is_one_line(monkeypatch, capsys, tmp_path, args, message):
    code, _, err = run_main(monkeypatch, capsys, "setup", "--k", "2", "--out", str(tmp_path / "p"), *args)
    assert code == 2
    assert message in " ".join(err.split())
    assert "Traceback" not in err

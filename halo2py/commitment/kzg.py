"""KZG commitments: commit (monomial or Lagrange basis), open at a point, verify by pairing.

A commitment to f(X) = Σ f_i X^i is [f(τ)]G = Σ f_i·g[i]; the same point from the evaluations
of f on ⟨ω⟩ is Σ f(ω^i)·g_lagrange[i]. An opening at z is the quotient commitment
W = [(f(τ) − f(z)) / (τ − z)]G, checked by e(W, [τ]₂ − z·[1]₂) = e(C − f(z)·G, [1]₂).

halo2 (and we) arrange every check as e(left, s_g2)·e(right, −g2) = 1 with
right = C − v·G + z·W, left = W: G1 linear combinations only, two Miller loops, one final
exponentiation (``pairing_check``). Points are affine (8,) arrays; scalars canonical ints.
"""

import numpy as np

from halo2py.arith.field import Fr
from halo2py.arith.ntt import intt
from halo2py.commitment.params import ParamsKZG
from halo2py.curve.msm import msm, msm_columns
from halo2py.curve.points import AFFINE, G1
from halo2py.poly import ops


def commit(params: ParamsKZG, poly: np.ndarray) -> np.ndarray:
    """[f(τ)]G for f in coefficient form (at most n coefficients)."""
    _check_coefficients(params, poly)
    return G1.to_affine(msm(params.g[:poly.shape[0]], poly))


def commit_lagrange(params: ParamsKZG, values: np.ndarray) -> np.ndarray:
    """[f(τ)]G for f given by its n values on ⟨ω⟩.

    Uses g_lagrange when the params hold it; otherwise interpolates with the field NTT and
    commits in the monomial basis — the same point, without building g_lagrange (an inverse
    FFT over G1) for downsized params.
    """
    _check_values(params, values)
    if params.g_lagrange is not None:
        return G1.to_affine(msm(params.g_lagrange, values))
    return commit(params, intt(values.copy()))


def commit_columns(params: ParamsKZG, columns: list) -> list:
    """``commit`` of each column, in order: those of one length in one ``msm_columns`` call."""
    points = [None] * len(columns)
    by_length: dict = {}
    for i, poly in enumerate(columns):
        _check_coefficients(params, poly)
        by_length.setdefault(poly.shape[0], []).append(i)
    for m, group in by_length.items():
        for i, point in zip(group, msm_columns(params.g[:m], [columns[i] for i in group])):
            points[i] = G1.to_affine(point)
    return points


def commit_lagrange_columns(params: ParamsKZG, columns: list) -> list:
    """``commit_lagrange`` of each column, in order, in one ``msm_columns`` call — or, without
    g_lagrange, one column at a time, so a single interpolated copy exists at once."""
    if params.g_lagrange is None:
        return [commit_lagrange(params, values) for values in columns]
    for values in columns:
        _check_values(params, values)
    return [G1.to_affine(point) for point in msm_columns(params.g_lagrange, columns)]


def _check_coefficients(params: ParamsKZG, poly: np.ndarray) -> None:
    """A polynomial ``commit`` can take: an Fr vector of at most n coefficients."""
    Fr.check(poly, "polynomial")
    if poly.shape[0] > params.n:
        raise ValueError(f"cannot commit to {poly.shape[0]} coefficients with params for n = {params.n}")


def _check_values(params: ParamsKZG, values: np.ndarray) -> None:
    """Values ``commit_lagrange`` can take: an Fr vector of exactly n values."""
    Fr.check(values, "Lagrange values")
    if values.shape[0] != params.n:
        raise ValueError(f"a Lagrange-basis vector has n = {params.n} values, got {values.shape[0]}")


def open_at(params: ParamsKZG, poly: np.ndarray, z: int) -> tuple:
    """(f(z), W) with W the commitment to (f(X) − f(z)) / (X − z)."""
    value = ops.evaluate(poly, z)
    return value, commit(params, ops.divide_by_linear(poly, z))


SMALL_MSM = 256  # up to this many terms a serial Straus beats loading and planning Pippenger


def linear_combination(terms) -> np.ndarray:
    """Σ s·P over [(scalar int, affine point), …] as one affine point (one MSM)."""
    terms = [(s % Fr.modulus, np.asarray(p, dtype=np.uint64).reshape(AFFINE)) for s, p in terms]
    terms = [(s, p) for s, p in terms if s and p.any()]
    if not terms:
        return np.zeros(AFFINE, dtype=np.uint64)
    bases = np.stack([p for _, p in terms])
    if len(terms) <= SMALL_MSM:
        return G1.to_affine(G1.small_msm(bases, [s for s, _ in terms]))
    scalars = Fr.from_ints([s for s, _ in terms])
    return G1.to_affine(msm(bases, scalars))


def pairing_check(params: ParamsKZG, left: np.ndarray, right: np.ndarray) -> bool:
    """e(left, s_g2) · e(right, −g2) == 1: halo2's final check of every KZG opening argument.
    (py_ecc and the pairing kernels load here, on a verifier's first check: a prover needs neither.)"""
    from halo2py._pyecc import bn

    from halo2py.commitment import pairing

    return pairing.multi_pairing_is_one(
        [(G1.to_py_ecc(left), params.s_g2), (G1.to_py_ecc(right), bn.neg(params.g2))]
    )


def verify(params: ParamsKZG, commitment: np.ndarray, z: int, value: int, witness: np.ndarray) -> bool:
    """Does W open C to ``value`` at z? (τ − z)·W = C − v·G  ⇔  e(W, s_g2)·e(C − v·G + z·W, −g2) = 1."""
    right = linear_combination([(1, commitment), (-value, params.g[0]), (z, witness)])
    return pairing_check(params, witness, right)

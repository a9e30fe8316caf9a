"""Compile the commitment-layer kernels (and the polynomial helpers they use) with production
argument types: a tiny setup, the G1 inverse FFT, commitments, both multiopen provers and the
pairing check."""

from halo2py._pyecc import bn

from halo2py.arith.field import Fr
from halo2py.commitment import kzg, pairing
from halo2py.commitment.lagrange_basis import lagrange_from_monomial
from halo2py.commitment.multiopen import ProverQuery, create_proof
from halo2py.commitment.params import ParamsKZG
from halo2py.poly import ops
from halo2py.randomness import seeded_rng
from halo2py.transcript import Blake2bWrite


def warm() -> None:
    params = ParamsKZG.setup(2, seeded_rng(0, "warm"))
    ParamsKZG.from_bytes(params.to_bytes())  # a read's fused point check, Lagrange sum and G2 check
    lagrange_from_monomial(params.g)
    poly = Fr.random(params.n)
    ops.evaluate(poly, 5)
    ops.linear_combination([poly, poly], [2, 3])
    ops.linear_combination([Fr.random(8)], [2])  # eight rows: the IFMA form where the CPU has it
    kzg.commit_lagrange(params, poly)
    kzg.open_at(params, poly, 7)
    for scheme in ("gwc", "shplonk"):
        create_proof(params, Blake2bWrite(), [ProverQuery(3, poly), ProverQuery(4, poly)], scheme)
    pairing.multi_pairing_is_one([(bn.G1, bn.G2)])  # the whole pairing is one kernel

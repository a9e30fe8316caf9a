"""Compile the G1 and MSM kernels with production argument types (see ``halo2py.warm``)."""

from halo2py.arith.field import Fr
from halo2py.curve import encoding
from halo2py.curve.msm import msm, scalar_weight, use_ifma
from halo2py.curve.points import G1


def warm() -> None:
    aff = G1.random(4)
    jac = G1.to_jacobian(aff)
    G1.add(jac, jac)
    G1.add_mixed(jac, aff)
    G1.double(jac)
    G1.neg(aff)
    G1.neg(jac)
    G1.eq(jac, jac)
    G1.is_on_curve(aff)
    G1.batch_to_affine(jac)
    G1.scalar_mul(aff[0], 5)
    for enc, dec in ((encoding.encode_compressed, encoding.decode_compressed),
                     (encoding.encode_uncompressed, encoding.decode_uncompressed),
                     (encoding.encode_raw, encoding.decode_raw)):
        dec(enc(aff))
    # One kernel holds both bucket kinds, with and without GLV; IFMA batches are a second
    # specialization of it, compiled only where the CPU has IFMA.
    msm(aff, Fr.random(4), ifma=False)
    if use_ifma():
        msm(aff, Fr.random(4), ifma=True)
    scalar_weight(Fr.random(4))  # a Dask coordinator's placement of commitments

"""Compile the field and NTT kernels with production argument types (see ``halo2py.warm``)."""

from halo2py.arith import ntt
from halo2py.arith.field import Fq, Fr


def warm() -> None:
    for field in (Fr, Fq):
        a = field.random(8)
        b = field.random(8)
        field.add(a, b)
        field.sub(a, b)
        field.neg(a)
        field.mul(a, b)
        field.scale(a, 3)
        field.square(a)
        field.pow(a, 5)
        field.batch_inverse(a)
        field.eq(a, b)
        field.to_bytes(a)
        field.from_bytes(field.to_bytes(a))
    # One size past a block reaches every NTT kernel (block and streaming stages, reversal).
    a = Fr.random(2 << ntt.LOG_BLOCK)
    ntt.intt(ntt.ntt(a))
    ntt.coset_intt(ntt.coset_ntt(a, 7), 7)
    ntt.distribute_powers(a, 3, out=Fr.zeros(a.shape[0]))
    ntt.clear_twiddle_cache()

"""Compile the field and NTT kernels with production argument types (see ``halo2py.warm``).

Where the CPU has IFMA both kernel families are compiled: the IFMA ones are the default, the
scalar ones serve vectors under eight rows, non-contiguous operands and ``HALO2PY_IFMA=0``.
"""

from halo2py.arith import ifma, ntt
from halo2py.arith.field import Fq, Fr


def _field_ops(rows: int) -> None:
    for field in (Fr, Fq):
        a = field.random(rows)
        b = field.random(rows)
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


def _ntt() -> None:
    # One size past a block reaches every NTT kernel (block and streaming stages, reversal).
    a = Fr.random(2 << ntt.LOG_BLOCK)
    ntt.intt(ntt.ntt(a))
    ntt.coset_intt(ntt.coset_ntt(a, 7), 7)
    ntt.distribute_powers(a, 3, out=Fr.zeros(a.shape[0]))
    ntt.coset_ntt_with_powers(a, a, Fr.zeros(a.shape[0]))


def warm() -> None:
    _field_ops(ifma.LANES - 1)  # under eight rows: the scalar kernels
    _field_ops(ifma.LANES)
    _ntt()
    if ifma.enabled():  # the scalar NTT stages (the field's scalar kernels are compiled above)
        ifma.set_enabled(False)
        try:
            _ntt()
        finally:
            ifma.set_enabled(None)
    ntt.clear_twiddle_cache()

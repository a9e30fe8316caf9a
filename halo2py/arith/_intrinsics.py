"""Carry-exact 64-bit limb primitives emitted as LLVM i128 arithmetic.

Numba has no 128-bit integer type; these intrinsics widen to ``i128`` so that LLVM emits one
``mul``/``mulx`` (plus ``adc``/``sbb``) per limb product instead of four 32-bit partial products.
Every function returns a ``(low, high)`` pair of uint64 so callers never leave the uint64 world
(Numba silently promotes mixed signed/unsigned 64-bit arithmetic to float64).
"""

from llvmlite import ir
from numba import types
from numba.extending import intrinsic

_I64 = ir.IntType(64)
_I128 = ir.IntType(128)
_PAIR = types.UniTuple(types.uint64, 2)


def _wide(builder, value):
    return builder.zext(value, _I128)


def _split(context, builder, wide):
    lo = builder.trunc(wide, _I64)
    hi = builder.trunc(builder.lshr(wide, ir.Constant(_I128, 64)), _I64)
    return context.make_tuple(builder, _PAIR, (lo, hi))


@intrinsic
def mac(typingctx, a, b, c, carry):
    """``a + b*c + carry`` as (low, high); never overflows 128 bits for 64-bit inputs."""
    sig = _PAIR(types.uint64, types.uint64, types.uint64, types.uint64)

    def codegen(context, builder, signature, args):
        va, vb, vc, vk = (_wide(builder, x) for x in args)
        acc = builder.add(builder.add(va, builder.mul(vb, vc)), vk)
        return _split(context, builder, acc)

    return sig, codegen


@intrinsic
def adc(typingctx, a, b, carry):
    """``a + b + carry`` as (sum, carry_out) with carry_out in {0, 1}."""
    sig = _PAIR(types.uint64, types.uint64, types.uint64)

    def codegen(context, builder, signature, args):
        va, vb, vk = (_wide(builder, x) for x in args)
        return _split(context, builder, builder.add(builder.add(va, vb), vk))

    return sig, codegen


@intrinsic
def sbb(typingctx, a, b, borrow):
    """``a - b - borrow`` as (difference, borrow_out) with borrow_out in {0, 1}."""
    sig = _PAIR(types.uint64, types.uint64, types.uint64)

    def codegen(context, builder, signature, args):
        va, vb, vk = (_wide(builder, x) for x in args)
        diff = builder.sub(builder.sub(va, vb), vk)
        lo = builder.trunc(diff, _I64)
        out = builder.trunc(builder.lshr(diff, ir.Constant(_I128, 127)), _I64)
        return context.make_tuple(builder, _PAIR, (lo, out))

    return sig, codegen


__all__ = ["mac", "adc", "sbb"]

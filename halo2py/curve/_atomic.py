"""An atomic fetch-and-add (LLVM ``atomicrmw add``) on one int64 array element.

Numba's OpenMP layer hands each thread one contiguous block of a ``prange`` — measured here,
whatever ``numba.parallel_chunksize`` says (10 unequal tasks on 2 threads: 0–4 on one thread,
5–9 on the other, every run) — so tasks of unequal cost, or a thread that loses its core to
another process, leave the other thread idle. Workers that take the next task index from a
shared counter balance dynamically instead.
"""

from numba import types
from numba.core import cgutils
from numba.extending import intrinsic


@intrinsic
def fetch_add(typingctx, arr, index, value):
    """``old = arr[index]; arr[index] += value; return old``, atomically (sequentially consistent)."""
    sig = types.int64(arr, index, value)

    def codegen(context, builder, signature, args):
        aryty = signature.args[0]
        ary = context.make_array(aryty)(context, builder, args[0])
        idx = context.cast(builder, args[1], signature.args[1], types.intp)
        ptr = cgutils.get_item_pointer(context, builder, aryty, ary, [idx])
        val = context.cast(builder, args[2], signature.args[2], types.int64)
        return builder.atomic_rmw("add", ptr, val, "seq_cst")

    return sig, codegen

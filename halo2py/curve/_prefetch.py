"""A software prefetch (LLVM ``llvm.prefetch``) of one array row, for random bucket accesses.

Pippenger's buckets are read in data-dependent order; at c ≈ 15 they outgrow L2, and each
access would otherwise stall for a cache miss. Prefetching the bucket of a point a few
iterations ahead hides that latency (≈ 25 % of MSM time, measured; docs/benchmarks.md).
"""

from llvmlite import binding as llvm
from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

# Intrinsic names carry the pointer type: typed pointers before LLVM 15, opaque after.
_NAME = "llvm.prefetch.p0" if llvm.llvm_version_info[0] >= 15 else "llvm.prefetch.p0i8"
_I32 = ir.IntType(32)


@intrinsic
def prefetch_row(typingctx, arr, row):
    """Hint the CPU to load ``arr[row, 0]``'s cache line for writing, into all cache levels."""
    sig = types.void(arr, row)

    def codegen(context, builder, signature, args):
        aryty = signature.args[0]
        ary = context.make_array(aryty)(context, builder, args[0])
        index = context.cast(builder, args[1], signature.args[1], types.intp)
        zero = context.get_constant(types.intp, 0)
        ptr = cgutils.get_item_pointer(context, builder, aryty, ary, [index, zero])
        i8p = builder.bitcast(ptr, ir.IntType(8).as_pointer())
        fnty = ir.FunctionType(ir.VoidType(), [i8p.type, _I32, _I32, _I32])
        fn = cgutils.get_or_insert_function(builder.module, fnty, _NAME)
        # rw = 1 (the bucket will be written), locality = 3 (keep in all levels), data cache
        builder.call(fn, [i8p, ir.Constant(_I32, 1), ir.Constant(_I32, 3), ir.Constant(_I32, 1)])
        return context.get_dummy_value()

    return sig, codegen

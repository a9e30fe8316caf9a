"""Eight Montgomery products at once with AVX-512 IFMA (``vpmadd52luq``/``vpmadd52huq``).

The scalar kernels (``limbs.mont_mul``) multiply one pair of 4×64-bit limb numbers; compiled
from Numba's i128 code that is ≈ 190 instructions per product. IFMA multiplies eight pairs of
52-bit numbers per instruction (low or high 52 bits of the 104-bit products, added to 64-bit
accumulators), so a number below 2^260 is five 52-bit limbs and eight independent products take
≈ 150 vector instructions. Where a kernel has eight independent multiplications (MSM's batched
bucket additions) it moves its operands into *lane blocks* and runs these kernels instead.

A lane block is a ``(rows, L, 8)`` uint64 array: row r holds eight field elements, limb l of
lane j at ``[r, l, j]`` (L = 4 for 64-bit limbs, L = 5 for 52-bit limbs), so one limb of eight
elements is one 512-bit vector. Every kernel here takes (array, row) pairs and works on whole
rows; outputs may alias inputs.

The values are the scalar kernels' own Montgomery form (x·2^256 mod p), not a 2^260 form, so
no conversion is needed at the boundary: ``mul`` feeds a·16 (a shifted by four bits, still
< 2^260) into a five-round (2^260) Montgomery reduction, and 16ab/2^260 = ab/2^256. Results are
canonical (< p), hence bit-identical to the scalar kernels'.

Dispatch is at run time (``enabled``): the CPU Numba compiles for (the host, or what
``NUMBA_CPU_NAME``/``NUMBA_CPU_FEATURES`` say; Numba's cache keys on it) must have AVX-512F and
IFMA; ``HALO2PY_IFMA=0`` turns IFMA off, ``HALO2PY_IFMA=1`` insists on it. A kernel that
may use IFMA must not even be compiled on a CPU without it (LLVM cannot select the
instruction), so callers keep the IFMA code in a specialization of their own (see ``msm``).
"""

import os

from llvmlite import binding as llvm
from llvmlite import ir
from numba import types
from numba.core import cgutils, config
from numba.extending import intrinsic

from halo2py.arith.constants import FQ, FR, MontgomeryConstants
from halo2py.errors import InputError

LANES = 8
LIMBS = 5  # 52-bit limbs of a lane-block element
BITS = 52
_MASK = (1 << BITS) - 1

_I32 = ir.IntType(32)
_I64 = ir.IntType(64)
_VEC = ir.VectorType(_I64, LANES)
_LO = "llvm.x86.avx512.vpmadd52l.uq.512"
_HI = "llvm.x86.avx512.vpmadd52h.uq.512"


def cpu_has_ifma() -> bool:
    """AVX-512F and AVX-512 IFMA on the CPU that Numba compiles for (the host unless overridden)."""
    if config.CPU_NAME or config.CPU_FEATURES:
        feats = config.CPU_FEATURES or ""
        return "+avx512f" in feats and "+avx512ifma" in feats
    host = llvm.get_host_cpu_features()
    return bool(host.get("avx512f")) and bool(host.get("avx512ifma"))


_choice: bool | None = None  # set by ``set_enabled``, or read from the environment once


def enabled() -> bool:
    """Use the IFMA kernels? Where the CPU has them, unless ``HALO2PY_IFMA=0`` (``=1`` on a CPU
    without IFMA is an error rather than a crash) or ``set_enabled`` said otherwise."""
    global _choice
    if _choice is None:
        env = os.environ.get("HALO2PY_IFMA", "").strip()
        if env not in ("", "0", "1"):
            raise InputError(f"HALO2PY_IFMA must be 0 or 1, got {env!r}")
        _choice = False if env == "0" else _checked(env == "1")
    return _choice


def _checked(insist: bool) -> bool:
    have = cpu_has_ifma()
    if insist and not have:
        raise InputError("IFMA asked for, but this CPU (or NUMBA_CPU_*) has no AVX-512 IFMA")
    return have


def set_enabled(flag: bool | None) -> None:
    """Turn the IFMA kernels on or off for this process (``bench --no-ifma``, tests); None goes
    back to the CPU and ``HALO2PY_IFMA``."""
    global _choice
    _choice = None if flag is None else bool(flag) and _checked(True)


def to_limbs52(x: int) -> tuple:
    """Five 52-bit limbs of x < 2^260, little-endian (tests and constants)."""
    return tuple((x >> (BITS * i)) & _MASK for i in range(LIMBS))


# ---- LLVM IR helpers (8 × i64 vectors) ----------------------------------------------------------

def _splat(value: int):
    return ir.Constant(_VEC, [ir.Constant(_I64, value)] * LANES)


def _row_ptr(context, builder, aryty, ary, row):
    """Pointer to ``arr[row, 0, 0]`` as a pointer to 8 × i64 vectors."""
    zero = context.get_constant(types.intp, 0)
    ptr = cgutils.get_item_pointer(context, builder, aryty, ary, [row, zero, zero])
    return builder.bitcast(ptr, _VEC.as_pointer())


def _load(context, builder, sig_args, args, k, nlimbs):
    aryty = sig_args[2 * k]
    ary = context.make_array(aryty)(context, builder, args[2 * k])
    row = context.cast(builder, args[2 * k + 1], sig_args[2 * k + 1], types.intp)
    base = _row_ptr(context, builder, aryty, ary, row)
    return [builder.load(builder.gep(base, [ir.Constant(_I32, i)]), align=8) for i in range(nlimbs)]


def _store(context, builder, sig_args, args, values):
    aryty = sig_args[0]
    ary = context.make_array(aryty)(context, builder, args[0])
    row = context.cast(builder, args[1], sig_args[1], types.intp)
    base = _row_ptr(context, builder, aryty, ary, row)
    for i, v in enumerate(values):
        builder.store(v, builder.gep(base, [ir.Constant(_I32, i)]), align=8)


def _madd(builder, name, acc, x, y):
    fnty = ir.FunctionType(_VEC, [_VEC, _VEC, _VEC])
    fn = cgutils.get_or_insert_function(builder.module, fnty, name)
    return builder.call(fn, [acc, x, y])


def _carry_normalize(builder, t):
    """Propagate carries so every limb is < 2^52 (the top limb keeps its excess)."""
    mask, shift = _splat(_MASK), _splat(BITS)
    out = list(t)
    for j in range(len(out) - 1):
        out[j + 1] = builder.add(out[j + 1], builder.lshr(out[j], shift))
        out[j] = builder.and_(out[j], mask)
    return out


def _sub_limbs(builder, a, b):
    """a − b limb-wise with signed borrows; returns (limbs mod 2^260, borrow vector 0 / −1)."""
    mask, shift = _splat(_MASK), _splat(BITS)
    out = []
    borrow = _splat(0)
    for x, y in zip(a, b):
        d = builder.add(builder.sub(x, y), borrow)
        borrow = builder.ashr(d, shift)
        out.append(builder.and_(d, mask))
    return out, borrow


def _reduce_once(builder, t, p):
    """t − p if t ≥ p else t, for normalized t < 2p."""
    d, borrow = _sub_limbs(builder, t, p)
    neg = builder.icmp_signed("<", borrow, _splat(0))
    return [builder.select(neg, x, y) for x, y in zip(t, d)]


def _const_modulus(consts: MontgomeryConstants):
    """The modulus as 52-bit limb vectors and −p⁻¹ mod 2^52, as LLVM constants."""
    return [_splat(v) for v in to_limbs52(consts.p)], _splat((-pow(consts.p, -1, 1 << BITS)) % (1 << BITS))


def _broadcast(builder, scalar):
    vec = builder.insert_element(ir.Constant(_VEC, ir.Undefined), scalar, ir.Constant(_I32, 0))
    return builder.shuffle_vector(vec, vec, ir.Constant(ir.VectorType(_I32, LANES), [0] * LANES))


def _runtime_modulus(builder, m, minv):
    """The kernels' modulus argument (4×64 limbs, −p⁻¹ mod 2^64) as ``_const_modulus`` gives it;
    −p⁻¹ mod 2^52 is the low 52 bits of −p⁻¹ mod 2^64. Loop-invariant, so LLVM hoists it."""
    limbs64 = [builder.extract_value(m, i) for i in range(4)]
    p = _split52(builder, limbs64, lambda v, n: builder.lshr(v, ir.Constant(_I64, n)),
                 lambda v, n: builder.shl(v, ir.Constant(_I64, n)), ir.Constant(_I64, _MASK))
    return [_broadcast(builder, v) for v in p], _broadcast(builder, builder.and_(minv, ir.Constant(_I64, _MASK)))


def _split52(builder, x, shr, shl, mask):
    """Four 64-bit limbs (vectors or scalars) → five 52-bit limbs of the same number."""
    out = [builder.and_(x[0], mask)]
    for n in range(1, 4):  # limb n takes x[n-1]'s bits from 52n − 64(n−1) up, x[n]'s below
        off = BITS * n - 64 * (n - 1)
        out.append(builder.and_(builder.or_(shr(x[n - 1], off), shl(x[n], 64 - off)), mask))
    out.append(shr(x[3], BITS * 4 - 64 * 3))
    return out


def _join64(builder, x):
    """Five normalized 52-bit limb vectors of a number < 2^256 → its four 64-bit limbs."""
    out = []
    for n in range(4):  # 64-bit limb n: bits [64n, 64n + 64) from 52-bit limbs m, m + 1
        m, off = divmod(64 * n, BITS)
        v = builder.lshr(x[m], _splat(off))
        out.append(builder.or_(v, builder.shl(x[m + 1], _splat(BITS - off))))
    return out


def _split52_vec(builder, x):
    return _split52(builder, x, lambda v, n: builder.lshr(v, _splat(n)),
                    lambda v, n: builder.shl(v, _splat(n)), _splat(_MASK))


def _mont_mul(builder, a, b, p, minv):
    """a·b/2^256 mod p, canonical, for canonical normalized a, b (see the module docstring);
    ``p``, ``minv`` from ``_const_modulus`` or ``_runtime_modulus``."""
    mask, zero = _splat(_MASK), _splat(0)
    # a·16: limb i takes a_i's low 48 bits shifted up and a_(i−1)'s top 4 bits
    s = [builder.and_(builder.shl(a[0], _splat(4)), mask)]
    for i in range(1, LIMBS):
        s.append(builder.or_(builder.and_(builder.shl(a[i], _splat(4)), mask),
                             builder.lshr(a[i - 1], _splat(BITS - 4))))
    t = [zero] * (LIMBS + 1)
    for i in range(LIMBS):
        for j in range(LIMBS):
            t[j] = _madd(builder, _LO, t[j], s[i], b[j])
            t[j + 1] = _madd(builder, _HI, t[j + 1], s[i], b[j])
        q = _madd(builder, _LO, zero, t[0], minv)
        for j in range(LIMBS):
            t[j] = _madd(builder, _LO, t[j], q, p[j])
            t[j + 1] = _madd(builder, _HI, t[j + 1], q, p[j])
        t[1] = builder.add(t[1], builder.lshr(t[0], _splat(BITS)))  # t[0] ≡ 0 mod 2^52 now
        t = t[1:] + [zero]
    return _reduce_once(builder, _carry_normalize(builder, t[:LIMBS]), p)


def _mod_add(builder, a, b, p):
    """a + b mod p for canonical a, b."""
    t = _carry_normalize(builder, [builder.add(x, y) for x, y in zip(a, b)])
    return _reduce_once(builder, t, p)


def _mod_sub(builder, a, b, p):
    """a − b mod p for canonical a, b."""
    d, borrow = _sub_limbs(builder, a, b)
    add = [builder.and_(x, borrow) for x in p]  # p where a < b
    mask, shift = _splat(_MASK), _splat(BITS)
    out, carry = [], _splat(0)
    for x, y in zip(d, add):
        s = builder.add(builder.add(x, y), carry)
        carry = builder.lshr(s, shift)
        out.append(builder.and_(s, mask))
    return out


def _block3(typingctx, out, i, a, j, b, k):
    return types.void(out, i, a, j, b, k)


def _make_mul(consts: MontgomeryConstants):
    @intrinsic
    def mul(typingctx, out, i, a, j, b, k):
        """out[i] = a[j]·b[k] (Montgomery, canonical) on 52-bit lane blocks."""
        def codegen(context, builder, sig, args):
            x = _load(context, builder, sig.args, args, 1, LIMBS)
            y = _load(context, builder, sig.args, args, 2, LIMBS)
            _store(context, builder, sig.args, args, _mont_mul(builder, x, y, *_const_modulus(consts)))
            return context.get_dummy_value()
        return _block3(typingctx, out, i, a, j, b, k), codegen
    return mul


def _make_modular(consts: MontgomeryConstants, reduce, doc: str):
    """A lane-block kernel out[i] = reduce(a[j], b[k]) mod p — ``_mod_add`` or ``_mod_sub``: the
    sum and the difference differ only in that one step."""
    @intrinsic
    def kernel(typingctx, out, i, a, j, b, k):
        def codegen(context, builder, sig, args):
            x = _load(context, builder, sig.args, args, 1, LIMBS)
            y = _load(context, builder, sig.args, args, 2, LIMBS)
            _store(context, builder, sig.args, args, reduce(builder, x, y, _const_modulus(consts)[0]))
            return context.get_dummy_value()
        return _block3(typingctx, out, i, a, j, b, k), codegen
    kernel.__doc__ = doc
    return kernel


def _make_sub(consts: MontgomeryConstants):
    return _make_modular(consts, _mod_sub, "out[i] = a[j] − b[k] mod p on 52-bit lane blocks.")


@intrinsic
def pack(typingctx, out, i, a, j):
    """out[i] (52-bit limbs) = a[j] (64-bit limbs): the same numbers, re-cut."""
    sig = types.void(out, i, a, j)

    def codegen(context, builder, signature, args):
        x = _load(context, builder, signature.args, args, 1, 4)
        _store(context, builder, signature.args, args, _split52_vec(builder, x))
        return context.get_dummy_value()

    return sig, codegen


@intrinsic
def unpack(typingctx, out, i, a, j):
    """out[i] (64-bit limbs) = a[j] (normalized 52-bit limbs of a number < 2^256)."""
    sig = types.void(out, i, a, j)

    def codegen(context, builder, signature, args):
        x = _load(context, builder, signature.args, args, 1, LIMBS)
        _store(context, builder, signature.args, args, _join64(builder, x))
        return context.get_dummy_value()

    return sig, codegen


fq_mul = _make_mul(FQ)
fq_sub = _make_sub(FQ)


# ---- kernels on (n, 4) Montgomery vectors, eight rows at a time ---------------------------------
# These read and write the vectors' own row layout and transpose in registers, so the element-
# wise kernels and the NTT use IFMA without lane blocks. The modulus is an argument (a 4-tuple
# and −p⁻¹ mod 2^64, as in ``vector``), so one kernel serves Fr and Fq.

_V4 = ir.VectorType(_I64, 4)


def _mask(values):
    values = list(values)
    return ir.Constant(ir.VectorType(_I32, len(values)), values)


def _cat(builder, a, b):
    n = a.type.count
    return builder.shuffle_vector(a, b, _mask(range(2 * n)))


def _rows_base(context, builder, sig_args, args, k):
    """Pointer to ``arr[row, 0]`` for the (array, row) pair at argument 2k."""
    aryty = sig_args[2 * k]
    ary = context.make_array(aryty)(context, builder, args[2 * k])
    row = context.cast(builder, args[2 * k + 1], sig_args[2 * k + 1], types.intp)
    zero = context.get_constant(types.intp, 0)
    return cgutils.get_item_pointer(context, builder, aryty, ary, [row, zero])


def _load_rows(builder, base, stride):
    """Rows base, base + stride, …, base + 7·stride (4 limbs each) → five 52-bit limb vectors."""
    rows = []
    for q in range(LANES):
        ptr = builder.gep(base, [builder.mul(stride, ir.Constant(_I64, 4 * q))])
        rows.append(builder.load(builder.bitcast(ptr, _V4.as_pointer()), align=8))
    while len(rows) > 1:
        rows = [_cat(builder, rows[i], rows[i + 1]) for i in range(0, len(rows), 2)]
    (flat,) = rows  # flat[4q + l] = limb l of row q
    limbs64 = [builder.shuffle_vector(flat, flat, _mask(4 * q + i for q in range(LANES))) for i in range(4)]
    return _split52_vec(builder, limbs64)


def _store_rows(builder, base, x):
    """Five 52-bit limb vectors → eight consecutive rows at base."""
    v = _join64(builder, x)
    flat = _cat(builder, _cat(builder, v[0], v[1]), _cat(builder, v[2], v[3]))  # flat[8l + q]
    rows = builder.shuffle_vector(flat, flat, _mask(8 * (pos % 4) + pos // 4 for pos in range(4 * LANES)))
    for q in range(LANES):
        ptr = builder.bitcast(builder.gep(base, [ir.Constant(_I64, 4 * q)]), _V4.as_pointer())
        builder.store(builder.shuffle_vector(rows, rows, _mask(range(4 * q, 4 * q + 4))), ptr, align=8)


def _c_arrays(*arrays):
    return all(isinstance(a, types.Array) and a.layout == "C" and a.ndim == 2 for a in arrays)


@intrinsic
def mul_rows(typingctx, out, i, a, j, b, k, m, minv):
    """out[i:i+8] = a[j:j+8]·b[k:k+8] (Montgomery, canonical): ``limbs.mont_mul`` row by row."""
    if not _c_arrays(out, a, b):
        return None
    sig = types.void(out, i, a, j, b, k, m, minv)

    def codegen(context, builder, signature, args):
        one = ir.Constant(_I64, 1)
        x = _load_rows(builder, _rows_base(context, builder, signature.args, args, 1), one)
        y = _load_rows(builder, _rows_base(context, builder, signature.args, args, 2), one)
        p, pinv = _runtime_modulus(builder, args[6], args[7])
        _store_rows(builder, _rows_base(context, builder, signature.args, args, 0), _mont_mul(builder, x, y, p, pinv))
        return context.get_dummy_value()

    return sig, codegen


@intrinsic
def scale_rows(typingctx, out, i, a, j, s, m, minv):
    """out[i:i+8] = a[j:j+8]·s for one element s (a 4-tuple, Montgomery form)."""
    if not _c_arrays(out, a):
        return None
    sig = types.void(out, i, a, j, s, m, minv)

    def codegen(context, builder, signature, args):
        x = _load_rows(builder, _rows_base(context, builder, signature.args, args, 1), ir.Constant(_I64, 1))
        y = _split52_vec(builder, [_broadcast(builder, builder.extract_value(args[4], n)) for n in range(4)])
        p, pinv = _runtime_modulus(builder, args[5], args[6])
        _store_rows(builder, _rows_base(context, builder, signature.args, args, 0), _mont_mul(builder, x, y, p, pinv))
        return context.get_dummy_value()

    return sig, codegen


@intrinsic
def butterfly_rows(typingctx, a, i, a2, j, tw, t, stride, m, minv):
    """Eight radix-2 butterflies: for q < 8, with v = a[j+q]·tw[t + q·stride],
    (a[i+q], a[j+q]) ← (a[i+q] + v, a[i+q] − v) — ``ntt._butterfly`` row by row. ``a2`` is
    ``a`` again (the intrinsic's arguments come in (array, row) pairs)."""
    if not _c_arrays(a, a2, tw):
        return None
    sig = types.void(a, i, a2, j, tw, t, stride, m, minv)

    def codegen(context, builder, signature, args):
        one = ir.Constant(_I64, 1)
        sa = signature.args
        base_i = _rows_base(context, builder, sa, args, 0)
        base_j = _rows_base(context, builder, sa, args, 1)
        step = context.cast(builder, args[6], sa[6], types.int64)
        u = _load_rows(builder, base_i, one)
        x = _load_rows(builder, base_j, one)
        w = _load_rows(builder, _rows_base(context, builder, sa, args, 2), step)
        p, pinv = _runtime_modulus(builder, args[7], args[8])
        v = _mont_mul(builder, x, w, p, pinv)
        _store_rows(builder, base_i, _mod_add(builder, u, v, p))
        _store_rows(builder, base_j, _mod_sub(builder, u, v, p))
        return context.get_dummy_value()

    return sig, codegen


# ---- Fr lane-block kernels (the constraint evaluator's registers) -------------------------------
# The evaluator keeps its registers as 52-bit lane blocks for a whole block of rows, so a chain
# of products and sums pays the 64 ↔ 52-bit re-cut only where it reads columns and writes its
# output (``pack_rows``/``unpack_rows``), not per operation as the row kernels above do.

def _make_add(consts: MontgomeryConstants):
    return _make_modular(consts, _mod_add, "out[i] = a[j] + b[k] mod p on 52-bit lane blocks.")


fr_mul = _make_mul(FR)
fr_add = _make_add(FR)
fr_sub = _make_sub(FR)


@intrinsic
def pack_rows(typingctx, out, i, a, j):
    """out[i] (a 52-bit lane block row) = rows a[j:j+8] of an (n, 4) vector: lane q is a[j+q]."""
    if not (_c_arrays(a) and isinstance(out, types.Array) and out.ndim == 3):
        return None
    sig = types.void(out, i, a, j)

    def codegen(context, builder, signature, args):
        x = _load_rows(builder, _rows_base(context, builder, signature.args, args, 1), ir.Constant(_I64, 1))
        _store(context, builder, signature.args, args, x)
        return context.get_dummy_value()

    return sig, codegen


@intrinsic
def unpack_rows(typingctx, out, i, a, j):
    """Rows out[i:i+8] of an (n, 4) vector = the eight lanes of a[j] (a 52-bit lane block row)."""
    if not (_c_arrays(out) and isinstance(a, types.Array) and a.ndim == 3):
        return None
    sig = types.void(out, i, a, j)

    def codegen(context, builder, signature, args):
        x = _load(context, builder, signature.args, args, 1, LIMBS)
        _store_rows(builder, _rows_base(context, builder, signature.args, args, 0), x)
        return context.get_dummy_value()

    return sig, codegen


# ---- the NTT's first three stages on IFMA -------------------------------------------------------

def _store_rows_strided(builder, base, x, stride):
    """Five 52-bit limb vectors → rows base, base + stride, …, base + 7·stride."""
    v = _join64(builder, x)
    flat = _cat(builder, _cat(builder, v[0], v[1]), _cat(builder, v[2], v[3]))  # flat[8l + q]
    rows = builder.shuffle_vector(flat, flat, _mask(8 * (pos % 4) + pos // 4 for pos in range(4 * LANES)))
    for q in range(LANES):
        ptr = builder.gep(base, [builder.mul(stride, ir.Constant(_I64, 4 * q))])
        builder.store(builder.shuffle_vector(rows, rows, _mask(range(4 * q, 4 * q + 4))),
                      builder.bitcast(ptr, _V4.as_pointer()), align=8)


def _load_element(builder, ptr):
    """One (4,) Montgomery element at ``ptr``, broadcast to all lanes as five 52-bit limbs."""
    limbs64 = [builder.load(builder.gep(ptr, [ir.Constant(_I64, n)]), align=8) for n in range(4)]
    return _split52_vec(builder, [_broadcast(builder, v) for v in limbs64])


@intrinsic
def dit8_rows(typingctx, a, i, tw, t, m, minv):
    """The first three DIT stages (half-sizes 1, 2, 4) of the eight 8-row groups in rows
    a[i:i+64], on bit-reversed input: ``ntt._block_stages``' scalar stages, eight groups per
    step. Element e of group g is a[i + 8g + e]; vector e holds element e of all eight groups, so
    every butterfly is between two vectors. ``tw`` is the block twiddle table (entry m + j is
    ω_{2m}^j, read from row ``t`` on) — only its non-trivial entries are multiplied by; a
    multiplication by the Montgomery one returns its canonical operand, so the bits match."""
    if not _c_arrays(a, tw):
        return None
    sig = types.void(a, i, tw, t, m, minv)

    def codegen(context, builder, signature, args):
        sa = signature.args
        base = _rows_base(context, builder, sa, args, 0)
        table = _rows_base(context, builder, sa, args, 1)
        eight = ir.Constant(_I64, LANES)
        v = [_load_rows(builder, builder.gep(base, [ir.Constant(_I64, 4 * e)]), eight) for e in range(LANES)]
        p, pinv = _runtime_modulus(builder, args[4], args[5])
        for half in (1, 2, 4):
            for g in range(0, LANES, 2 * half):
                for j in range(half):
                    x, y = v[g + j], v[g + j + half]
                    if j:
                        w = _load_element(builder, builder.gep(table, [ir.Constant(_I64, 4 * (half + j))]))
                        y = _mont_mul(builder, y, w, p, pinv)
                    v[g + j], v[g + j + half] = _mod_add(builder, x, y, p), _mod_sub(builder, x, y, p)
        for e in range(LANES):
            _store_rows_strided(builder, builder.gep(base, [ir.Constant(_I64, 4 * e)]), v[e], eight)
        return context.get_dummy_value()

    return sig, codegen


@intrinsic
def dit3_rows(typingctx, a, i, tw, m, mm, minv):
    """Three DIT stages (half-sizes m, 2m, 4m; m ≥ 8 a power of two) on the eight row-runs
    a[i + t·m : i + t·m + 8], t < 8, in registers: one load and one store per element for three
    stages, where ``butterfly_rows`` takes one of each per stage. With i = g + j (g a multiple of
    8m, j < m), element e = j + q + t·m of the group; the stage of half-size M = m·2^u pairs runs t
    and t + 2^u (bit u of t clear) with twiddle ω_{2M}^(e mod M) = tw[M + j + (t mod 2^u)·m + q]
    (``tw`` the block table, j = i mod m). Same products, sums and differences as
    ``butterfly_rows`` stage by stage, so the same bits."""
    if not _c_arrays(a, tw):
        return None
    sig = types.void(a, i, tw, m, mm, minv)

    def codegen(context, builder, signature, args):
        sa = signature.args
        one = ir.Constant(_I64, 1)
        base = _rows_base(context, builder, sa, args, 0)
        zero = context.get_constant(types.intp, 0)
        table = cgutils.get_item_pointer(context, builder, sa[2], context.make_array(sa[2])(context, builder, args[2]),
                                         [zero, zero])  # the table's row 0
        row = context.cast(builder, args[1], sa[1], types.int64)
        half = context.cast(builder, args[3], sa[3], types.int64)
        j = builder.and_(row, builder.sub(half, one))
        four = ir.Constant(_I64, 4)
        v = [_load_rows(builder, builder.gep(base, [builder.mul(builder.mul(half, ir.Constant(_I64, t)), four)]), one)
             for t in range(LANES)]
        p, pinv = _runtime_modulus(builder, args[4], args[5])
        for u in range(3):
            big = builder.mul(half, ir.Constant(_I64, 1 << u))  # M
            for t in range(LANES):
                if t & (1 << u):
                    continue
                off = builder.add(builder.add(big, j), builder.mul(half, ir.Constant(_I64, t % (1 << u))))
                w = _load_rows(builder, builder.gep(table, [builder.mul(off, four)]), one)
                x, y = v[t], _mont_mul(builder, v[t + (1 << u)], w, p, pinv)
                v[t], v[t + (1 << u)] = _mod_add(builder, x, y, p), _mod_sub(builder, x, y, p)
        for t in range(LANES):
            _store_rows(builder, builder.gep(base, [builder.mul(builder.mul(half, ir.Constant(_I64, t)), four)]), v[t])
        return context.get_dummy_value()

    return sig, codegen

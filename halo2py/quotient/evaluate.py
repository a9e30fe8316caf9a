"""Run a compiled constraint ``Program`` over a range of rows of an evaluation set.

The kernel knows nothing of domains or strategies: it sees a stack of column values (whatever
evaluation set a strategy chose — the whole extended coset, or one coset part), an index scale
for rotations, and the geometric sequence X takes along the rows.

Rows are split into one contiguous chunk per parallel task, and each chunk is walked in blocks of
``BLOCK`` rows *instruction-major*: every instruction runs over the whole block before the next,
so the opcode dispatch is paid once per block instead of once per row and the inner loops are
straight-line field arithmetic. Scratch is ``n_registers × BLOCK`` elements per task, allocated
once per chunk (never per row) and small enough to stay in L1 (see docs/benchmarks.md for the
block-size and row-major measurements behind this choice).

Where the CPU has AVX-512 IFMA (``ifma.enabled``) the same walk runs on ``_run_ifma``: registers
are 52-bit lane blocks and every instruction takes eight rows per step, about four times less
work than the scalar kernel for the same bits (tests/test_program.py checks them equal).
"""

import numba
import numpy as np
from numba import njit, prange

from halo2py.arith import fr, ifma, limbs
from halo2py.arith.constants import FR_MODULUS
from halo2py.arith.field import Fr
from halo2py.quotient.program import (
    ADD, ADD_S, DOUBLE, HORNER, HORNER_S, LOAD, LOAD_X, MUL, MUL_S, NEG, RSUB_S, SQUARE, SUB,
    SUB_S, Program,
)

BLOCK = 32  # rows per block: 1 KiB of scratch per register (1.25 KiB as 52-bit lane blocks)
_TASKS_PER_THREAD = 4
_Z = np.uint64(0)


def evaluate(program: Program, columns: np.ndarray, rot_scale: int, start: int, end: int,
             x0: int, x_step: int, challenges, y: int, out: np.ndarray,
             accumulate: bool = False) -> np.ndarray:
    """Evaluate ``program`` on rows ``start..end`` of an evaluation set of N rows.

    ``columns``: (C, N, 4) uint64 Fr Montgomery; query (slot, ρ) at row r reads
    ``columns[slot, (r + ρ·rot_scale) mod N]``. X at row r is ``x0 · x_step^r``.
    ``challenges``: canonical ints, indexed by ``Challenge.index``. ``out``: (end − start, 4).

    With outputs c_0..c_{m−1} (the program's constraints, in order), row r of ``out`` becomes
    Σ_j c_j(r) · y^(m−1−j) — halo2's Horner fold ``acc = acc·y + c_j``, starting from
    acc = 0, or from the value already in ``out`` when ``accumulate`` (then
    out ← out·y^m + Σ_j c_j·y^(m−1−j), so evaluating two programs in turn equals one program
    with both lists of constraints). A one-output program yields c_0 itself, which is how a
    single expression is evaluated over a column.
    """
    start, end = int(start), int(end)
    n = _check(program, columns, rot_scale, start, end, out)
    rows = end - start
    if rows == 0:
        return out
    p = FR_MODULUS
    shifts = (program.queries[:, 1] * rot_scale) % n  # numpy's % is non-negative here
    slots = np.ascontiguousarray(program.queries[:, 0])
    n_blocks = -(-rows // BLOCK)
    n_tasks = min(n_blocks, _TASKS_PER_THREAD * numba.get_num_threads())
    bounds = start + np.minimum(rows, np.arange(n_tasks + 1) * n_blocks // n_tasks * BLOCK)
    if program.uses_x:  # one pow per task; rows then advance X by a multiplication
        x_starts = Fr.from_ints([x0 * pow(x_step, int(lo), p) for lo in bounds[:-1]])
    else:
        x_starts = np.zeros((n_tasks, 4), dtype=np.uint64)
    scalars = program.scalar_table(challenges)
    if ifma.enabled():
        _run_ifma(program.ops, slots, shifts, columns.reshape(-1, 4), n, _lanes(scalars),
                  _lanes(Fr.from_ints([y])), bounds, x_starts, Fr.to_mont(x_step),
                  Fr.to_mont(pow(x_step, BLOCK, p)), start, out, accumulate, program.n_registers)
    else:
        _run(program.ops, slots, shifts, columns, scalars, Fr.to_mont(y), bounds, x_starts,
             Fr.to_mont(x_step), Fr.to_mont(pow(x_step, BLOCK, p)), start, out, accumulate,
             program.n_registers)
    return out


def _lanes(table: np.ndarray) -> np.ndarray:
    """Each (Montgomery) row of ``table`` as a 52-bit lane block row of eight equal lanes: the
    IFMA kernel's operand for an instruction's scalar."""
    values = [sum(int(v) << (64 * i) for i, v in enumerate(row)) for row in table.tolist()]
    limbs52 = np.array([ifma.to_limbs52(v) for v in values], dtype=np.uint64).reshape(-1, ifma.LIMBS)
    return np.ascontiguousarray(np.repeat(limbs52[:, :, None], ifma.LANES, axis=2))


def _check(program: Program, columns, rot_scale, start, end, out) -> int:
    """Shapes and ranges, so a strategy's mistake is a clear error, not a wild memory read."""
    if (not isinstance(columns, np.ndarray) or columns.dtype != np.uint64 or columns.ndim != 3
            or columns.shape[2] != 4 or not columns.flags.c_contiguous):
        raise ValueError("columns must be a C-contiguous uint64 array of shape (C, N, 4), got "
                         f"{getattr(columns, 'shape', type(columns).__name__)}")
    n_columns, n = columns.shape[:2]
    if n == 0:
        raise ValueError("the evaluation set is empty (N = 0)")
    if len(program.queries) and program.queries[:, 0].max() >= n_columns:
        raise ValueError(f"the program reads slot {program.queries[:, 0].max()}, "
                         f"but the column stack has {n_columns} columns")
    if not isinstance(rot_scale, (int, np.integer)) or rot_scale < 1:
        raise ValueError(f"rot_scale must be a positive int, got {rot_scale!r}")
    if not 0 <= start <= end <= n:
        raise ValueError(f"rows {start}..{end} are not within 0..{n}")
    if (not isinstance(out, np.ndarray) or out.dtype != np.uint64
            or out.shape != (end - start, 4) or not out.flags.c_contiguous):
        raise ValueError(f"out must be a C-contiguous uint64 array of shape ({end - start}, 4), "
                         f"got {getattr(out, 'shape', type(out).__name__)}")
    return n


@njit(cache=True, nogil=True)
def _get(regs, r, i):
    return (regs[r, i, 0], regs[r, i, 1], regs[r, i, 2], regs[r, i, 3])


@njit(cache=True, nogil=True)
def _put(regs, r, i, v):
    regs[r, i, 0] = v[0]
    regs[r, i, 1] = v[1]
    regs[r, i, 2] = v[2]
    regs[r, i, 3] = v[3]


@njit(parallel=True, cache=True, nogil=True)
def _run(ops, slots, shifts, columns, scalars, y, bounds, x_starts, x_step, x_step_block,
         start, out, accumulate, n_registers):
    n = columns.shape[1]
    for task in prange(bounds.shape[0] - 1):
        regs = np.empty((n_registers, BLOCK, 4), dtype=np.uint64)
        x_block = limbs.load(x_starts, task)
        for lo in range(bounds[task], bounds[task + 1], BLOCK):
            rows = min(BLOCK, bounds[task + 1] - lo)
            o = lo - start
            if not accumulate:
                for i in range(rows):
                    limbs.store(out, o + i, (_Z, _Z, _Z, _Z))
            for k in range(ops.shape[0]):
                op, d, a, b = ops[k, 0], ops[k, 1], ops[k, 2], ops[k, 3]
                if op == LOAD:
                    col = slots[a]
                    idx = lo + shifts[a]
                    if idx >= n:
                        idx -= n
                    for i in range(rows):
                        regs[d, i, 0] = columns[col, idx, 0]
                        regs[d, i, 1] = columns[col, idx, 1]
                        regs[d, i, 2] = columns[col, idx, 2]
                        regs[d, i, 3] = columns[col, idx, 3]
                        idx += 1
                        if idx == n:
                            idx = 0
                elif op == MUL:
                    for i in range(rows):
                        _put(regs, d, i, fr.mul(_get(regs, a, i), _get(regs, b, i)))
                elif op == ADD:
                    for i in range(rows):
                        _put(regs, d, i, fr.add(_get(regs, a, i), _get(regs, b, i)))
                elif op == SUB:
                    for i in range(rows):
                        _put(regs, d, i, fr.sub(_get(regs, a, i), _get(regs, b, i)))
                elif op == MUL_S:
                    s = limbs.load(scalars, b)
                    for i in range(rows):
                        _put(regs, d, i, fr.mul(_get(regs, a, i), s))
                elif op == ADD_S:
                    s = limbs.load(scalars, b)
                    for i in range(rows):
                        _put(regs, d, i, fr.add(_get(regs, a, i), s))
                elif op == SUB_S:
                    s = limbs.load(scalars, b)
                    for i in range(rows):
                        _put(regs, d, i, fr.sub(_get(regs, a, i), s))
                elif op == RSUB_S:
                    s = limbs.load(scalars, b)
                    for i in range(rows):
                        _put(regs, d, i, fr.sub(s, _get(regs, a, i)))
                elif op == HORNER:
                    for i in range(rows):
                        acc = fr.mul(limbs.load(out, o + i), y)
                        limbs.store(out, o + i, fr.add(acc, _get(regs, a, i)))
                elif op == HORNER_S:
                    s = limbs.load(scalars, b)
                    for i in range(rows):
                        limbs.store(out, o + i, fr.add(fr.mul(limbs.load(out, o + i), y), s))
                elif op == SQUARE:
                    for i in range(rows):
                        _put(regs, d, i, fr.square(_get(regs, a, i)))
                elif op == DOUBLE:
                    for i in range(rows):
                        v = _get(regs, a, i)
                        _put(regs, d, i, fr.add(v, v))
                elif op == NEG:
                    for i in range(rows):
                        _put(regs, d, i, fr.neg(_get(regs, a, i)))
                elif op == LOAD_X:
                    x = x_block
                    for i in range(rows):
                        _put(regs, d, i, x)
                        x = fr.mul(x, x_step)
            x_block = fr.mul(x_block, x_step_block)


_GROUPS = BLOCK // ifma.LANES  # lane-block rows per register


@njit(cache=True, nogil=True)
def _gather(dst, src, base, n, idx, count):
    """dst[q] = src[base + (idx + q) mod n] for q < count, zero after: the eight rows of a lane
    group that wraps around the evaluation set (or runs past a partial block's end)."""
    for q in range(ifma.LANES):
        if q < count:
            limbs.store(dst, q, limbs.load(src, base + (idx + q) % n))
        else:
            limbs.store(dst, q, (_Z, _Z, _Z, _Z))


@njit(parallel=True, cache=True, nogil=True)
def _run_ifma(ops, slots, shifts, columns, n, scalars, y, bounds, x_starts, x_step, x_step_block,
              start, out, accumulate, n_registers):
    """``_run`` with registers held as 52-bit lane blocks: register r of the block is lane-block
    rows r·G .. r·G + G − 1 (G = BLOCK / 8), and the Horner accumulator is a register of its own.
    ``columns`` is the (C·n, 4) view of the stack; ``scalars`` and ``y`` are lane-block tables
    (``_lanes``). A partial block's last group computes on rows past its end (real rows, read
    modulo n) and keeps only the first ones, so every group is a full eight-lane step."""
    G = _GROUPS
    for task in prange(bounds.shape[0] - 1):
        regs = np.empty((n_registers * G, ifma.LIMBS, ifma.LANES), dtype=np.uint64)
        acc = np.empty((G, ifma.LIMBS, ifma.LANES), dtype=np.uint64)
        rows8 = np.empty((BLOCK, 4), dtype=np.uint64)
        zero = np.zeros((1, ifma.LIMBS, ifma.LANES), dtype=np.uint64)
        x_block = limbs.load(x_starts, task)
        for lo in range(bounds[task], bounds[task + 1], BLOCK):
            rows = min(BLOCK, bounds[task + 1] - lo)
            groups = (rows + ifma.LANES - 1) // ifma.LANES
            o = lo - start
            for g in range(groups):
                r = g * ifma.LANES
                if accumulate and r + ifma.LANES <= rows:
                    ifma.pack_rows(acc, g, out, o + r)
                elif accumulate:
                    _gather(rows8, out, o + r, out.shape[0], 0, rows - r)
                    ifma.pack_rows(acc, g, rows8, 0)
                else:
                    acc[g] = 0
            for k in range(ops.shape[0]):
                op, d, a, b = ops[k, 0], ops[k, 1], ops[k, 2], ops[k, 3]
                if op == LOAD:
                    base = slots[a] * n
                    idx = lo + shifts[a]
                    if idx >= n:
                        idx -= n
                    for g in range(groups):
                        if idx + ifma.LANES <= n:
                            ifma.pack_rows(regs, d * G + g, columns, base + idx)
                        else:
                            _gather(rows8, columns, base, n, idx, ifma.LANES)
                            ifma.pack_rows(regs, d * G + g, rows8, 0)
                        idx = (idx + ifma.LANES) % n
                elif op == MUL:
                    for g in range(groups):
                        ifma.fr_mul(regs, d * G + g, regs, a * G + g, regs, b * G + g)
                elif op == ADD:
                    for g in range(groups):
                        ifma.fr_add(regs, d * G + g, regs, a * G + g, regs, b * G + g)
                elif op == SUB:
                    for g in range(groups):
                        ifma.fr_sub(regs, d * G + g, regs, a * G + g, regs, b * G + g)
                elif op == MUL_S:
                    for g in range(groups):
                        ifma.fr_mul(regs, d * G + g, regs, a * G + g, scalars, b)
                elif op == ADD_S:
                    for g in range(groups):
                        ifma.fr_add(regs, d * G + g, regs, a * G + g, scalars, b)
                elif op == SUB_S:
                    for g in range(groups):
                        ifma.fr_sub(regs, d * G + g, regs, a * G + g, scalars, b)
                elif op == RSUB_S:
                    for g in range(groups):
                        ifma.fr_sub(regs, d * G + g, scalars, b, regs, a * G + g)
                elif op == HORNER:
                    for g in range(groups):
                        ifma.fr_mul(acc, g, acc, g, y, 0)
                        ifma.fr_add(acc, g, acc, g, regs, a * G + g)
                elif op == HORNER_S:
                    for g in range(groups):
                        ifma.fr_mul(acc, g, acc, g, y, 0)
                        ifma.fr_add(acc, g, acc, g, scalars, b)
                elif op == SQUARE:
                    for g in range(groups):
                        ifma.fr_mul(regs, d * G + g, regs, a * G + g, regs, a * G + g)
                elif op == DOUBLE:
                    for g in range(groups):
                        ifma.fr_add(regs, d * G + g, regs, a * G + g, regs, a * G + g)
                elif op == NEG:
                    for g in range(groups):
                        ifma.fr_sub(regs, d * G + g, zero, 0, regs, a * G + g)
                elif op == LOAD_X:
                    x = x_block
                    for i in range(groups * ifma.LANES):
                        limbs.store(rows8, i, x)
                        x = fr.mul(x, x_step)
                    for g in range(groups):
                        ifma.pack_rows(regs, d * G + g, rows8, g * ifma.LANES)
            for g in range(groups):
                r = g * ifma.LANES
                if r + ifma.LANES <= rows:
                    ifma.unpack_rows(out, o + r, acc, g)
                else:
                    ifma.unpack_rows(rows8, 0, acc, g)
                    for i in range(rows - r):
                        limbs.store(out, o + r + i, limbs.load(rows8, i))
            x_block = fr.mul(x_block, x_step_block)

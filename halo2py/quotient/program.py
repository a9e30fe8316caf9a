"""Compile constraint expressions into a flat register program that the evaluation kernel replays.

The quotient evaluates the same constraints at every one of up to e·n rows, so walking expression
trees per row is out of the question. As halo2's ``GraphEvaluator`` does, we flatten all of a
circuit's constraints once (at keygen) into a deduplicated list of field operations; the Numba
kernel (``evaluate.py``) then replays that list over blocks of rows. Two departures from halo2:

- Registers are reused by liveness (halo2 keeps one intermediate per calculation), and a query
  is re-loaded from its column rather than held across distant uses, so a block of rows ×
  registers of scratch stays in L1 however many constraints there are.
- Row-independent sub-expressions (constants, challenges and their combinations) are split off
  into a *scalar program*, run once per evaluation over Python ints. The program therefore
  compiles once per circuit and is reused across proofs with fresh challenges.

Everything in a ``Program`` is plain numpy arrays and ints: picklable, and printable with
``describe()``.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Callable

import numpy as np

from halo2py.arith.constants import FR_MODULUS
from halo2py.arith.field import Fr
from halo2py.errors import InputError
from halo2py.middleware.expression import (
    Challenge,
    Constant,
    Expression,
    Negated,
    Product,
    Query,
    Scaled,
    Selector,
    Sum,
    VariableX,
    format_field,
)

# ---- instruction set --------------------------------------------------------------------------
# A kernel instruction is a row (opcode, dst, a, b) of ``Program.ops``; r[i] is register i (one
# value per row of the block), s[i] is scalar-table entry i (one value for all rows).
LOAD = 0      # r[dst] = the query a (``Program.queries[a]``: column slot, rotation) at this row
LOAD_X = 1    # r[dst] = X at this row
ADD = 2       # r[dst] = r[a] + r[b]
SUB = 3       # r[dst] = r[a] - r[b]
MUL = 4       # r[dst] = r[a] * r[b]
NEG = 5       # r[dst] = -r[a]
SQUARE = 6    # r[dst] = r[a]^2
DOUBLE = 7    # r[dst] = r[a] + r[a]
ADD_S = 8     # r[dst] = r[a] + s[b]
SUB_S = 9     # r[dst] = r[a] - s[b]
RSUB_S = 10   # r[dst] = s[b] - r[a]
MUL_S = 11    # r[dst] = r[a] * s[b]
HORNER = 12   # acc = acc * y + r[a]   (one per output, in output order)
HORNER_S = 13  # acc = acc * y + s[b]  (an output that does not depend on the row)
# The scalar program reuses ADD, SUB, MUL, NEG on scalar slots, plus:
CHALLENGE = 14  # s[dst] = challenges[a]

QUERY_REUSE_WINDOW = 16  # instructions; see _Scheduler._load

_REG_A = {ADD, SUB, MUL, NEG, SQUARE, DOUBLE, ADD_S, SUB_S, RSUB_S, MUL_S, HORNER}
_REG_B = {ADD, SUB, MUL}
_SCALAR_B = {ADD_S, SUB_S, RSUB_S, MUL_S, HORNER_S}
_SYMBOL = {ADD: "+", SUB: "-", MUL: "*"}

# Node tags of the deduplicated graph the compiler builds before scheduling.
_CONST, _CHAL, _QUERY, _X, _ADD, _SUB, _MUL, _NEG = range(8)


class CompileError(InputError):
    """An expression the program compiler cannot take (names the offending node)."""


@dataclass(eq=False)
class Program:
    """A compiled list of constraints: evaluating it at a row gives Σ_j c_j · y^(m−1−j).

    ``ops`` (k, 4) int32 rows (opcode, dst, a, b); ``queries`` (q, 2) int64 rows (slot, rotation);
    ``constants`` (c, 4) uint64 Fr Montgomery, scalar slots 0..c−1; ``scalar_ops`` (t, 4) int64
    rows (opcode, dst, a, b) filling scalar slots c..n_scalars−1 from the challenges.
    """

    ops: np.ndarray
    queries: np.ndarray
    constants: np.ndarray
    scalar_ops: np.ndarray
    n_scalars: int
    n_registers: int
    n_outputs: int
    uses_x: bool
    query_labels: tuple

    def scalar_table(self, challenges) -> np.ndarray:
        """The (n_scalars, 4) Montgomery table for one evaluation: constants, then the scalar
        program run over Python ints with these challenge values."""
        p = FR_MODULUS
        n_const = len(self.constants)
        values = [Fr.from_mont(row) for row in self.constants] + [0] * (self.n_scalars - n_const)
        for op, dst, a, b in self.scalar_ops.tolist():
            if op == CHALLENGE:
                if a >= len(challenges):
                    raise ValueError(f"the program reads challenge {a}, "
                                     f"but only {len(challenges)} challenge values were given")
                values[dst] = int(challenges[a]) % p
            elif op == ADD:
                values[dst] = (values[a] + values[b]) % p
            elif op == SUB:
                values[dst] = (values[a] - values[b]) % p
            elif op == MUL:
                values[dst] = values[a] * values[b] % p
            else:  # NEG
                values[dst] = -values[a] % p
        table = np.empty((self.n_scalars, 4), dtype=np.uint64)
        table[:n_const] = self.constants
        table[n_const:] = Fr.from_ints(values[n_const:])
        return table

    def describe(self) -> str:
        """A readable listing of the scalar program and the kernel instructions."""
        n_const = len(self.constants)
        lines = [f"program: {len(self.ops)} ops, {self.n_registers} registers, "
                 f"{len(self.queries)} queries, {self.n_scalars} scalars ({n_const} constants), "
                 f"{self.n_outputs} outputs"]
        for i, row in enumerate(self.constants):
            lines.append(f"  s{i} = {format_field(Fr.from_mont(row))}")
        for op, dst, a, b in self.scalar_ops.tolist():
            if op == CHALLENGE:
                rhs = f"challenge[{a}]"
            elif op == NEG:
                rhs = f"-s{a}"
            else:
                rhs = f"s{a} {_SYMBOL[op]} s{b}"
            lines.append(f"  s{dst} = {rhs}")
        for op, dst, a, b in self.ops.tolist():
            lines.append("  " + self._format_op(op, dst, a, b))
        return "\n".join(lines)

    def _format_op(self, op, dst, a, b) -> str:
        if op == LOAD:
            slot, rot = self.queries[a].tolist()
            return f"r{dst} = {self.query_labels[a]}  (slot {slot}, rotation {rot})"
        if op == LOAD_X:
            return f"r{dst} = X"
        if op == HORNER:
            return f"acc = acc * y + r{a}"
        if op == HORNER_S:
            return f"acc = acc * y + s{b}"
        rhs = {
            ADD: f"r{a} + r{b}", SUB: f"r{a} - r{b}", MUL: f"r{a} * r{b}", NEG: f"-r{a}",
            SQUARE: f"r{a}^2", DOUBLE: f"2 * r{a}", ADD_S: f"r{a} + s{b}",
            SUB_S: f"r{a} - s{b}", RSUB_S: f"s{b} - r{a}", MUL_S: f"r{a} * s{b}",
        }[op]
        return f"r{dst} = {rhs}"


def compile_program(expressions: list, slot_of: Callable) -> Program:
    """Compile constraint expressions (in halo2's order) into one ``Program``.

    ``slot_of(column)`` is the index of the column's values in the stack the kernel reads.
    Selectors must already be replaced by fixed-column queries. Identical subexpressions are
    computed once and identical queries share one entry of the query table; trivial constant
    cases (x·1, x+0, x·0, x−x, −(−x), …) are folded away.
    """
    graph = _Graph(slot_of)
    roots = [graph.lower(expr, j) for j, expr in enumerate(expressions)]
    return _Scheduler(graph).schedule(roots)


class _Graph:
    """Expressions lowered to a hash-consed DAG of field operations, simplified on the way."""

    def __init__(self, slot_of: Callable):
        self.slot_of = slot_of
        self.nodes = []      # (tag, a, b)
        self.varying = []    # does the node's value depend on the row?
        self.need = []       # Sethi–Ullman register need (0 for row-independent nodes)
        self.index = {}      # (tag, a, b) -> node id
        self.lowered = {}    # Expression -> node id, shared across all expressions
        self.labels = {}     # query node -> how the circuit wrote it, for describe()

    # ---- building ------------------------------------------------------------------------------
    def lower(self, expr, position: int) -> int:
        if not isinstance(expr, Expression):
            raise CompileError(f"constraint {position} is a {type(expr).__name__}, "
                               "not an Expression")
        for node in expr.nodes():
            if node not in self.lowered:
                self.lowered[node] = self._lower_node(node)
        return self.lowered[expr]

    def _lower_node(self, node) -> int:
        ids = self.lowered
        if isinstance(node, Constant):
            return self.const(node.value)
        if isinstance(node, Query):
            nid = self._intern(_QUERY, self._slot(node.column), self._rotation(node))
            self.labels.setdefault(nid, str(node))
            return nid
        if isinstance(node, Challenge):
            return self._intern(_CHAL, node.index, 0)
        if isinstance(node, VariableX):
            return self._intern(_X, 0, 0)
        if isinstance(node, Negated):
            return self.neg(ids[node.inner])
        if isinstance(node, Sum):
            return self.add(ids[node.left], ids[node.right])
        if isinstance(node, Product):
            return self.mul(ids[node.left], ids[node.right])
        if isinstance(node, Scaled):
            return self.mul(ids[node.inner], self.const(node.factor))
        if isinstance(node, Selector):
            raise CompileError(f"selector {node.name!r} reached the program compiler; replace "
                               "selectors by their fixed-column queries first")
        raise CompileError(f"cannot compile a {type(node).__name__} node: {node}")

    def _slot(self, column) -> int:
        try:
            slot = self.slot_of(column)
        except (KeyError, IndexError, ValueError) as exc:
            raise CompileError(f"{column.kind} column {column.name!r} has no slot in the "
                               f"value stack ({exc!r})") from exc
        if isinstance(slot, bool) or not isinstance(slot, (int, np.integer)) or slot < 0:
            raise CompileError(f"slot_of({column.name!r}) returned {slot!r}, "
                               "not a non-negative int")
        return int(slot)

    @staticmethod
    def _rotation(query) -> int:
        rot = query.rotation
        if isinstance(rot, bool) or not isinstance(rot, (int, np.integer)):
            raise CompileError(f"query {query} has a non-integer rotation {rot!r}")
        return int(rot)

    def _intern(self, tag: int, a: int, b: int) -> int:
        key = (tag, a, b)
        found = self.index.get(key)
        if found is not None:
            return found
        if tag in (_QUERY, _X):
            varying, need = True, 1
        elif tag in (_CONST, _CHAL):
            varying, need = False, 0
        elif tag == _NEG:
            varying, need = self.varying[a], self.need[a]
        else:
            na, nb = self.need[a], self.need[b]
            varying = self.varying[a] or self.varying[b]
            need = max(na, nb) if na != nb else (na + 1 if na else 0)
        self.nodes.append(key)
        self.varying.append(varying)
        self.need.append(need)
        self.index[key] = len(self.nodes) - 1
        return len(self.nodes) - 1

    def const(self, value: int) -> int:
        return self._intern(_CONST, value % FR_MODULUS, 0)

    def value_of(self, node: int):
        """The constant a node stands for, or None."""
        tag, a, _ = self.nodes[node]
        return a if tag == _CONST else None

    def _negated_inner(self, node: int):
        tag, a, _ = self.nodes[node]
        return a if tag == _NEG else None

    # ---- simplifying constructors ------------------------------------------------------------
    def add(self, a: int, b: int) -> int:
        ca, cb = self.value_of(a), self.value_of(b)
        if ca is not None and cb is not None:
            return self.const(ca + cb)
        if ca == 0:
            return b
        if cb == 0:
            return a
        if (inner := self._negated_inner(b)) is not None:  # a + (−b) is how a − b is written
            return self.sub(a, inner)
        if (inner := self._negated_inner(a)) is not None:
            return self.sub(b, inner)
        return self._intern(_ADD, min(a, b), max(a, b))

    def sub(self, a: int, b: int) -> int:
        if a == b:
            return self.const(0)
        ca, cb = self.value_of(a), self.value_of(b)
        if ca is not None and cb is not None:
            return self.const(ca - cb)
        if cb == 0:
            return a
        if ca == 0:
            return self.neg(b)
        if (inner := self._negated_inner(b)) is not None:
            return self.add(a, inner)
        return self._intern(_SUB, a, b)

    def neg(self, a: int) -> int:
        ca = self.value_of(a)
        if ca is not None:
            return self.const(-ca)
        tag, x, y = self.nodes[a]
        if tag == _NEG:
            return x
        if tag == _SUB:
            return self._intern(_SUB, y, x)
        return self._intern(_NEG, a, 0)

    def mul(self, a: int, b: int) -> int:
        ca, cb = self.value_of(a), self.value_of(b)
        if ca is not None and cb is not None:
            return self.const(ca * cb)
        if ca is not None:  # put the constant on the right
            a, b, ca, cb = b, a, cb, ca
        if cb == 0:
            return self.const(0)
        if cb == 1:
            return a
        if cb == FR_MODULUS - 1:
            return self.neg(a)
        if cb == 2 and self.varying[a]:
            return self.add(a, a)
        return self._intern(_MUL, min(a, b), max(a, b))


class _Scheduler:
    """Orders the DAG into instructions, splits off the scalar program, allocates registers."""

    def __init__(self, graph: _Graph):
        self.g = graph
        self.instrs = []         # [opcode, dst node, a, b]: a, b are node ids or a query index
        self.scalar_instrs = []  # [opcode, dst node, a, b] over node ids
        self.done = set()        # nodes already computed (register or scalar slot)
        self.query_index = {}    # query node -> row of the query table
        self.loaded = {}         # query node -> (register of its latest load, position of last use)
        self.next_vreg = len(graph.nodes)  # virtual registers of loads follow the node ids

    def schedule(self, roots: list) -> Program:
        g = self.g
        for root in roots:
            if g.varying[root]:
                self._emit_varying(root)
                self._append([HORNER, -1, root, -1])
            else:
                self._emit_scalar(root)
                self.instrs.append([HORNER_S, -1, -1, root])
        ops, n_registers = self._allocate_registers()
        scalar_slot, scalar_ops, n_scalars = self._assign_scalar_slots()
        for row in ops:
            if row[0] in _SCALAR_B:
                row[3] = scalar_slot[row[3]]
        queries = sorted(self.query_index.items(), key=lambda item: item[1])
        labels = tuple(g.labels[node] for node, _ in queries)
        constants = Fr.from_ints([g.value_of(n) for n in sorted(scalar_slot, key=scalar_slot.get)
                                  if g.value_of(n) is not None])
        return Program(
            ops=np.array(ops, dtype=np.int32).reshape(-1, 4),
            queries=np.array([g.nodes[n][1:] for n, _ in queries], dtype=np.int64).reshape(-1, 2),
            constants=constants,
            scalar_ops=np.array(scalar_ops, dtype=np.int64).reshape(-1, 4),
            n_scalars=n_scalars,
            n_registers=n_registers,
            n_outputs=len(roots),
            uses_x=any(row[0] == LOAD_X for row in ops),
            query_labels=labels,
        )

    # ---- ordering ------------------------------------------------------------------------------
    def _post_order(self, root: int, kids: Callable) -> list:
        """Nodes under ``root`` not yet done, children first; the child needing more registers
        goes first (Sethi–Ullman), which keeps the live set small."""
        order, stack, seen = [], [root], set()
        need = self.g.need
        while stack:
            node = stack[-1]
            if node in self.done or node in seen:
                stack.pop()
                continue
            pending = [k for k in kids(node) if k not in self.done and k not in seen]
            if pending:
                pending.sort(key=lambda k: -need[k])
                stack.extend(reversed(pending))
                continue
            stack.pop()
            seen.add(node)
            order.append(node)
        return order

    def _operands(self, node: int) -> tuple:
        tag, a, b = self.g.nodes[node]
        if tag in (_ADD, _SUB, _MUL):
            return a, b
        if tag == _NEG:
            return (a,)
        return ()

    def _emit_scalar(self, root: int) -> None:
        for node in self._post_order(root, self._operands):
            tag, a, b = self.g.nodes[node]
            op = {_CHAL: CHALLENGE, _ADD: ADD, _SUB: SUB, _MUL: MUL, _NEG: NEG}.get(tag)
            if op is not None:
                self.scalar_instrs.append([op, node, a, b])
            self.done.add(node)

    def _emit_varying(self, root: int) -> None:
        g = self.g

        def kids(node):  # queries are not nodes to schedule: ``_append`` loads them at each use
            return [k for k in self._operands(node) if g.varying[k] and g.nodes[k][0] != _QUERY]

        if g.nodes[root][0] == _QUERY:
            return
        for node in self._post_order(root, kids):
            for operand in self._operands(node):
                if not g.varying[operand]:
                    self._emit_scalar(operand)
            self._append(self._instruction(node))
            self.done.add(node)

    def _append(self, instr: list) -> None:
        op, dst, a, b = instr
        if op in _REG_A:
            a = self._load(a)
        if op in _REG_B:
            b = self._load(b)
        self.instrs.append([op, dst, a, b])

    def _load(self, node: int) -> int:
        """The register operand for ``node``. A query is loaded again unless it was used within
        the last ``QUERY_REUSE_WINDOW`` instructions: a load is a 32-byte copy, far cheaper than
        holding a register across a whole program (the same column is read by many gates)."""
        if self.g.nodes[node][0] != _QUERY:
            return node
        recent = self.loaded.get(node)
        if recent is not None and len(self.instrs) - recent[1] <= QUERY_REUSE_WINDOW:
            vreg = recent[0]
        else:
            vreg = self.next_vreg
            self.next_vreg += 1
            q = self.query_index.setdefault(node, len(self.query_index))
            self.instrs.append([LOAD, vreg, q, -1])
        self.loaded[node] = (vreg, len(self.instrs))
        return vreg

    def _instruction(self, node: int) -> list:
        tag, a, b = self.g.nodes[node]
        varying = self.g.varying
        if tag == _X:
            return [LOAD_X, node, -1, -1]
        if tag == _NEG:
            return [NEG, node, a, -1]
        if varying[a] and varying[b]:
            if a == b:
                return [DOUBLE if tag == _ADD else SQUARE, node, a, -1]
            return [{_ADD: ADD, _SUB: SUB, _MUL: MUL}[tag], node, a, b]
        if tag == _SUB:
            return [SUB_S, node, a, b] if varying[a] else [RSUB_S, node, b, a]
        reg, scalar = (a, b) if varying[a] else (b, a)
        return [ADD_S if tag == _ADD else MUL_S, node, reg, scalar]

    # ---- storage -------------------------------------------------------------------------------
    def _allocate_registers(self) -> tuple:
        """Linear scan: a register is freed after its last read and reused (lowest first), so a
        destination may be one of its own operands — the kernel reads before it writes."""
        last_use = {}
        for i, (op, _, a, b) in enumerate(self.instrs):
            if op in _REG_A:
                last_use[a] = i
            if op in _REG_B:
                last_use[b] = i
        free, reg, n_registers, ops = [], {}, 0, []
        for i, (op, dst, a, b) in enumerate(self.instrs):
            reads = ([a] if op in _REG_A else []) + ([b] if op in _REG_B else [])
            row = [op, -1, reg[a] if op in _REG_A else a, reg[b] if op in _REG_B else b]
            for node in set(reads):
                if last_use[node] == i:
                    heapq.heappush(free, reg[node])
            if dst >= 0:
                if free:
                    reg[dst] = heapq.heappop(free)
                else:
                    reg[dst] = n_registers
                    n_registers += 1
                row[1] = reg[dst]
            ops.append(row)
        return ops, n_registers

    def _assign_scalar_slots(self) -> tuple:
        """Constants take slots 0..c−1 (in order of first use), scalar-program results follow."""
        g = self.g
        consts = []
        for op, _, _, b in self.instrs:
            if op in _SCALAR_B and g.value_of(b) is not None:
                consts.append(b)
        for op, _, a, b in self.scalar_instrs:
            if op != CHALLENGE:
                consts += [n for n in ((a, b) if op != NEG else (a,)) if g.value_of(n) is not None]
        slot = {}
        for node in consts:
            slot.setdefault(node, len(slot))
        for _, dst, _, _ in self.scalar_instrs:
            slot[dst] = len(slot)
        scalar_ops = []
        for op, dst, a, b in self.scalar_instrs:
            if op == CHALLENGE:
                scalar_ops.append([op, slot[dst], g.nodes[dst][1], -1])
            else:
                scalar_ops.append([op, slot[dst], slot[a], slot[b] if op != NEG else -1])
        return slot, scalar_ops, len(slot)

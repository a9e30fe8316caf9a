"""Polynomial constraint expressions: immutable trees built with Python operators.

This is the contract between the frontend (which builds gates and lookups) and the backend (which
compiles them into a register program and evaluates them over whole columns). Every node is a frozen
dataclass with structural equality and a hash cached at construction, so identical subtrees compare
equal and deduplicate cheaply however large the tree.

Python ints are coerced to ``Constant`` (values are kept canonical mod r, negative ints allowed);
``expr * int`` builds ``Scaled`` like halo2's ``Expression * F``. Nothing is constant-folded: the
tree is what the circuit author wrote, so degrees and pretty-printed gates read the same.

Traversals (``degree``, ``evaluate``, ``str``) run over an explicit stack, not Python recursion, so a
long sum of thousands of terms works; each distinct subtree is visited once.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Callable

from halo2py.arith.constants import FR_MODULUS

COLUMN_KINDS = ("advice", "fixed", "instance", "internal")


def _canonical(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"field values must be ints, got {type(value).__name__}")
    return value % FR_MODULUS


@dataclass(frozen=True)
class Column:
    """A column of the circuit table. ``internal`` columns are prover-side polynomials
    (permutation products, sigmas, lookup A'/S'/Z, l0/l_last/l_active) that the backend
    queries when it writes the permutation and lookup constraints in the same language."""

    kind: str
    index: int
    name: str
    phase: int = 0  # advice columns: the proving phase whose commitments hold this column

    def __post_init__(self):
        if self.kind not in COLUMN_KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")

    def rot(self, rotation: int) -> Query:
        return Query(self, int(rotation))

    def cur(self) -> Query:
        return Query(self, 0)

    def next(self) -> Query:
        return Query(self, 1)

    def prev(self) -> Query:
        return Query(self, -1)

    def __str__(self) -> str:
        return self.name


def as_expression(value) -> Expression:
    """Coerce an int (or an Expression) to an Expression."""
    if isinstance(value, Expression):
        return value
    return Constant(_canonical(value))


class Expression:
    """Base of all nodes: arithmetic operators, degree, evaluation and a readable form."""

    __slots__ = ()

    # --- structural equality with a cached hash -------------------------------------------
    def _fields(self) -> tuple:
        return tuple(getattr(self, f.name) for f in fields(self))

    def _init_hash(self) -> None:
        object.__setattr__(self, "_hash", hash((type(self).__name__,) + self._fields()))

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other) -> bool:
        if self is other:
            return True
        if type(other) is not type(self) or self._hash != other._hash:
            return False
        return self._fields() == other._fields()

    def __ne__(self, other) -> bool:
        return not self.__eq__(other)

    def __reduce__(self):
        # Rebuild through __init__ so the cached hash is recomputed: str hashes differ
        # between processes, and expressions do travel to worker processes.
        return (type(self), self._fields())

    # --- operators ------------------------------------------------------------------------
    def __add__(self, other) -> Expression:
        return Sum(self, as_expression(other))

    def __radd__(self, other) -> Expression:
        return Sum(as_expression(other), self)

    def __sub__(self, other) -> Expression:
        return Sum(self, Negated(as_expression(other)))

    def __rsub__(self, other) -> Expression:
        return Sum(as_expression(other), Negated(self))

    def __mul__(self, other) -> Expression:
        if isinstance(other, Expression):
            return Product(self, other)
        return Scaled(self, _canonical(other))

    def __rmul__(self, other) -> Expression:
        if isinstance(other, Expression):
            return Product(other, self)
        return Scaled(self, _canonical(other))

    def __neg__(self) -> Expression:
        return Negated(self)

    def __pow__(self, exponent: int) -> Expression:
        """``e ** k`` for k ≥ 1 as a square-and-multiply chain of ``Product`` nodes."""
        if not isinstance(exponent, int) or exponent < 1:
            raise ValueError("expression exponents must be ints >= 1")
        result, base = None, self
        while exponent:
            if exponent & 1:
                result = base if result is None else Product(result, base)
            exponent >>= 1
            if exponent:
                base = Product(base, base)
        return result

    def square(self) -> Expression:
        return Product(self, self)

    # --- traversal ------------------------------------------------------------------------
    def children(self) -> tuple:
        return ()

    def nodes(self) -> list:
        """Distinct subtrees in post-order (children before parents), each once."""
        seen, order, stack = set(), [], [(self, False)]
        while stack:
            node, expanded = stack.pop()
            if node in seen:
                continue
            if expanded:
                seen.add(node)
                order.append(node)
            else:
                stack.append((node, True))
                for child in reversed(node.children()):
                    if child not in seen:
                        stack.append((child, False))
        return order

    def fold(self, leaf: Callable, combine: Callable):
        """Bottom-up evaluation: ``leaf(node)`` for leaves, ``combine(node, child_values)``
        for inner nodes; each distinct subtree is computed once."""
        values = {}
        for node in self.nodes():
            kids = node.children()
            values[node] = leaf(node) if not kids else combine(node, [values[c] for c in kids])
        return values[self]

    def degree(self) -> int:
        return self.fold(_leaf_degree, _combine_degree)

    def queries(self) -> set:
        """The set of ``Query`` leaves (column, rotation) this expression reads."""
        return {n for n in self.nodes() if isinstance(n, Query)}

    def selectors(self) -> set:
        return {n for n in self.nodes() if isinstance(n, Selector)}

    def challenges(self) -> set:
        return {n for n in self.nodes() if isinstance(n, Challenge)}

    def evaluate(self, *, constant: Callable, selector: Callable, query: Callable,
                 challenge: Callable | None = None, variable_x: Callable | None = None,
                 negated: Callable, sum: Callable, product: Callable, scaled: Callable):
        """halo2's ``Expression::evaluate``: a catamorphism with one callback per node kind.

        Leaf callbacks receive the node (``constant(node.value)`` receives the int); inner
        callbacks receive the children's values (``scaled(value, factor)``). Values may be
        anything — Python ints, numpy arrays of rows — which is how MockProver evaluates a
        constraint on every row at once.
        """
        def leaf(node):
            if isinstance(node, Constant):
                return constant(node.value)
            if isinstance(node, Selector):
                return selector(node)
            if isinstance(node, Query):
                return query(node)
            if isinstance(node, Challenge):
                if challenge is None:
                    raise ValueError(f"expression uses challenge {node} but no value was given")
                return challenge(node)
            if variable_x is None:
                raise ValueError("expression uses X but no value was given")
            return variable_x()

        def combine(node, vals):
            if isinstance(node, Negated):
                return negated(vals[0])
            if isinstance(node, Sum):
                return sum(vals[0], vals[1])
            if isinstance(node, Product):
                return product(vals[0], vals[1])
            return scaled(vals[0], node.factor)

        return self.fold(leaf, combine)

    def evaluate_int(self, *, selector: Callable, query: Callable,
                     challenge: Callable | None = None, x: int | None = None) -> int:
        """Evaluate over Fr with Python ints; leaves are looked up through the callbacks
        (``selector(node) -> int``, ``query(node) -> int``, ``challenge(node) -> int``).
        The independent reference the compiled program is tested against."""
        r = FR_MODULUS
        return self.evaluate(
            constant=lambda v: v,
            selector=lambda s: selector(s) % r,
            query=lambda q: query(q) % r,
            challenge=None if challenge is None else (lambda c: challenge(c) % r),
            variable_x=None if x is None else (lambda: x % r),
            negated=lambda a: (-a) % r,
            sum=lambda a, b: (a + b) % r,
            product=lambda a, b: (a * b) % r,
            scaled=lambda a, f: (a * f) % r,
        )

    def __str__(self) -> str:
        return self.fold(_leaf_str, _combine_str)[0]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self})"


def _node(cls):
    """Make ``cls`` a frozen dataclass node keeping the base's equality and cached hash."""
    cls = dataclass(frozen=True, eq=False, repr=False)(cls)
    original_init = cls.__init__

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        self._init_hash()

    cls.__init__ = __init__
    return cls


@_node
class Constant(Expression):
    value: int

    def __post_init__(self):
        object.__setattr__(self, "value", _canonical(self.value))


@_node
class Selector(Expression):
    """1 on rows where a region enabled it, 0 elsewhere. A *simple* selector may only multiply a
    gate at the top (so halo2 may combine several into one fixed column); a *complex* one may
    appear anywhere, lookups and shuffles included, and always keeps a column of its own."""

    index: int
    name: str
    simple: bool = True


@_node
class Query(Expression):
    column: Column
    rotation: int


@_node
class Challenge(Expression):
    """A verifier challenge, known as a constant while the quotient is evaluated. A circuit's
    own challenges (``cs.challenge_usable_after(phase)``) are squeezed after that phase's advice
    commitments; the protocol's θ, β, γ follow them in the backend's numbering."""

    index: int
    name: str
    phase: int = 0


@_node
class VariableX(Expression):
    """The evaluation point X (the permutation argument's identity columns use it)."""


@_node
class Negated(Expression):
    inner: Expression

    def children(self) -> tuple:
        return (self.inner,)


@_node
class Sum(Expression):
    left: Expression
    right: Expression

    def children(self) -> tuple:
        return (self.left, self.right)


@_node
class Product(Expression):
    left: Expression
    right: Expression

    def children(self) -> tuple:
        return (self.left, self.right)


@_node
class Scaled(Expression):
    inner: Expression
    factor: int

    def __post_init__(self):
        object.__setattr__(self, "factor", _canonical(self.factor))

    def children(self) -> tuple:
        return (self.inner,)


# --- degree ---------------------------------------------------------------------------------
def _leaf_degree(node) -> int:
    return 0 if isinstance(node, (Constant, Challenge)) else 1


def _combine_degree(node, vals) -> int:
    if isinstance(node, Product):
        return vals[0] + vals[1]
    return max(vals)


# --- pretty printing --------------------------------------------------------------------------
# Each node prints to (text, precedence, negated_inner); a child is parenthesised when it binds
# looser than its parent. Precedences: 0 sum, 1 product, 2 unary minus, 3 atom. A Negated node
# also carries its inner's printout so that a + (-b) can read as a - b.
def format_field(value: int) -> str:
    """A field element as a person would write it: small values in decimal, values close to
    r as negatives (``-1`` rather than r − 1), anything else in hex."""
    if value < 1 << 64:
        return str(value)
    if FR_MODULUS - value < 1 << 64:
        return f"-{FR_MODULUS - value}"
    return hex(value)


def _leaf_str(node) -> tuple:
    if isinstance(node, Constant):
        text = format_field(node.value)
        return text, (2 if text.startswith("-") else 3), None
    if isinstance(node, Query):
        rot = node.rotation
        return f"{node.column.name}[{rot if rot <= 0 else f'+{rot}'}]", 3, None
    if isinstance(node, (Selector, Challenge)):
        return node.name, 3, None
    return "X", 3, None


def _paren(child: tuple, min_prec: int) -> str:
    return child[0] if child[1] >= min_prec else f"({child[0]})"


def _combine_str(node, vals) -> tuple:
    if isinstance(node, Negated):
        return f"-{_paren(vals[0], 3)}", 2, vals[0]
    if isinstance(node, Sum):
        left, right = _paren(vals[0], 0), vals[1]
        if right[2] is not None:
            return f"{left} - {_paren(right[2], 1)}", 0, None
        return f"{left} + {_paren(right, 0)}", 0, None
    if isinstance(node, Product):
        return f"{_paren(vals[0], 1)} * {_paren(vals[1], 1)}", 1, None
    return f"{_paren(vals[0], 1)} * {format_field(node.factor)}", 1, None

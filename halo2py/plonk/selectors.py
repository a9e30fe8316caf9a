"""Selectors become fixed columns at keygen, as halo2 does it: one 0/1 column each, or — halo2's
*selector compression* — several simple selectors that are never on in the same row share one
column holding 1, 2, …, m, each recovered by a polynomial in that column.

Compression (halo2's ``compress_selectors``, pre-v1.1 Scroll and PSE): a simple selector's degree
is the largest degree of a gate polynomial it multiplies at the top; complex selectors, and
simple ones that multiply no gate, have degree 0 and keep a column of their own (allocated first,
in selector order). The others are combined greedily in selector order: a selector joins a
combination if it is never on in the same row as a member and the combination still fits
the system's degree d — max(member degree − 1) + (members + 1) ≤ d; each selector not yet placed
seeds a combination and every later selector that fits joins it.
Member i (1-based) of an m-member combination q is replaced everywhere by
q · Π_{j ∈ 1..m, j ≠ i} (j − q), built left-nested over ascending j, exactly halo2's tree.

The outcome is plain data: ``SelectorColumns`` says, per selector, which new column it lives in
and at which position of how many, which is all a verifier needs (the vk file stores it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from halo2py.middleware.expression import Column, Constant, Expression, Negated, Product, Selector, Sum


@dataclass(frozen=True)
class SelectorColumns:
    """``placement[s] = (column, position, size)``: selector s is position (1-based) of a
    combination of ``size`` selectors held in new fixed column ``column`` (0-based among the new
    columns, which follow the circuit's own fixed columns)."""

    placement: tuple
    columns: int

    def expression(self, selector: Selector, fixed_base: int) -> Expression:
        column, position, size = self.placement[selector.index]
        q = Column("fixed", fixed_base + column, f"selector_column_{column}").cur()
        expr = q
        for j in range(1, size + 1):
            if j != position:
                expr = Product(expr, Sum(Constant(j), Negated(q)))
        return expr

    def values(self, activations: list, n: int) -> list:
        """Each new column's values (ints 0 … m per row) from the selectors' row masks."""
        out = [np.zeros(n, dtype=np.int64) for _ in range(self.columns)]
        for mask, (column, position, _) in zip(activations, self.placement):
            out[column][np.asarray(mask, dtype=bool)] = position
        return out


def direct(selectors) -> SelectorColumns:
    """Every selector its own 0/1 column, in selector order (Scroll v1.1; halo2's
    ``directly_convert_selectors_to_fixed``)."""
    return SelectorColumns(tuple((s.index, 1, 1) for s in selectors), len(selectors))


def selector_degrees(cs) -> list:
    """Per selector, the largest degree of a gate polynomial whose top-level product contains it
    as a simple selector (0 for complex selectors and for selectors in no gate)."""
    degrees = [0] * len(cs.selectors)
    for gate in cs.gates:
        for constraint in gate.constraints:
            found = _top_simple_selector(constraint.expression)
            if found is not None:
                degrees[found.index] = max(degrees[found.index], constraint.expression.degree())
    return degrees


def _top_simple_selector(expr: Expression):
    """The simple selector found by walking the factors of the top-level product (halo2's
    ``extract_simple_selector``: a simple selector anywhere else is not its business)."""
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, Selector) and node.simple:
            return node
        if isinstance(node, Product):
            stack += [node.right, node.left]
    return None


def compress(cs, activations: list, degree: int) -> SelectorColumns:
    """halo2's selector compression over the selectors' row masks (see the module docstring)."""
    degrees = selector_degrees(cs)
    masks = [np.asarray(m, dtype=bool) for m in activations]
    placement = [None] * len(cs.selectors)
    column = 0
    for s in cs.selectors:
        if degrees[s.index] == 0:
            placement[s.index] = (column, 1, 1)
            column += 1
    simple = [s.index for s in cs.selectors if degrees[s.index] > 0]
    added = set()
    for i, seed in enumerate(simple):
        if seed in added:
            continue
        added.add(seed)
        group, top = [seed], degrees[seed] - 1  # top: largest gate degree without its selector
        for other in simple[i + 1:]:
            if top + len(group) == degree:
                break  # full: nothing more can join
            if other in added or any((masks[other] & masks[m]).any() for m in group):
                continue
            joined = max(top, degrees[other] - 1)
            if joined + len(group) + 1 > degree:
                continue
            top = joined
            group.append(other)
            added.add(other)
        for position, index in enumerate(group, start=1):
            placement[index] = (column, position, len(group))
        column += 1
    return SelectorColumns(tuple(placement), column)

"""halo2's pinned verifying key: the exact Rust ``Debug`` text of ``vk.pinned()``, and the
``transcript_repr`` a transcript absorbs first — Blake2b-512 (personal "Halo2-Verify-Key") of the
text's u64 little-endian length and the text, reduced mod r as halo2's ``from_uniform_bytes``.

Byte-for-byte agreement with Rust halo2 is the point (README §5.3 of the halo2 vectors): field
elements are ``0x`` + 64 lowercase hex digits, big-endian; the moduli are quoted strings; the
identity point prints ``Infinity``; ``Option`` prints ``None`` / ``Some(d)``; a query names its
index in its kind's query list. Three generations are printed: ``legacy`` (``lookups: [...]``),
``v1.1`` (``lookups_map: {...}``, no shuffles) and ``pse`` (``lookups``, then ``shuffles``).
"""

from __future__ import annotations

import hashlib

from halo2py.arith.constants import FQ_MODULUS, FR_MODULUS
from halo2py.middleware.expression import Challenge, Constant, Negated, Product, Query, Scaled, Selector, Sum

_KIND = {"advice": "Advice", "fixed": "Fixed", "instance": "Instance"}


def field_hex(value: int) -> str:
    return f"0x{value % FR_MODULUS:064x}"


def _hex(value: int) -> str:
    return f"0x{value:064x}"


def _phase(phase: int) -> str:
    return f"Phase({phase})"


def column_text(column) -> str:
    kind = _KIND[column.kind]
    if column.kind == "advice" and column.phase > 0:
        kind = f"Advice {{ phase: {_phase(column.phase)} }}"
    return f"Column {{ index: {column.index}, column_type: {kind} }}"


class QueryIndex:
    """The position of every (column, rotation) in its kind's query list, as halo2 numbers them."""

    def __init__(self, advice, fixed, instance):
        self.lists = {"advice": list(advice), "fixed": list(fixed), "instance": list(instance)}
        self.index = {q: i for queries in self.lists.values() for i, q in enumerate(queries)}

    def of(self, query: Query) -> int:
        return self.index[query]


def expression_text(expr, queries: QueryIndex) -> str:
    """Rust's derived Debug of halo2's ``Expression`` for this tree."""
    def leaf(node):
        if isinstance(node, Constant):
            return f"Constant({field_hex(node.value)})"
        if isinstance(node, Selector):
            return f"Selector(Selector({node.index}, {'true' if node.simple else 'false'}))"
        if isinstance(node, Challenge):
            return f"Challenge(Challenge {{ index: {node.index}, phase: {_phase(node.phase)} }})"
        if isinstance(node, Query):
            col = node.column
            phase = f", phase: {_phase(col.phase)}" if col.kind == "advice" and col.phase > 0 else ""
            return (f"{_KIND[col.kind]} {{ query_index: {queries.of(node)}, column_index: {col.index}, "
                    f"rotation: Rotation({node.rotation}){phase} }}")
        raise ValueError(f"{type(node).__name__} has no halo2 form")

    def combine(node, vals):
        if isinstance(node, Negated):
            return f"Negated({vals[0]})"
        if isinstance(node, Sum):
            return f"Sum({vals[0]}, {vals[1]})"
        if isinstance(node, Product):
            return f"Product({vals[0]}, {vals[1]})"
        if isinstance(node, Scaled):
            return f"Scaled({vals[0]}, {field_hex(node.factor)})"
        raise ValueError(type(node).__name__)

    return expr.fold(leaf, combine)


def _list(items) -> str:
    return "[" + ", ".join(items) + "]"


def _query_list(queries) -> str:
    return _list(f"({column_text(q.column)}, Rotation({q.rotation}))" for q in queries)


def identifier(expr) -> str:
    """halo2's mv-lookup table identifier of an expression (v1.1 ``lookups_map`` keys)."""
    def leaf(node):
        if isinstance(node, Constant):
            return field_hex(node.value)
        if isinstance(node, Selector):
            return f"selector[{node.index}]"
        if isinstance(node, Challenge):
            return f"challenge[{node.index}]"
        if isinstance(node, Query):
            return f"{node.column.kind}[{node.column.index}][{node.rotation}]"
        raise ValueError(type(node).__name__)

    def combine(node, vals):
        if isinstance(node, Negated):
            return f"(-{vals[0]})"
        if isinstance(node, Sum):
            return f"({vals[0]}+{vals[1]})"
        if isinstance(node, Product):
            return f"({vals[0]}*{vals[1]})"
        return f"({vals[0]}*{field_hex(node.factor)})"

    return expr.fold(leaf, combine)


def constraint_system_text(cs, generation: str, *, fixed_columns: int, gates, lookups, shuffles,
                           queries: QueryIndex, original_lookups=None) -> str:
    """``PinnedConstraintSystem { … }`` for ``cs`` (a CompiledCircuit) with the given gate
    polynomials, lookups ((inputs, tables) expression tuples) and queries — before selector
    compression these are the circuit's own, after it the keygen's."""
    fields = [f"num_fixed_columns: {fixed_columns}", f"num_advice_columns: {len(cs.advice_columns)}",
              f"num_instance_columns: {len(cs.instance_columns)}", f"num_selectors: {len(cs.selectors)}"]
    if cs.challenges:
        fields += [f"num_challenges: {len(cs.challenges)}",
                   "advice_column_phase: " + _list(_phase(c.phase) for c in cs.advice_columns),
                   "challenge_phase: " + _list(_phase(c.phase) for c in cs.challenges)]
    fields += ["gates: " + _list(expression_text(g, queries) for g in gates),
               "advice_queries: " + _query_list(queries.lists["advice"]),
               "instance_queries: " + _query_list(queries.lists["instance"]),
               "fixed_queries: " + _query_list(queries.lists["fixed"]),
               "permutation: Argument { columns: " + _list(column_text(c) for c in cs.permutation_columns) + " }"]

    def argument(inputs, tables, left="input_expressions", right="table_expressions"):
        return (f"Argument {{ {left}: {_list(expression_text(e, queries) for e in inputs)}, "
                f"{right}: {_list(expression_text(e, queries) for e in tables)} }}")

    if generation == "v1.1":
        groups: dict = {}
        for inputs, tables in (original_lookups if original_lookups is not None else lookups):
            key = identifier(_tuple_key(tables))
            groups.setdefault(key, (tables, []))[1].append(inputs)
        trackers = [f'"{key}": LookupTracker {{ table: {_list(expression_text(e, queries) for e in tables)}, '
                    f"inputs: {_list(_list(expression_text(e, queries) for e in inp) for inp in ins)} }}"
                    for key, (tables, ins) in sorted(groups.items())]
        fields.append("lookups_map: {" + ", ".join(trackers) + "}")
    else:
        fields.append("lookups: " + _list(argument(i, t) for i, t in lookups))
        if generation == "pse":
            fields.append("shuffles: " + _list(argument(i, s, "input_expressions", "shuffle_expressions")
                                               for i, s in shuffles))
    fields.append("constants: " + _list(column_text(c) for c in cs.constants_columns))
    fields.append(f"minimum_degree: {'None' if cs.minimum_degree is None else f'Some({cs.minimum_degree})'}")
    return "PinnedConstraintSystem { " + ", ".join(fields) + " }"


def _tuple_key(tables):
    """The table side of a lookup as one expression for its identifier (halo2 keys a table by
    the identifiers of its expressions joined; with one expression it is that expression's)."""
    return tables[0] if len(tables) == 1 else _Joined(tables)


class _Joined:
    def __init__(self, parts):
        self.parts = parts

    def fold(self, leaf, combine):
        return "".join(p.fold(leaf, combine) for p in self.parts)


def point_text(point) -> str:
    """(x, y) of an affine point as canonical ints, or None for the identity."""
    if point is None:
        return "Infinity"
    x, y = point
    return f"({_hex(x)}, {_hex(y)})"


def verifying_key_text(k: int, extended_k: int, omega: int, cs_text: str, fixed_points, permutation_points) -> str:
    return ("PinnedVerificationKey { "
            f'base_modulus: "{_hex(FQ_MODULUS)}", scalar_modulus: "{_hex(FR_MODULUS)}", '
            f"domain: PinnedEvaluationDomain {{ k: {k}, extended_k: {extended_k}, omega: {field_hex(omega)} }}, "
            f"cs: {cs_text}, "
            f"fixed_commitments: {_list(point_text(p) for p in fixed_points)}, "
            f"permutation: VerifyingKey {{ commitments: {_list(point_text(p) for p in permutation_points)} }} }}")


def transcript_repr(text: str) -> int:
    """halo2's ``transcript_repr``: the pinned text hashed as above and reduced mod r."""
    data = text.encode()
    h = hashlib.blake2b(digest_size=64, person=b"Halo2-Verify-Key")
    h.update(len(data).to_bytes(8, "little"))
    h.update(data)
    return int.from_bytes(h.digest(), "little") % FR_MODULUS

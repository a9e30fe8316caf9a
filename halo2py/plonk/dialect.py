"""halo2 dialects: the generations of halo2 differ in a handful of protocol details, each named
here once, so a proof is made and checked "as halo2 version X does it" by one setting
(``--dialect NAME``) instead of scattered flags.

What differs (../shared/halo2-vectors/README.md §5.11):

- ``selector_compression``: simple selectors combined into shared fixed columns (halo2 before
  Scroll v1.1, and PSE), or one 0/1 column per selector (Scroll v1.1);
- ``lookup``: ``classic`` (permuted columns A′, S′ and a grand product) or ``log-derivative``
  (multiplicities m and a grand sum φ; lookups grouped by table, Scroll v1.1);
- ``pinned``: the generation of the pinned verifying key text hashed into ``transcript_repr``:
  ``legacy`` (``lookups: [...]``) or ``v1.1`` (``lookups_map: {...}``, no ``shuffles``);
  ``pse`` prints ``shuffles`` after ``lookups``;
- ``point_encoding``: how a G1 point is written in a proof: ``v0.7`` (halo2curves ≥ 0.7,
  halo2py's own), ``legacy`` (halo2curves ≤ 0.3.2) or ``v0.4`` (0.3.3–0.6);
- ``identity_as_0_5``: the transcript absorbs the identity point as (x = 0, y = 5) (old Scroll);
- ``gwc_instance_commitments``: GWC commits the instance columns and opens them (Scroll's
  QUERY_INSTANCE) instead of absorbing their values;
- ``zero_knowledge``: advice rows past the usable ones are random (PSE) or zero with the last
  row 1 (Scroll), and the vanishing argument's random polynomial is random or the constant 1.
"""

from __future__ import annotations

from dataclasses import dataclass

from halo2py.errors import InputError


@dataclass(frozen=True)
class Dialect:
    name: str
    description: str
    selector_compression: bool
    lookup: str
    pinned: str
    point_encoding: str
    identity_as_0_5: bool
    gwc_instance_commitments: bool
    zero_knowledge: bool


DIALECTS = {
    d.name: d for d in (
        Dialect("pse", "current PSE halo2: zero-knowledge blinding, halo2curves >= 0.7 points, classic lookups, "
                "selector compression (halo2py's default)",
                selector_compression=True, lookup="classic", pinned="pse", point_encoding="v0.7",
                identity_as_0_5=False, gwc_instance_commitments=False, zero_knowledge=True),
        Dialect("scroll-legacy", "Scroll halo2 before v1.1: classic lookups, selector compression, halo2curves "
                "<= 0.3.2 points, identity absorbed as (0, 5), GWC commits instances, no advice blinding",
                selector_compression=True, lookup="classic", pinned="legacy", point_encoding="legacy",
                identity_as_0_5=True, gwc_instance_commitments=True, zero_knowledge=False),
        Dialect("scroll-v1.1", "Scroll halo2 v1.1: log-derivative lookups grouped by table, one column per "
                "selector, halo2curves 0.3.3-0.6 points, no advice blinding",
                selector_compression=False, lookup="log-derivative", pinned="v1.1", point_encoding="v0.4",
                identity_as_0_5=True, gwc_instance_commitments=True, zero_knowledge=False),
        Dialect("scroll-v1.1-legacy-points", "Scroll halo2 v1.1 built with halo2curves <= 0.3.2: as scroll-v1.1 "
                "but legacy point encoding",
                selector_compression=False, lookup="log-derivative", pinned="v1.1", point_encoding="legacy",
                identity_as_0_5=True, gwc_instance_commitments=True, zero_knowledge=False),
    )
}
DEFAULT = "pse"


def dialect(name: str | None) -> Dialect:
    """The named dialect (default ``pse``); an unknown name is one line, exit 2."""
    name = DEFAULT if name is None else name
    if name not in DIALECTS:
        raise InputError(f"unknown dialect {name!r} (choose one of {', '.join(DIALECTS)}; `halo2py dialects` "
                         "lists them)")
    return DIALECTS[name]

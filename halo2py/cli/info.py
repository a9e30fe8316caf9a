"""``halo2py info``: a circuit's shape and cost (halo2's ``dev::CircuitCost`` and pinned constraint
system), computed by ``halo2py.profiling.cost`` from a keygen-only synthesis. Results on stdout
(a table, or one JSON object with ``--json``); bad input is one line, exit 2.
"""

from __future__ import annotations

from typing import List, Optional

import typer

from halo2py.cli.console import emit_json

# The options as prove/verify/keygen spell them (kept here, so this command does not depend on them).
CIRCUIT = typer.Argument(..., metavar="CIRCUIT", help="A registered circuit name or path/to/file.py[:Class].")
K = typer.Option(None, "--k", metavar="K", help="log2 of the rows (default: the circuit's k).")
PARAM = typer.Option([], "--param", metavar="NAME=VALUE", help="Circuit parameter name=value (repeatable).")
DIALECT = typer.Option(None, "--dialect", metavar="NAME",
                       help="halo2 generation: pse (default), scroll-legacy, scroll-v1.1 … (`halo2py dialects`).")
FLOOR_PLANNER = typer.Option(None, "--floor-planner", metavar="NAME",
                             help="Override the circuit's floor planner: simple or v1.")


def _mib(n: int) -> str:
    return f"{n / (1 << 20):.2f} MiB"


def _rotations(rotations: list) -> str:
    return ", ".join(f"{r:+d}" if r else "0" for r in rotations) or "-"


def info(
    circuit: str = CIRCUIT, k: Optional[int] = K, param: List[str] = PARAM,
    dialect: Optional[str] = DIALECT, floor_planner: Optional[str] = FLOOR_PLANNER,
    as_json: bool = typer.Option(False, "--json", metavar="", help="Print one JSON object on stdout."),
):
    """Show CIRCUIT's shape and cost: columns, selectors, gates, rows, proof size, commitments, memory."""
    from halo2py.pipeline import build_circuit
    from halo2py.plonk.dialect import dialect as check_dialect
    from halo2py.profiling.cost import circuit_cost

    check_dialect(dialect)
    instance = build_circuit(circuit, k, param, None, floor_planner)
    cost = circuit_cost(instance, dialect, floor_planner)
    if as_json:
        emit_json(cost)
        return
    print_cost(cost)


def print_cost(c: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    out = Console(highlight=False, soft_wrap=True)
    say = out.print
    cols, sel, rows, q = c["columns"], c["selectors"], c["rows"], c["queries"]
    say(f"[bold]{c['circuit']}[/] k={c['k']} (n = {rows['n']}), dialect {c['dialect']}, "
        f"floor planner {c['floor_planner']}")
    say(f"degree {c['degree']}: extended domain e = {c['extension']} (extended_k = {c['extended_k']}), "
        f"{c['quotient_pieces']} quotient pieces")
    phases = ", ".join(f"phase {p}: {m}" for p, m in enumerate(cols["advice_by_phase"]))
    say(f"columns: advice {cols['advice']} ({phases}), fixed {cols['fixed']} ({cols['table']} table), "
        f"instance {cols['instance']}, equality {cols['equality']}, constants {cols['constants']}")
    how = "compressed" if sel["compressed"] else "one column each"
    say(f"selectors: {sel['total']} ({sel['simple']} simple, {sel['complex']} complex) -> "
        f"{sel['columns']} fixed column(s) ({how}); fixed columns after keygen: {cols['fixed_after_keygen']}")
    if c["challenges"]:
        say(f"circuit challenges: {c['challenges']}")
    say(f"rows: blinding {rows['blinding']}, usable {rows['usable']} (0 .. {rows['usable'] - 1}), "
        f"l_last row {rows['l_last_row']}; used {rows['used']} (advice {rows['advice']}, fixed {rows['fixed']}, "
        f"selectors {rows['selectors']}; regions and tables end at {rows['regions']})")
    say("queries: " + "; ".join(f"{kind} {q[kind]['count']} on {q[kind]['columns']} column(s) at "
                                f"{_rotations(q[kind]['rotations'])}" for kind in ("advice", "fixed", "instance")))
    perm = c["permutation"]
    say(f"permutation: {perm['columns']} column(s) in {perm['sets']} set(s) of up to {perm['chunk_length']}")

    gates = Table(title="gates")
    for name in ("gate", "constraint", "degree", "keyed", "expression"):
        gates.add_column(name, justify="right" if name in ("degree", "keyed") else "left")
    for gate in c["gates"]:
        for con in gate["constraints"]:
            gates.add_row(gate["name"], con["name"], str(con["degree"]), str(con["keyed_degree"]), con["expression"])
    if c["gates"]:
        say(gates)
    if c["lookups"] or c["shuffles"]:
        args = Table(title=f"lookups ({c['lookup_kind']}) and shuffles")
        for name in ("argument", "name", "degree", "inputs", "table / shuffle"):
            args.add_column(name, justify="right" if name == "degree" else "left")
        for lk in c["lookups"]:
            args.add_row("lookup", lk["name"], str(lk["degree"]), ", ".join(lk["inputs"]), ", ".join(lk["tables"]))
        for sh in c["shuffles"]:
            args.add_row("shuffle", sh["name"], str(sh["degree"]), ", ".join(sh["inputs"]), ", ".join(sh["shuffles"]))
        say(args)

    size = Table(title="proof (transcript) size")
    for name in ("multiopen", "bytes", "points", "scalars", "prover commitments"):
        size.add_column(name, justify="left" if name == "multiopen" else "right")
    for scheme, s in c["proof_size"].items():
        if s is None:
            size.add_row(scheme, "-", "-", "-", "-")
            continue
        size.add_row(scheme, str(s["bytes"]), str(sum(s["points"].values())), str(sum(s["scalars"].values())),
                     str(c["commitments"]["prover_total"][scheme]))
    say(size)
    if None in c["proof_bytes"].values():
        say("(no proof size: halo2py does not prove log-derivative lookups yet)")
    cm = c["commitments"]
    rounds = ", ".join(f"{name.replace('_', ' ')} {m}" for name, m in cm["prover"].items() if m)
    say(f"commitments (each an MSM of n = {c['msm_points']} points): keygen {cm['keygen']['total']} "
        f"(fixed {cm['keygen']['fixed']}, sigma {cm['keygen']['sigma']}); prover: {rounds}, "
        f"then the multiopen's (gwc {cm['multiopen']['gwc']}, shplonk {cm['multiopen']['shplonk']})")

    memory = Table(title="predicted prover memory (halo2py.profiling.model)")
    for name in ("strategy", "peak", "quotient strategy term"):
        memory.add_column(name, justify="left" if name == "strategy" else "right")
    for name, m in c["memory"].items():
        memory.add_row(name, _mib(m["peak_bytes"]), _mib(m["quotient_strategy_bytes"]))
    say(memory)


def register(app: typer.Typer) -> None:
    app.command("info")(info)

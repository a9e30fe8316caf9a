"""``halo2py prove``, ``verify``, ``keygen`` and ``strategies``: wiring to ``halo2py.pipeline``.

Exit codes: 0 success / valid proof; 1 an unsatisfied witness or a proof that does not verify;
2 bad usage or input (unknown circuit or strategy, unreadable or malformed files, k mismatch).
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import TYPE_CHECKING, List, Optional

import typer

from halo2py._input import read_bounded
from halo2py.cli import conform
from halo2py.cli.collector import paused_until_work, work_begins
from halo2py.cli.console import PhaseProgress, emit_json, err, out
from halo2py.cli.console import warn as _warn
from halo2py.cli.execution import EXECUTOR, SCHEDULER, THREADS, TIMEOUT, WORKERS, executor_options, traffic_line
from halo2py.cli.files import check_output, write_output

CIRCUIT = typer.Argument(..., metavar="CIRCUIT", help="A registered circuit name or path/to/file.py[:Class].")
K = typer.Option(None, "--k", metavar="K", help="log2 of the rows (default: the circuit's k).")
PARAM = typer.Option([], "--param", metavar="NAME=VALUE", help="Circuit parameter name=value (repeatable).")
INPUTS = typer.Option(None, "--inputs", metavar="JSON|FILE", help="Private inputs as a JSON object.")
PARAMS_FILE = typer.Option(None, "--params", metavar="FILE",
                           help="halo2 KZG params file (default: cached dev params, unsafe).")
DIALECT = typer.Option(None, "--dialect", metavar="NAME",
                       help="halo2 generation to speak: pse (default), scroll-legacy, scroll-v1.1 … "
                            "(`halo2py dialects`).")
FLOOR_PLANNER = typer.Option(None, "--floor-planner", metavar="NAME",
                             help="Override the circuit's floor planner: simple or v1.")

if TYPE_CHECKING:
    from rich.table import Table


def phase_table(title: str, timer) -> Table:
    from rich.table import Table

    table = Table(title=title)
    table.add_column("phase")
    table.add_column("seconds", justify="right")
    for name in timer.order:
        table.add_row(name, f"{timer.seconds[name]:.3f}")
    table.add_row("[bold]total[/]", f"[bold]{timer.total:.3f}[/]")
    return table


def _check_output(path: Path, what: str) -> None:
    check_output(path, what)  # a directory or a missing one fails before the slow work


def _write(path: Path, data: bytes, what: str) -> None:
    write_output(path, data, what)  # whole or not at all: a Ctrl-C leaves no partial file


SPILL = typer.Option(None, "--spill", metavar="DIR",
                     help="Out-of-core mode: keep the proof's columns in memory-mapped files in a private "
                          "directory under DIR (removed afterwards), so the heap holds a few at a time.")

COPIES = typer.Option(1, "--copies", metavar="N",
                      help="Circuit copies in one proof (halo2's create_proof over several circuits); --inputs "
                           "then holds a JSON list of N input objects.")


@paused_until_work
def prove(
    circuit: str = CIRCUIT, k: Optional[int] = K, param: List[str] = PARAM, inputs: Optional[str] = INPUTS,
    params: Optional[str] = PARAMS_FILE,
    strategy: Optional[str] = typer.Option(None, "--strategy", metavar="NAME",
                                           help="Quotient strategy name or file.py:Class (default: subcoset, or "
                                                "with --max-memory the fastest that fits)."),
    multiopen: str = typer.Option("shplonk", "--multiopen", metavar="gwc|shplonk",
                                  help="Multiopen scheme: gwc or shplonk."),
    max_memory: Optional[str] = typer.Option(None, "--max-memory", metavar="SIZE",
                                             help="Peak memory budget (2G, 512M, 1.5GiB): prove with the fastest "
                                                  "strategy the memory model says fits, or refuse at once with the "
                                                  "smallest budget that would work (`halo2py plan`)."),
    seed: Optional[int] = typer.Option(None, "--seed", metavar="N",
                                        help="UNSAFE: deterministic randomness (tests, comparisons)."),
    rng: Optional[str] = typer.Option(None, "--rng", metavar="NAME",
                                      help="Randomness: os (default) or halo2-test (UNSAFE: halo2's test RNG, to "
                                           "reproduce Rust halo2's proofs byte for byte)."),
    out: Path = typer.Option(Path("proof.bin"), "--out", metavar="FILE", help="Where to write the proof file."),
    halo2_out: Optional[Path] = typer.Option(None, "--halo2-out", metavar="FILE",
                                             help="Also write the raw halo2 transcript (the bytes Rust halo2 writes)."),
    no_check: bool = typer.Option(False, "--no-check", metavar="", help="Skip the MockProver check of the witness."),
    as_json: bool = typer.Option(False, "--json", metavar="", help="Print a JSON summary on stdout."),
    dialect: Optional[str] = DIALECT, floor_planner: Optional[str] = FLOOR_PLANNER, copies: int = COPIES,
    pk: Optional[Path] = typer.Option(None, "--pk", metavar="FILE",
                                      help="A proving key file from `halo2py keygen --out-pk` (skips keygen)."),
    spill: Optional[Path] = SPILL,
    executor: str = EXECUTOR, scheduler: Optional[str] = SCHEDULER, workers: Optional[int] = WORKERS,
    threads_per_worker: int = THREADS, timeout: float = TIMEOUT,
):
    """Prove CIRCUIT and write a proof file."""
    from halo2py import pipeline
    from halo2py.execution import open_executor
    from halo2py.errors import InputError
    from halo2py.plonk.columns import check_spill_dir
    from halo2py.randomness import UNSAFE_SEED_WARNING, UNSAFE_XORSHIFT_WARNING
    from halo2py.timing import PhaseTimer

    budget = None
    if max_memory is not None:
        from halo2py.profiling import budget as memory_budget

        budget = memory_budget.parse_size(max_memory)
        floor = memory_budget.rss_floor_bytes()
    from halo2py.quotient.registry import DEFAULT_STRATEGY

    pipeline.check_options(strategy or DEFAULT_STRATEGY, multiopen, dialect)
    pipeline.proving_scalars(seed, rng)  # a bad --rng / --seed combination fails before any work
    execution = executor_options(executor, scheduler, workers, threads_per_worker, timeout)
    _check_output(out, "proof file")
    if halo2_out is not None:
        _check_output(halo2_out, "raw transcript")
    if spill is not None:
        check_spill_dir(spill)
        if executor != "in-process":
            raise InputError(f"--spill runs with the in-process executor, not --executor {executor}")
    circuits = pipeline.build_copies(circuit, copies, k, param, inputs, floor_planner)
    kk = circuits[0].params.k
    proving_key = pipeline.read_proving_key(str(pk), circuits[0]) if pk is not None else None
    if budget is not None:  # before the params: a budget that cannot work is refused at once
        shape = memory_budget.proof_shape(circuits, dialect, proving_key.vk.layout if proving_key else None)
        strategy, predicted = memory_budget.choose(shape, budget, strategy, floor, spill is not None)
        err.print(f"--max-memory {memory_budget.mib(budget)}: strategy {strategy} (predicted peak "
                  f"{memory_budget.mib(predicted)})", highlight=False)
    strategy = strategy or DEFAULT_STRATEGY
    setup_params = pipeline.obtain_params(kk, params, warn=_warn, g2=False)
    if seed is not None:  # the UNSAFE notices come after every argument check, so a typo is reported alone
        _warn(UNSAFE_SEED_WARNING)
    if rng == "halo2-test":
        _warn(UNSAFE_XORSHIFT_WARNING)
    work_begins()
    try:
        with PhaseProgress() as progress, open_executor(**execution) as running:
            timer = PhaseTimer([progress] if not as_json else [])
            outcome = pipeline.prove(circuits, setup_params, strategy, multiopen, seed, not no_check, timer, dialect,
                                     rng, proving_key, running, spill, own_params=True)
    except pipeline.UnsatisfiedWitness as exc:
        for failure in exc.failures[:20]:
            err.print(str(failure), highlight=False, markup=False, soft_wrap=True)
        raise
    traffic = running.traffic.as_dict() if running.traffic else None
    data = outcome.proof.to_bytes()
    _write(out, data, "proof file")
    if halo2_out is not None:
        _write(halo2_out, outcome.proof.transcript, "raw transcript")
    if as_json:
        emit_json({"circuit": circuits[0].circuit_name(), "k": kk, "strategy": strategy, "multiopen": multiopen,
                   "copies": copies, "proof": str(out), "proof_bytes": len(data),
                   "transcript_bytes": len(outcome.proof.transcript),
                   "proof_sha256": hashlib.sha256(data).hexdigest(), "seconds": outcome.timer.total,
                   "phases": {p: {"seconds": outcome.timer.seconds[p]} for p in outcome.timer.order},
                   "quotient_peak_bytes": outcome.quotient_peak_bytes, "executor": executor,
                   **({"traffic": traffic} if traffic else {})})
    else:
        err.print(phase_table(f"{circuits[0].circuit_name()} k={kk} strategy={strategy} multiopen={multiopen}",
                              outcome.timer))
        if traffic:
            err.print(traffic_line(traffic), highlight=False)
        err.print(f"[green]proof written[/] to {out} ({len(data)} bytes)", highlight=False)


@paused_until_work
def verify(
    circuit: str = CIRCUIT,
    proof: Optional[Path] = typer.Option(None, "--proof", metavar="FILE", help="The proof file to check."),
    halo2_proof: Optional[Path] = typer.Option(None, "--halo2-proof", metavar="FILE",
                                               help="A raw halo2 transcript (the bytes Rust halo2 writes) to check "
                                                    "instead of a proof file; give --k, --multiopen, --copies."),
    k: Optional[int] = K, param: List[str] = PARAM, inputs: Optional[str] = INPUTS,
    params: Optional[str] = PARAMS_FILE,
    vk: Optional[str] = typer.Option(None, "--vk", metavar="FILE",
                                     help="Verifying key file (default: recompute from the circuit)."),
    instances: Optional[str] = typer.Option(None, "--instances", metavar="JSON|FILE",
                                            help="Public inputs JSON (default: those in the proof file, or the "
                                                 "circuit's own for a raw transcript)."),
    multiopen: str = typer.Option("shplonk", "--multiopen", metavar="gwc|shplonk",
                                  help="Multiopen scheme of a raw transcript."),
    as_json: bool = typer.Option(False, "--json", metavar="", help="Print a JSON verdict on stdout."),
    dialect: Optional[str] = DIALECT, floor_planner: Optional[str] = FLOOR_PLANNER, copies: int = COPIES,
):
    """Verify a proof file (or a raw halo2 transcript) for CIRCUIT. Exit 0 valid, 1 invalid, 2 bad input."""
    from halo2py import pipeline
    from halo2py.errors import Halo2pyError, InputError
    from halo2py.plonk.dialect import dialect as check_dialect

    check_dialect(dialect)
    if (proof is None) == (halo2_proof is None):
        raise InputError("give exactly one of --proof FILE and --halo2-proof FILE")
    if halo2_proof is not None:
        try:
            transcript = read_bounded(halo2_proof, "proof")
        except OSError as exc:
            raise InputError(f"cannot read raw transcript {halo2_proof}: {exc.strerror or exc}") from None
        circuits = pipeline.build_copies(circuit, copies, k, param, inputs, floor_planner)
        kk, scheme = circuits[0].params.k, multiopen
        setup_params = pipeline.obtain_params(kk, params, warn=_warn if params is None and not as_json else None)

        def run():
            pipeline.verify_raw(circuits, setup_params, transcript, multiopen,
                                pipeline.load_instances(instances, copies), dialect, vk)
    else:
        proof_file = pipeline.read_proof(str(proof))
        if k is not None and k != proof_file.k:
            raise InputError(f"--k {k} does not match the proof's k = {proof_file.k}")
        kk, scheme = proof_file.k, proof_file.multiopen
        circuits = [pipeline.build_circuit(circuit, kk, param, inputs, floor_planner)]
        # The header's k is a claim: dev params are generated only for a k the user typed.
        setup_params = pipeline.obtain_params(kk, params, warn=_warn if params is None and not as_json else None,
                                              generate=k is not None)

        def run():
            pipeline.verify(circuits[0], proof_file, setup_params, vk,
                            pipeline.load_instances(instances, proof_file.copies), dialect)
    work_begins()
    t0 = time.perf_counter()
    try:
        run()
    except Halo2pyError as exc:
        if exc.exit_code != 1:
            raise
        if as_json:
            emit_json({"valid": False, "reason": str(exc)})
        err.print(f"[bold red]invalid proof:[/] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    seconds = time.perf_counter() - t0
    if as_json:
        emit_json({"valid": True, "seconds": seconds})
    else:
        err.print(f"[green]valid proof[/] for {circuits[0].circuit_name()} (k={kk}, {scheme}), "
                  f"verified in {seconds:.2f} s", highlight=False)


def keygen(
    circuit: str = CIRCUIT, k: Optional[int] = K, param: List[str] = PARAM, inputs: Optional[str] = INPUTS,
    params: Optional[str] = PARAMS_FILE,
    out_vk: Optional[Path] = typer.Option(None, "--out-vk", metavar="FILE", help="Where to write the verifying key."),
    out_pk: Optional[Path] = typer.Option(None, "--out-pk", metavar="FILE",
                                          help="Where to write the proving key (for `prove --pk`)."),
    dialect: Optional[str] = DIALECT, floor_planner: Optional[str] = FLOOR_PLANNER,
    as_json: bool = typer.Option(False, "--json", metavar="",
                                 help="Print transcript_repr and halo2's pinned verifying key and constraint "
                                      "system texts as JSON on stdout."),
):
    """Compute CIRCUIT's verifying key (halo2's keygen_vk): write it to a file and/or print it."""
    from halo2py import pipeline
    from halo2py.errors import InputError
    from halo2py.plonk.keygen import circuit_constraint_system_text
    from halo2py.plonk.vkfile import vk_to_bytes

    from halo2py.plonk.dialect import dialect as check_dialect

    from halo2py.plonk.pkfile import write_pk

    if out_vk is None and out_pk is None and not as_json:
        raise InputError("keygen needs --out-vk FILE, --out-pk FILE or --json")
    check_dialect(dialect)
    for path, what in ((out_vk, "vk file"), (out_pk, "pk file")):
        if path is not None:
            _check_output(path, what)
    instance = pipeline.build_circuit(circuit, k, param, inputs, floor_planner)
    setup_params = pipeline.obtain_params(instance.params.k, params, warn=_warn, g2=False)
    if out_pk is not None:
        key = pipeline.proving_key(instance, setup_params, dialect)
        write_pk(key, out_pk)
        vk = key.vk
        err.print(f"proving key written to {out_pk}", highlight=False)
    else:
        vk = pipeline.verifying_key(instance, setup_params, dialect)
    if out_vk is not None:
        _write(out_vk, vk_to_bytes(vk), "vk file")
        err.print(f"verifying key written to {out_vk} (transcript_repr {vk.transcript_repr:#066x})",
                  highlight=False, soft_wrap=True)
    if as_json:
        emit_json({"transcript_repr": f"0x{vk.transcript_repr:064x}", "pinned_verifying_key": vk.pinned(),
                   "pinned_constraint_system": circuit_constraint_system_text(vk.cs, vk.dialect)})


def strategies(
    as_json: bool = typer.Option(False, "--json", metavar="", help="Print one JSON object on stdout."),
    check: Optional[str] = typer.Option(None, "--check", metavar="SPEC",
                                        help="Run the conformance check on a strategy (name or path/to/file.py:Class) "
                                             "instead: exit 0 conforms, 1 does not."),
):
    """List the installed quotient strategies (or check that one conforms)."""
    from halo2py.errors import InputError
    from halo2py.quotient.registry import available, load

    if check is not None:
        conform.check(check, as_json)
        return
    rows = []
    for name in sorted(available()):
        try:
            cls = load(name)
            rows.append({"name": name, "description": cls.description})
        except InputError as exc:
            rows.append({"name": name, "error": str(exc)})
    if as_json:
        emit_json({"strategies": rows})
        return
    for row in rows:  # a result: stdout
        text = row.get("description") or f"[red]cannot load:[/] {row['error']}"
        out.print(f"[bold]{row['name']}[/]: {text}", highlight=False)


def dialects(as_json: bool = typer.Option(False, "--json", metavar="", help="Print one JSON object on stdout.")):
    """List the halo2 dialects (generations) halo2py speaks."""
    from halo2py.plonk.dialect import DEFAULT, DIALECTS

    rows = [{"name": d.name, "default": d.name == DEFAULT, "description": d.description} for d in DIALECTS.values()]
    if as_json:
        emit_json({"dialects": rows})
        return
    for row in rows:  # a result: stdout
        mark = " (default)" if row["default"] else ""
        out.print(f"[bold]{row['name']}[/]{mark}: {row['description']}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("dialects")(dialects)
    app.command("prove")(prove)
    app.command("verify")(verify)
    app.command("keygen")(keygen)
    app.command("strategies")(strategies)

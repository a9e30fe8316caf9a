"""The application layer: from a circuit and options to a proof file, and from a proof file to a
verdict. The CLI commands (prove, verify, keygen, compare, regress, profile) are thin wrappers
around these functions, so every command proves and verifies the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from halo2py._input import BadJSON, loads_json, read_bounded, read_bounded_text
from halo2py._cachedir import user_cache_dir
from halo2py.commitment.params import ParamsKZG
from halo2py.errors import Halo2pyError, InputError
from halo2py.frontend.circuit import compile_circuit, load_circuit_class, load_inputs, parse_field, synthesize
from halo2py.frontend.floor_planner import floor_planner_class
from halo2py.plonk.columns import spilling
from halo2py.plonk.container import SCHEMES, ProofFile
from halo2py.plonk.dialect import dialect as dialect_named
from halo2py.plonk.keygen import keygen, keygen_vk
from halo2py.plonk.pkfile import read_pk
from halo2py.plonk.prover import create_proof
from halo2py.plonk.verifier import VerificationError, verify_proof
from halo2py.plonk.vkfile import vk_from_bytes
from halo2py.quotient.registry import DEFAULT_STRATEGY, available, load
from halo2py.quotient.strategy import declared_part_buffers, declared_parts
from halo2py.randomness import HALO2_TEST_SEED, UniformScalars, XorShiftScalars, os_rng, seeded_rng
from halo2py.timing import PhaseTimer

UNSAFE_PARAMS_WARNING = ("UNSAFE: development params from a locally generated secret; "
                         "anyone with this machine's cache could forge proofs. Not for production.")


class UnsatisfiedWitness(Halo2pyError):
    """MockProver found failures; ``failures`` holds them for the report."""

    exit_code = 1

    def __init__(self, failures: list):
        super().__init__(f"the witness does not satisfy the circuit ({len(failures)} failure(s)); "
                         "run `halo2py check` for the report, or pass --no-check to prove anyway")
        self.failures = failures


def build_circuit(spec: str, k: int | None = None, params=(), inputs: str | None = None,
                  floor_planner: str | None = None):
    """Instantiate a circuit from a name or path, ``name=value`` parameters and an inputs file;
    ``floor_planner`` overrides the circuit's own (halo2's ``type FloorPlanner``)."""
    cls = load_circuit_class(spec)
    circuit = cls(cls.parse_params(list(params), k=k), load_inputs(inputs))
    if floor_planner is not None:
        floor_planner_class(floor_planner)  # an unknown name fails here, before any work
        circuit.floor_planner = floor_planner
    return circuit


def dev_params_path(k: int) -> Path:
    return user_cache_dir() / "params" / f"dev-k{k}.params"


def obtain_params(k: int, path: str | None = None, warn=None, generate: bool = True, g2: bool = True):
    """Params for 2^k rows: from ``path`` (halo2 format, downsized if larger; fully checked), or
    development params generated once per k and cached (``warn`` receives the unsafe notice).

    ``generate=False`` is for a k that only an untrusted file claims (a proof header): then only
    already-cached dev params are used, so a forged k never starts a 2^k setup. ``g2=False`` is
    for a prover or keygen, which never use G2: its points are decoded and checked on first use
    (py_ecc, the G2 subgroup check and a pairing cost a prove about a tenth of a second).
    """
    if path is not None:
        return ParamsKZG.read(path, k=k, g2=g2)
    cached = dev_params_path(k)
    if not generate and not cached.is_file():
        raise InputError(f"no params for k = {k}: pass --params FILE (verify generates no dev params "
                         "for a k that only the proof claims; `halo2py setup` or `prove` makes them)")
    if warn:
        warn(UNSAFE_PARAMS_WARNING)
    if cached.is_file():
        try:
            return ParamsKZG.read(cached, k=k, check=False, g2=g2)
        except InputError:
            pass  # a damaged cache entry is regenerated below
    params = ParamsKZG.setup(k, os_rng())
    cached.parent.mkdir(parents=True, exist_ok=True)
    params.write(cached)
    return params


RNGS = ("os", "halo2-test")


def proving_scalars(seed: int | None = None, rng: str | None = None):
    """The prover's scalar source: the OS CSPRNG (default), a seeded stream (``--seed``, UNSAFE),
    or halo2's test RNG (``--rng halo2-test``: rand_xorshift with halo2's seed — UNSAFE, for
    reproducing Rust halo2's proofs byte for byte)."""
    if rng not in (None, *RNGS):
        raise InputError(f"unknown --rng {rng!r} (choose {' or '.join(RNGS)})")
    if rng == "halo2-test":
        if seed is not None:
            raise InputError("--rng halo2-test and --seed are exclusive: halo2's test RNG has its own seed")
        return XorShiftScalars(HALO2_TEST_SEED)
    return UniformScalars(os_rng() if seed is None else seeded_rng(seed, "prove"))


def check_options(strategy: str, multiopen: str, dialect: str | None = None) -> type:
    """The strategy class, after rejecting an unknown strategy, multiopen scheme or dialect; the
    CLI calls this before slow work (reading or generating params) so that a typo fails at once."""
    dialect_named(dialect)
    if multiopen not in SCHEMES:
        raise InputError(f"unknown multiopen scheme {multiopen!r}; choose one of {', '.join(SCHEMES)}")
    return load(strategy)


@dataclass
class ProveOutcome:
    proof: object          # halo2py.plonk.container.ProofFile
    timer: PhaseTimer
    quotient_peak_bytes: int
    vk: object             # halo2py.plonk.keygen.VerifyingKey (its layout fixes the proof's shape)


def prove(circuit, params, strategy: str = DEFAULT_STRATEGY, multiopen: str = "shplonk",
          seed: int | None = None, check: bool = True, timer: PhaseTimer | None = None,
          dialect: str | None = None, rng: str | None = None, pk=None, executor=None, spill=None,
          own_params: bool = False) -> ProveOutcome:
    """Synthesise, optionally MockProver-check, keygen and prove ``circuit`` — or a list of
    circuits, one per copy in the proof (halo2's ``create_proof(&[c1, c2], …)``) — as halo2's
    ``dialect`` does it (default ``pse``). ``pk``: a proving key read from a pk file (keygen is
    then skipped). ``executor``: where commitments and quotient parts run (``halo2py.execution``;
    default in process). ``spill``: a directory to spill the proof's columns to (out-of-core mode,
    ``halo2py.plonk.columns``; its private subdirectory is gone when this returns or raises).
    ``own_params``: ``params`` serve this proof only — the prover frees their Lagrange basis once
    it is done with it (the CLI's and the profiler's; a caller proving again with them leaves it)."""
    if spill is not None and executor is not None and executor.name != "in-process":
        # the workers would need the spill files too: out of core is one machine's mode for now
        raise InputError(f"--spill keeps the columns in this machine's files: it runs with the in-process "
                         f"executor, not --executor {executor.name}")
    with spilling(spill) as columns:
        return _prove(circuit, params, strategy, multiopen, seed, check, timer, dialect, rng, pk, executor, columns,
                      own_params)


def _drop_owners(synthesis) -> None:
    """Out of core, the table's columns are born in spill files; what stays on the heap is the
    per-cell owner arrays, which only MockProver and the layout plot read: drop them."""
    a = synthesis.assignment
    a.advice_owner = a.fixed_owner = a.selector_owner = None


def _spill_srs(params, columns) -> None:
    """Move the SRS (g, g_lagrange: 4 columns' worth) to spill files. The params object keeps the
    mapped arrays, valid after the proof (the unlinked files live as long as the mapping)."""
    params.g = columns.keep(params.g)
    if params.g_lagrange is not None:
        params.g_lagrange = columns.keep(params.g_lagrange)


def _prove(circuit, params, strategy, multiopen, seed, check, timer, dialect, rng, pk, executor,
           columns, own_params) -> ProveOutcome:
    chosen = dialect_named(dialect)
    if pk is not None and (pk.vk.dialect.name != chosen.name or pk.vk.k != params.k):
        raise InputError(f"the pk file is for dialect {pk.vk.dialect.name} at k = {pk.vk.k}, not {chosen.name} at "
                         f"k = {params.k}")
    scalars = proving_scalars(seed, rng)
    circuits = list(circuit) if isinstance(circuit, (list, tuple)) else [circuit]
    quotient = _RecordingStrategy(check_options(strategy, multiopen)())
    timer = timer or PhaseTimer()
    if columns.spilled:
        _spill_srs(params, columns)
    with timer.phase("synthesis"):
        syntheses = []
        for copy in circuits:
            synthesis = synthesize(copy, phase=0, zeros=columns.zeros)  # a single-phase circuit's whole witness
            if check:
                from halo2py.frontend.mock import MockProver  # imported by the proofs that check only

                # MockProver needs every phase: later ones with its stand-in challenge values
                checked = synthesis if synthesis.cs.phases() == 1 else synthesize(copy)
                failures = MockProver(checked.assignment).verify()
                del checked
                if failures:
                    raise UnsatisfiedWitness(failures)
            if columns.spilled:
                _drop_owners(synthesis)
            syntheses.append(synthesis)
    own_key = pk is None
    if own_key:
        with timer.phase("keygen"):
            pk = keygen(params, syntheses[0].compiled, syntheses[0].preprocessed, chosen, columns, polys=False)
    witnesses = [s.witness for s in syntheses]
    instance_values = [[list(v) for v in w.instance_values] for w in witnesses]
    del syntheses, synthesis  # the prover consumes the witness columns; nothing else keeps the table alive

    def next_phase(copy: int, phase: int, challenges: dict):
        return synthesize(circuits[copy], phase=phase, challenges=challenges, zeros=columns.zeros).witness

    transcript = create_proof(params, pk, witnesses, quotient, multiopen, scalars, timer, next_phase, executor,
                              own_key, columns, own_params)
    copies = len(circuits)
    first = circuits[0]
    settings = {"circuit": first.circuit_name(), "dialect": chosen.name, "floor_planner": first.floor_planner,
                "params": {name: str(getattr(first.params, name)) for name, *_ in first.param_specs()}}
    proof = ProofFile(witnesses[0].k, multiopen, pk.vk.transcript_repr,
                      instance_values[0] if copies == 1 else instance_values, transcript, copies, settings)
    return ProveOutcome(proof, timer, quotient.peak_bytes, pk.vk)


def build_copies(spec: str, copies: int, k: int | None = None, params=(), inputs: str | None = None,
                 floor_planner: str | None = None) -> list:
    """``copies`` instances of a circuit for one proof. ``inputs`` is then a JSON list of one
    input object per copy; without it, a circuit that defines ``copy_inputs(i)`` gives each copy
    its own defaults (the halo2 vectors' shuffle tables), and the others repeat their defaults."""
    if not 1 <= copies <= 255:
        raise InputError(f"--copies must be between 1 and 255, got {copies}")
    if copies == 1:
        return [build_circuit(spec, k, params, inputs, floor_planner)]
    cls = load_circuit_class(spec)
    if inputs is not None:
        per_copy = load_input_list(inputs, copies)
    elif hasattr(cls, "copy_inputs"):
        per_copy = [cls.copy_inputs(i) for i in range(copies)]
    else:
        per_copy = [{}] * copies
    out = []
    for values in per_copy:
        circuit = cls(cls.parse_params(list(params), k=k), values)
        if floor_planner is not None:
            floor_planner_class(floor_planner)
            circuit.floor_planner = floor_planner
        out.append(circuit)
    return out


def load_input_list(inputs: str, copies: int) -> list:
    data = _read_json(inputs, "inputs")
    if not (isinstance(data, list) and len(data) == copies and all(isinstance(d, dict) for d in data)):
        raise InputError(f"with --copies {copies}, --inputs must hold a JSON list of {copies} input objects")
    return data


class _RecordingStrategy:
    """Wraps a strategy to keep the peak it reports (the prover only needs the pieces)."""

    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name
        self.peak_bytes = 0

    def compute(self, task):
        return self._record(self.inner.compute(task))

    def parts(self, task):
        return declared_parts(self.inner, task)

    def compute_part(self, task, index):
        return self.inner.compute_part(task, index)

    def part_buffers(self, shape):
        return declared_part_buffers(self.inner, shape)

    def combine(self, task, results):
        return self._record(self.inner.combine(task, results))

    def _record(self, result):
        self.peak_bytes = result.peak_bytes
        return result


def load_instances(path: str | None, copies: int = 1):
    """Public inputs from a JSON file: a list of lists of ints (or decimal/0x strings) — with
    ``copies`` > 1 a list of such lists, one per circuit copy."""
    if path is None:
        return None
    if copies > 1:
        data = _read_json(path, "instances")
        if not (isinstance(data, list) and len(data) == copies):
            raise InputError(f"with --copies {copies}, instances file {path} must hold a list of {copies} per-copy "
                             "lists of columns")
        return [_instance_columns(d, f"{path} copy {i}") for i, d in enumerate(data)]
    return _instance_columns(_read_json(path, "instances"), path)


def _read_json(path: str, what: str):
    """JSON typed inline (it starts with ``[`` or ``{``) or read from the file ``path``."""
    if path.lstrip()[:1] in ("[", "{"):
        try:
            return loads_json(path)
        except BadJSON as exc:
            raise InputError(f"--{what} is not valid JSON: {exc}") from None
    try:
        return loads_json(read_bounded_text(path, "json"))
    except BadJSON as exc:
        raise InputError(f"{what} file {path} is not valid JSON: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {what} file {path}: {getattr(exc, 'strerror', None) or exc}") from None


def _instance_columns(data, path: str):
    if not isinstance(data, list) or not all(isinstance(col, list) for col in data):
        raise InputError(f"instances file {path} must hold a list of lists (one per instance column)")

    def canonical(value, name: str) -> int:
        # A public input is a field element: accepting r + v (or −v) would report a proof of v as
        # valid for another number, so unlike private inputs these are not reduced mod r.
        reduced = parse_field(value, name)
        if (int(value.strip(), 0) if isinstance(value, str) else value) != reduced:
            raise InputError(f"instances file {path}: {name} = {value} is not a canonical field element "
                             "(0 <= v < r)")
        return reduced

    return [[canonical(v, f"instances[{i}][{j}]") for j, v in enumerate(col)] for i, col in enumerate(data)]


def read_proof(path: str):
    try:
        data = read_bounded(path, "proof")
    except OSError as exc:
        raise InputError(f"cannot read proof file {path}: {exc.strerror or exc}") from None
    return ProofFile.from_bytes(data)


def proving_key(circuit, params, dialect: str | None = None):
    """The circuit's proving key, from a keygen-only synthesis (no witness computed)."""
    keygen_only = synthesize(circuit, witness=False)
    return keygen(params, keygen_only.compiled, keygen_only.preprocessed, dialect_named(dialect))


def read_proving_key(path: str, circuit):
    return read_pk(path, compile_circuit(circuit))


def verifying_key(circuit, params, dialect: str | None = None):
    """The circuit's verifying key, from a keygen-only synthesis (no witness computed)."""
    keygen_only = synthesize(circuit, witness=False)
    return keygen_vk(params, keygen_only.compiled, keygen_only.preprocessed, dialect_named(dialect))


def _check_settings(circuit, recorded: dict, dialect: str | None) -> None:
    """The statement is the verifier's: the circuit, its parameters, the dialect and the floor
    planner come from the command line, never from the proof. The proof file records how it was
    made only so that a mismatch is named — an invalid proof for this statement, exit 1 — instead
    of surfacing as an anonymous key mismatch."""
    if not recorded or recorded.get("circuit") != circuit.circuit_name():
        return
    ours = {"dialect": dialect_named(dialect).name, "floor_planner": circuit.floor_planner,
            **{f"--param {name}": str(getattr(circuit.params, name)) for name, *_ in circuit.param_specs()
               if name != "k"}}
    theirs = {"dialect": recorded.get("dialect"), "floor_planner": recorded.get("floor_planner"),
              **{f"--param {name}": value for name, value in (recorded.get("params") or {}).items() if name != "k"}}
    differ = [key for key in ours if key in theirs and theirs[key] is not None and theirs[key] != ours[key]]
    if differ:
        made = ", ".join(f"{key} {theirs[key]}" for key in differ)
        here = ", ".join(f"{key} {ours[key]}" for key in differ)
        raise VerificationError(f"the proof was made with {made}; this verification uses {here} (pass the same "
                                "flags to verify the statement the proof is for)")


def _verifier_key(circuit, params, dialect: str | None, vk_path: str | None):
    """The vk a verifier uses: read from ``vk_path`` (checked against the circuit), or rebuilt."""
    if vk_path is None:
        return verifying_key(circuit, params, dialect)
    try:
        data = read_bounded(vk_path, "key")
    except OSError as exc:
        raise InputError(f"cannot read vk file {vk_path}: {exc.strerror or exc}") from None
    return vk_from_bytes(data, compile_circuit(circuit), f"vk file {vk_path}")


def verify(circuit, proof, params, vk_path: str | None = None, instances=None, dialect: str | None = None) -> None:
    """Check ``proof`` (a ProofFile) for ``circuit``; raises VerificationError/TranscriptError
    (exit 1) for an invalid proof and InputError (exit 2) for unusable inputs.

    Without a vk file the verifying key is rebuilt by a keygen-only synthesis: fixed columns,
    selectors and copies, never the witness.
    """
    if circuit.params.k != proof.k:
        raise InputError(f"the proof is for k = {proof.k} but the circuit is configured with k = {circuit.params.k}")
    _check_settings(circuit, proof.settings, dialect)
    vk = _verifier_key(circuit, params, dialect, vk_path)
    if vk.k != proof.k:
        raise InputError(f"the vk is for k = {vk.k} but the proof is for k = {proof.k}")
    if vk.transcript_repr != proof.vk_digest:
        raise VerificationError("the proof was made for a different verifying key (circuit, k or params)")
    verify_proof(params, vk, proof.instances if instances is None else instances, proof.transcript, proof.multiopen,
                 proof.copies)


def verify_raw(circuits: list, params, transcript: bytes, multiopen: str, instances=None,
               dialect: str | None = None, vk_path: str | None = None) -> None:
    """Check a raw halo2 transcript (the bytes Rust halo2's ``Blake2bWrite`` produces, no halo2py
    container) for ``circuits`` — one per copy in the proof. The instances default to each copy's
    own (``circuit.instances()``)."""
    if multiopen not in SCHEMES:
        raise InputError(f"unknown multiopen scheme {multiopen!r}; choose one of {', '.join(SCHEMES)}")
    vk = _verifier_key(circuits[0], params, dialect, vk_path)
    if instances is None:
        instances = [c.instances() for c in circuits]
    elif len(circuits) == 1:
        instances = [instances]
    verify_proof(params, vk, instances[0] if len(circuits) == 1 else instances, transcript, multiopen,
                 len(circuits))


def warm(strategies=None, verify_proofs: bool = True) -> None:
    """Compile (or load from cache) every kernel a proof touches, by proving a tiny circuit with
    each given strategy (default: all installed) under each multiopen scheme, and verifying it.
    ``python -m halo2py.warm`` calls this last (with ``arguments=True``, below); the profiler
    calls it before tracking."""
    circuit = build_circuit("fibonacci")
    params = ParamsKZG.setup(circuit.params.k, seeded_rng(0, "warm"))
    for strategy in strategies or sorted(available()):
        for scheme in SCHEMES:
            outcome = prove(circuit, params, strategy, scheme, seed=0)
            if verify_proofs:
                verify(circuit, outcome.proof, params)


def warm_arguments() -> None:
    """The kernels fibonacci's proofs never reach, so that the first real ``prove`` after
    ``make install`` loads them instead of compiling them: the default circuit (stress, with its
    lookup) at a size where every vectorised path engages, proved as the CLI does — MockProver
    check, OS randomness, the default strategy, then chunked from a proving key file (its
    checksum) — and verified with the verifying key rebuilt and read from its file; a shuffle."""
    import tempfile

    from halo2py.plonk.pkfile import write_pk
    from halo2py.plonk.vkfile import vk_to_bytes

    for name, k in (("stress", 10), ("shuffle", None)):
        circuit = build_circuit(name, k)
        params = ParamsKZG.setup(circuit.params.k, seeded_rng(0, "warm"))
        outcome = prove(circuit, params)
        verify(circuit, outcome.proof, params)
        with tempfile.TemporaryDirectory(prefix="halo2py-warm-") as tmp:
            key = proving_key(circuit, params)
            write_pk(key, f"{tmp}/warm.pk")
            with open(f"{tmp}/warm.vk", "wb") as f:
                f.write(vk_to_bytes(key.vk))
            del key
            outcome = prove(circuit, params, "chunked", check=False, pk=read_proving_key(f"{tmp}/warm.pk", circuit))
            verify(circuit, outcome.proof, params, f"{tmp}/warm.vk")

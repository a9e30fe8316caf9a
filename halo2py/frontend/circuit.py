"""Circuit definitions: the base class, typed parameters, private inputs, loading, synthesis.

A circuit is a class with ``configure(cs) -> config`` and ``synthesize(config, layouter)``, as in
halo2, plus ``instances()`` for its public inputs. Its parameters are a dataclass (``Params``) whose
fields carry defaults and help text; the CLI fills them from ``--param name=value`` converted to
the declared types. Private inputs come from a JSON object (``--inputs FILE.json``) whose keys the
circuit declares in ``inputs_help``.

Circuits are found by ``halo2py.plugins``: the built-ins (``circuits/``, installed as
``halo2py.circuits``), the ``halo2py.circuits`` entry-point group, or ``path/to/file.py[:ClassName]``.
Every failure along the way — a missing file, an import error, a malformed gate, an exception
inside the user's ``configure``/``synthesize`` — becomes an ``InputError`` with one line that says
what and where, never a traceback.
"""

from __future__ import annotations

import dataclasses
import hashlib
import typing
from dataclasses import dataclass
from typing import ClassVar

from halo2py._input import BadJSON, loads_json, read_bounded_text
from halo2py import plugins
from halo2py.arith.constants import FR_MODULUS
from halo2py.errors import Halo2pyError, InputError, ResourceError
from halo2py.frontend.constraint_system import ConstraintSystem
from halo2py.frontend.floor_planner import floor_planner_class
from halo2py.frontend.layouter import Assignment, Layouter, field_int
from halo2py.middleware.circuit import CompiledCircuit
from halo2py.middleware.witness import Preprocessed, Witness

MAX_K = 28  # Fr's two-adicity bounds the domain size


def param(default, help: str):
    """A circuit parameter: a dataclass field with a default and a one-line description."""
    return dataclasses.field(default=default, metadata={"help": help})


@dataclass
class CircuitParams:
    """Parameters every circuit has. Subclass (as a dataclass) to add your own."""

    k: int = param(8, "log2 of the number of rows (n = 2^k)")

    def __post_init__(self):
        if not 1 <= self.k <= MAX_K:
            raise InputError(f"k must be between 1 and {MAX_K}, got {self.k}")

    def require_rows(self, name: str, rows: int) -> None:
        """Refuse parameter ``name`` if what it sizes takes ``rows`` rows, more than all 2^k: the
        layouter's exact check (against the usable rows) comes only after synthesis has built the
        witness, which for a typo like terms=10^11 would run for hours or exhaust memory first."""
        if rows > 1 << self.k:
            least = (rows - 1).bit_length()  # the smallest k with that many rows in all
            hint = f"use k >= {least}" if least <= MAX_K else f"no k up to {MAX_K} has that many"
            raise InputError(f"{name}={getattr(self, name)} takes {rows} rows, more than the {1 << self.k} of "
                             f"k={self.k}; {hint}")


class Circuit:
    """Base class of halo2py circuits (see docs/circuits.md for a worked example)."""

    name: ClassVar[str] = ""
    Params: ClassVar[type] = CircuitParams
    inputs_help: ClassVar[dict] = {}  # private input name -> description
    floor_planner: ClassVar[str] = "simple"  # halo2's layout policy: "simple" or "v1"
    # (k, ("name=value", …)) pairs the test suites prove this circuit with: ``test_cases`` are
    # small (strategy conformance, prove/verify round trips), ``regress_cases`` the regression
    # set (default: the test cases). A registered circuit is covered with no other edit.
    test_cases: ClassVar[tuple] = ((None, ()),)
    regress_cases: ClassVar[tuple] = ()

    def __init__(self, params: CircuitParams | None = None, inputs: dict | None = None):
        self.params = params if params is not None else self.Params()
        self.inputs = dict(inputs or {})
        unknown = sorted(set(self.inputs) - set(self.inputs_help))
        if unknown:
            known = ", ".join(sorted(self.inputs_help)) or "none"
            raise InputError(f"circuit '{self.circuit_name()}' has no input(s) "
                             f"{', '.join(unknown)} (known: {known})")

    @classmethod
    def circuit_name(cls) -> str:
        return cls.name or cls.__name__

    @classmethod
    def registry_name(cls) -> str:
        return cls.circuit_name()

    def configure(self, cs: ConstraintSystem):
        """Declare columns, gates and lookups; return whatever ``synthesize`` needs."""
        raise NotImplementedError

    def synthesize(self, config, layouter: Layouter) -> None:
        """Assign the witness and fixed values through ``layouter``."""
        raise NotImplementedError

    def instances(self) -> list:
        """Public inputs, one list of ints per instance column (default: none)."""
        return []

    def synthesis_scratch_columns(self) -> float:
        """Columns' worth (n field elements each) of working arrays ``synthesize`` holds at its
        peak besides the table, for the memory model (default: none declared). Out of core
        (``--spill``) the table lives in files, so a witness computation's own arrays can be
        the proof's heap peak."""
        return 0.0

    # --- private inputs ------------------------------------------------------------------
    def input_int(self, name: str, default: int) -> int:
        """Private input ``name`` as a field int (JSON number or decimal/0x string)."""
        return parse_field(self.inputs.get(name, default), name)

    def input_ints(self, name: str, default: list) -> list:
        values = self.inputs.get(name, default)
        if not isinstance(values, list):
            raise InputError(f"input '{name}' must be a list, got {type(values).__name__}")
        return [parse_field(v, f"{name}[{i}]") for i, v in enumerate(values)]

    # --- parameters ----------------------------------------------------------------------
    @classmethod
    def param_specs(cls) -> list:
        """(name, type, default, help) for every parameter, in declaration order."""
        hints = typing.get_type_hints(cls.Params)
        return [(f.name, hints[f.name], f.default, f.metadata.get("help", ""))
                for f in dataclasses.fields(cls.Params)]

    @classmethod
    def parse_params(cls, assignments: list, k: int | None = None) -> CircuitParams:
        """Build ``Params`` from ``name=value`` strings (``--param``); ``k`` overrides."""
        specs = {name: typ for name, typ, _, _ in cls.param_specs()}
        values = {}
        for text in assignments:
            name, sep, raw = text.partition("=")
            name = name.strip()
            if not sep:
                raise InputError(f"--param expects name=value, got '{text}'")
            if name not in specs:
                raise InputError(f"circuit '{cls.circuit_name()}' has no parameter '{name}' "
                                 f"(known: {', '.join(specs)})")
            values[name] = _convert(raw.strip(), specs[name], name)
        if k is not None:
            if "k" in values and values["k"] != k:
                raise InputError(f"--param k={values['k']} and --k {k} disagree; give one")
            values["k"] = k
        try:
            return cls.Params(**values)
        except (TypeError, ValueError) as exc:
            if isinstance(exc, InputError):
                raise
            raise InputError(f"circuit '{cls.circuit_name()}': bad parameters: {exc}") from None


CIRCUITS = plugins.PluginKind("circuit", Circuit, "halo2py.circuits", "halo2py.circuits")


def _convert(raw: str, typ, name: str):
    try:
        if typ is bool:
            lowered = raw.lower()
            if lowered in ("1", "true", "yes", "on"):
                return True
            if lowered in ("0", "false", "no", "off"):
                return False
            raise ValueError(raw)
        if typ is int:
            return int(raw, 0)
        return typ(raw)
    except ValueError:
        raise InputError(f"parameter '{name}' expects {getattr(typ, '__name__', typ)}, "
                         f"got '{raw}'") from None


def parse_field(value, name: str) -> int:
    if isinstance(value, str):
        try:
            value = int(value.strip(), 0)
        except ValueError:
            raise InputError(f"input '{name}' is not an integer: '{value}'") from None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"input '{name}' must be an integer, got {type(value).__name__}")
    return field_int(value)


def load_inputs(path: str | None) -> dict:
    """The private inputs: a JSON object typed inline (``--inputs '{"x": 7}'``) or the file at
    ``path`` (an empty dict when none is given)."""
    if path is None:
        return {}
    if path.lstrip().startswith("{"):
        try:
            data = loads_json(path)
        except BadJSON as exc:
            raise InputError(f"--inputs is not valid JSON: {exc}") from None
        return data
    try:
        data = loads_json(read_bounded_text(path, "json"))
    except FileNotFoundError:
        raise InputError(f"inputs file not found: {path}") from None
    except BadJSON as exc:
        raise InputError(f"inputs file {path} is not valid JSON: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read inputs file {path}: {getattr(exc, 'strerror', None) or exc}") from None
    if not isinstance(data, dict):
        raise InputError(f"inputs file {path} must hold a JSON object")
    return data


# --- loading ---------------------------------------------------------------------------------
def registered_circuits() -> dict:
    """Name → origin ("built-in" or an entry point) of every registered circuit."""
    return plugins.available(CIRCUITS)


def load_circuit_class(spec: str) -> type:
    """A Circuit subclass from a registered name or ``path/to/file.py[:ClassName]``."""
    return plugins.load(CIRCUITS, spec)


# --- synthesis -------------------------------------------------------------------------------
@dataclass
class Synthesis:
    """A circuit's constraint system, its config, and the table it filled at size 2^k.

    ``compiled``, ``preprocessed`` and ``witness`` are the plain-data views the backend reads.
    A keygen-only synthesis (``synthesize(..., witness=False)``) has no witness.
    """

    circuit: Circuit
    cs: ConstraintSystem
    config: object
    assignment: Assignment
    has_witness: bool = True

    @property
    def compiled(self) -> CompiledCircuit:
        return self.cs.compile()

    @property
    def preprocessed(self) -> Preprocessed:
        a = self.assignment
        return Preprocessed(a.k, a.fixed, a.selectors, a.copies)

    @property
    def witness(self) -> Witness:
        if not self.has_witness:
            raise InputError("this synthesis ran in keygen-only mode and holds no witness")
        a = self.assignment
        return Witness(a.k, a.advice, a.instance, a.instance_values)


def _user_call(circuit: Circuit, what: str, fn, *args):
    try:
        return fn(*args)
    except ResourceError:
        raise
    except Halo2pyError as exc:
        raise InputError(f"circuit '{circuit.circuit_name()}': {exc}") from None
    except Exception as exc:
        raise InputError(f"circuit '{circuit.circuit_name()}': {what} failed: "
                         f"{plugins.describe(exc)}") from None


def configure(circuit: Circuit) -> tuple:
    """Run ``configure`` on a fresh ConstraintSystem: (cs, config)."""
    cs = ConstraintSystem()
    config = _user_call(circuit, "configure", circuit.configure, cs)
    return cs, config


def compile_circuit(circuit: Circuit) -> CompiledCircuit:
    """The circuit's constraint system as the backend's plain data (runs ``configure`` only)."""
    return configure(circuit)[0].compile()


def mock_challenges(cs) -> dict:
    """Fixed stand-in values for a circuit's challenges, as halo2's MockProver uses: any values
    check a satisfied circuit, and fixed ones make ``halo2py check`` reproducible."""
    return {c.index: int.from_bytes(hashlib.blake2b(f"halo2py mock challenge {c.index}".encode()).digest(), "little")
            % FR_MODULUS for c in cs.challenges}


def synthesize(circuit: Circuit, k: int | None = None, witness: bool = True,
               floor_planner: str | None = None, challenges: dict | None = None,
               phase: int | None = None, zeros=None) -> Synthesis:
    """Configure and synthesise ``circuit`` at 2^k rows (default: its ``k`` parameter), laid
    out by ``floor_planner`` (default: the circuit's ``floor_planner``).

    With ``witness=False`` (keygen-only, as halo2's keygen runs ``synthesize`` with every advice
    value unknown) the public inputs are not asked for and advice values given as callables are
    never called, so keygen and verification never run the circuit's witness computation.

    A multi-phase circuit's later phases read ``challenges`` (index → value; default: MockProver's
    stand-ins); ``phase`` limits the witness to the advice columns of phases ≤ it (the prover
    synthesises once per phase, as halo2 does). ``zeros(shape)`` makes the table's (n, 4) columns
    (zero-filled; default: on the heap).
    """
    k = circuit.params.k if k is None else k
    if not 1 <= k <= MAX_K:
        raise InputError(f"k must be between 1 and {MAX_K}, got {k}")
    floor_planner = circuit.floor_planner if floor_planner is None else floor_planner
    floor_planner_class(floor_planner)  # an unknown name is reported as itself, unprefixed
    cs, config = configure(circuit)
    if (1 << k) < cs.minimum_rows():
        raise InputError(f"k={k} is too small: this circuit needs at least {cs.minimum_rows()} "
                         f"rows (k >= {cs.minimum_k(1)})")
    instances = _user_call(circuit, "instances", circuit.instances) if witness else None
    if witness and challenges is None:
        challenges = mock_challenges(cs)
    layouter = _user_call(circuit, "instances", Layouter, cs, k, instances, witness, floor_planner, phase,
                          challenges, zeros)
    _user_call(circuit, "synthesize", circuit.synthesize, config, layouter)
    assignment = _user_call(circuit, "synthesize", layouter.finish)
    return Synthesis(circuit, cs, config, assignment, witness)

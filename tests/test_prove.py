"""End-to-end proving through ``halo2py.pipeline``: round trips under GWC and SHPLONK, the shape
of the transcript, determinism under ``--seed``, and legacy vs chunked quotients bit for bit."""

import pytest

import plonk_cases as cases
from halo2py.quotient.registry import available
from halo2py import pipeline
from halo2py.frontend.circuit import Circuit, CircuitParams, configure
from halo2py.commitment.params import ParamsKZG
from halo2py.plonk.container import SCHEMES
from halo2py.plonk.layout import ProtocolLayout, evaluations_after_random, evaluations_before_random, opening_queries
from halo2py.plonk.prover import QuotientPieceAtInfinity
from halo2py.poly.domain import EvaluationDomain


def expected_transcript_bytes(layout: ProtocolLayout, multiopen: str) -> int:
    """32 bytes per message: the commitments of every round, the evaluations, then the multiopen
    argument (GWC: one witness per distinct opening point; SHPLONK: two points)."""
    lookups = len(layout.cs.lookups)
    points = (len(layout.advice_columns) + 2 * lookups + len(layout.permutation_products) + lookups
              + len(layout.shuffle_products) + 1 + (layout.degree - 1))
    scalars = len(evaluations_before_random(layout)) + 1 + len(evaluations_after_random(layout))
    if multiopen == "gwc":
        points += len({rotation for _, rotation in opening_queries(layout)} | {0})
    else:
        points += 2
    return 32 * (points + scalars)


@pytest.mark.parametrize("multiopen", SCHEMES)
@pytest.mark.parametrize("case", list(cases.CASES))
def test_round_trip(case, multiopen):
    proof = cases.proof(case, "chunked", multiopen)
    circuit = cases.circuit(case)
    assert proof.k == cases.k_of(case) and proof.multiopen == multiopen
    assert proof.instances == circuit.instances()
    assert len(proof.transcript) == expected_transcript_bytes(cases.layout(case), multiopen)
    pipeline.verify(circuit, proof, cases.params(proof.k))


def test_cases_cover_the_shapes_the_issue_names():
    """Guards the case table: e = 2, 4, 8, lookups, and multi-chunk permutations are all in it."""
    def shape(case):
        layout = cases.layout(case)
        return (EvaluationDomain(cases.k_of(case), layout.degree).e, len(layout.cs.lookups),
                layout.chunk_len, len(layout.permutation_products))

    assert shape("stress") == (4, 1, 2, 6)
    assert shape("stress-degree=3-lookups=0") == (2, 0, 1, 12)
    assert shape("stress-degree=7-lookups=2")[0] == 8
    assert shape("poseidon")[0] == 8
    assert shape("range_check")[1] == 1


def test_same_seed_same_proof_other_seed_other_blinding():
    circuit, params = cases.circuit("fibonacci"), cases.params(cases.k_of("fibonacci"))
    again = pipeline.prove(circuit, params, "chunked", "gwc", seed=cases.PROVE_SEED).proof
    assert again.to_bytes() == cases.proof("fibonacci", "chunked", "gwc").to_bytes()
    other = pipeline.prove(circuit, params, "chunked", "gwc", seed=cases.PROVE_SEED + 1).proof
    assert other.instances == again.instances and other.vk_digest == again.vk_digest
    first_commitment = slice(0, 32)  # the blinded advice column's commitment
    assert other.transcript[first_commitment] != again.transcript[first_commitment]
    pipeline.verify(circuit, other, params)


@pytest.mark.parametrize("strategy", sorted(set(available()) - {"legacy"}))
@pytest.mark.parametrize("case", cases.LIBRARY)
def test_every_strategy_proves_legacys_bytes(case, strategy):
    legacy = cases.proof(case, "legacy", "shplonk")
    assert legacy.to_bytes() == cases.proof(case, strategy, "shplonk").to_bytes()


# (stress degree, lookups, expected e): the lookup argument alone has degree 4, so e = 2 only
# without lookups.
EXTENSIONS = [(3, 0, 2), (3, 1, 4), (4, 0, 4), (5, 2, 4), (6, 0, 8), (9, 1, 8)]


@pytest.mark.parametrize("degree, lookups, e", EXTENSIONS, ids=[f"d{d}-lookups{n}-e{e}" for d, n, e in EXTENSIONS])
def test_legacy_and_chunked_agree_for_each_extension(degree, lookups, e):
    circuit = cases.build("stress", 5, (f"degree={degree}", f"lookups={lookups}"))
    cs = configure(circuit)[0]
    assert EvaluationDomain(5, cs.degree()).e == e
    params = cases.params(5)
    multiopen = SCHEMES[degree % 2]
    chunked = pipeline.prove(circuit, params, "chunked", multiopen, seed=11).proof
    legacy = pipeline.prove(circuit, params, "legacy", multiopen, seed=11).proof
    assert legacy.transcript == chunked.transcript
    if (degree, lookups) == (9, 1):  # the one shape the round trips do not cover
        pipeline.verify(circuit, chunked, params)


class Corners(Circuit):
    """The protocol paths the library circuits leave out: a tuple lookup (θ-compression) and a
    lookup input at a rotation, fixed and instance columns queried at ±1, an advice query at −2,
    two instance columns, and a constants column in the permutation (d = 5, e = 4).

    Rows 0..10 hold a = x, b = x²; the gate on rows 2..9 says
    c = a·f[+1] + b[−1]·f[−1] + p[+1] + a[−2]; the lookups say (a, b) ∈ {(t, t²)} and a[+1] ∈ {t}
    on rows 0..9; a[0] is pinned to the constant 3 and c[9] is copied to the second instance column.
    """

    name = "corners"
    Params = CircuitParams
    XS = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]

    def public(self) -> list:
        return [5 * r + 1 for r in range(len(self.XS))]

    def c_values(self) -> list:
        xs, p = self.XS, self.public()
        f = [r + 3 for r in range(len(xs))]
        return [0, 0] + [xs[r] * f[r + 1] + xs[r - 1] ** 2 * f[r - 1] + p[r + 1] + xs[r - 2] for r in range(2, 10)]

    def instances(self) -> list:
        return [self.public(), [self.c_values()[9]]]

    def configure(self, cs):
        a, b, c = (cs.advice_column(n) for n in "abc")
        f, constants = cs.fixed_column("f"), cs.fixed_column("constants")
        p, out = cs.instance_column("p"), cs.instance_column("out")
        tx, tsq = cs.lookup_table_column("tx"), cs.lookup_table_column("tsq")
        q_gate, q_lookup = cs.selector("q_gate"), cs.complex_selector("q_lookup")
        cs.enable_constant(constants)
        cs.enable_equality(c)
        cs.enable_equality(out)
        cs.enable_equality(a)
        cs.create_gate("mix", lambda m: [m.query_selector(q_gate) * (
            m.query_advice(c) - m.query_advice(a) * m.query_fixed(f, 1)
            - m.query_advice(b, -1) * m.query_fixed(f, -1) - m.query_instance(p, 1) - m.query_advice(a, -2))])
        cs.lookup("square", lambda m: [(m.query_selector(q_lookup) * m.query_advice(a), tx),
                                       (m.query_selector(q_lookup) * m.query_advice(b), tsq)])
        cs.lookup("next", lambda m: [(m.query_selector(q_lookup) * m.query_advice(a, 1), tx)])
        return a, b, c, f, out, tx, tsq, q_gate, q_lookup

    def synthesize(self, config, layouter):
        a, b, c, f, out, tx, tsq, q_gate, q_lookup = config
        cs_values = self.c_values()

        def fill(region):
            for r, x in enumerate(self.XS):
                cell = region.assign_advice(f"a{r}", a, r, x)
                if r == 0:
                    region.constrain_constant(cell, 3)
                region.assign_advice(f"b{r}", b, r, x * x)
                region.assign_fixed(f"f{r}", f, r, r + 3)
                if r < 10:
                    region.enable_selector(q_lookup, r)
            last = None
            for r, value in enumerate(cs_values):
                last = region.assign_advice(f"c{r}", c, r, value)
                if r >= 2:
                    region.enable_selector(q_gate, r)
            return last

        last = layouter.assign_region("main", fill)
        layouter.constrain_instance(last, out, 0)

        def table(t):
            t.assign_column("x", tx, range(16))
            t.assign_column("x^2", tsq, [x * x for x in range(16)])

        layouter.assign_table("squares", table)


@pytest.mark.parametrize("multiopen", SCHEMES)
def test_corner_case_circuit_round_trip(multiopen):
    circuit = Corners(CircuitParams(k=5), {})
    cs = configure(circuit)[0]
    assert (cs.degree(), len(cs.instance_columns), len(cs.lookups[0].inputs)) == (5, 2, 2)
    params = cases.params(5)
    chunked = pipeline.prove(circuit, params, "chunked", multiopen, seed=5).proof
    legacy = pipeline.prove(circuit, params, "legacy", multiopen, seed=5).proof
    assert legacy.transcript == chunked.transcript
    pipeline.verify(circuit, chunked, params)


class DegreeTwo(Circuit):
    """a = 7 on row 0 under a degree-2 gate, and nothing else: the system still has degree 3."""

    name = "degree_two"
    Params = CircuitParams

    def configure(self, cs):
        a, q = cs.advice_column("a"), cs.selector("q")
        cs.create_gate("seven", lambda m: [m.query_selector(q) * (m.query_advice(a) - 7)])
        return a, q

    def synthesize(self, config, layouter):
        a, q = config

        def fill(region):
            region.enable_selector(q, 0)
            region.assign_advice("a", a, 0, 7)

        layouter.assign_region("seven", fill)


def test_constraints_below_the_system_degree_are_a_clear_error():
    """The top quotient piece is then zero and commits to the identity, which halo2's transcript
    refuses: a one-line input error, not a crash inside the transcript."""
    with pytest.raises(QuotientPieceAtInfinity, match="piece 1 of 2 is zero") as exc:
        pipeline.prove(DegreeTwo(CircuitParams(k=4), {}), cases.params(4), seed=1)
    assert exc.value.exit_code == 2


def test_a_proof_with_its_own_params_and_key_frees_what_only_the_quotient_and_before_read():
    """own_params / own_key: g_lagrange is dropped at the quotient, the key's l0, l_last, l_active
    and the twiddle tables once the strategy returns (memory the model no longer counts); the
    transcript is the one a prover keeping them writes, and it verifies."""
    from halo2py.arith.ntt import twiddle_cache_bytes
    from halo2py.frontend.circuit import synthesize
    from halo2py.plonk.keygen import keygen
    from halo2py.plonk.prover import create_proof
    from halo2py.quotient.registry import create
    from halo2py.randomness import UniformScalars, seeded_rng

    circuit, shared = cases.circuit("stress"), cases.params(cases.k_of("stress"))
    own = ParamsKZG(shared.k, shared.g.copy(), shared.g_lagrange.copy(), shared.g2, shared.s_g2)
    transcripts = []
    for params, owned in ((shared, False), (own, True)):
        synthesis = synthesize(circuit)
        pk = keygen(params, synthesis.compiled, synthesis.preprocessed, polys=not owned)
        transcripts.append(create_proof(params, pk, synthesis.witness, create("subcoset"), "shplonk",
                                        UniformScalars(seeded_rng(1, "t")), own_key=owned, own_params=owned))
        assert (pk.l0 is None and pk.l_last is None and pk.l_active is None) == owned
    assert own.g_lagrange is None and shared.g_lagrange is not None
    assert twiddle_cache_bytes() == 0
    assert transcripts[0] == transcripts[1]
    pipeline.verify(circuit, cases.proof("stress"), shared)  # the shared params still verify


def test_the_default_strategy_is_one_name_everywhere():
    """``DEFAULT_STRATEGY`` is what ``pipeline.prove`` and the CLI use when no strategy is named,
    and what their help says."""
    import inspect

    from halo2py.cli.prove import prove as prove_command
    from halo2py.cli.profile import profile as profile_command
    from halo2py.quotient.registry import DEFAULT_STRATEGY

    assert DEFAULT_STRATEGY in available()
    assert inspect.signature(pipeline.prove).parameters["strategy"].default == DEFAULT_STRATEGY
    for command in (prove_command, profile_command):
        option = inspect.signature(command).parameters["strategy"].default
        assert option.default is None and f"default: {DEFAULT_STRATEGY}" in option.help

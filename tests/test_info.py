"""``halo2py info``: every number against a value known independently — worked out by hand for
the plonk_api-shaped ``stress`` defaults and the two-phase ``shuffle`` (halo2's rules, halo2
vectors README §5.4), the proof size against real proofs' lengths (halo2py's, and Rust halo2's
in the shared vectors), the memory terms against docs/memory.md's worked example."""

import json

import pytest

import halo2_vectors as hv
import plonk_cases as cases
from halo2py.frontend.circuit import synthesize
from halo2py.plonk.container import SCHEMES
from halo2py.plonk.dialect import dialect as dialect_named
from halo2py.plonk.keygen import protocol_layout
from halo2py.profiling.cost import proof_size
from plonk_cases import run_main


def info_json(monkeypatch, capsys, *args) -> dict:
    code, out, err = run_main(monkeypatch, capsys, "info", *args, "--json")
    assert code == 0, err
    lines = out.strip().splitlines()
    assert len(lines) == 1  # one JSON object, nothing else on stdout
    return json.loads(lines[0])


def test_stress_defaults_shape(monkeypatch, capsys):
    c = info_json(monkeypatch, capsys, "stress")
    assert c["k"] == 8 and c["dialect"] == "pse" and c["floor_planner"] == "simple"
    cols = c["columns"]
    # plonk_api: advice a..e, fixed sf sm sa sb sc sp + table sl, instance p; 12 equality columns
    assert (cols["advice"], cols["fixed"], cols["table"], cols["instance"], cols["equality"]) == (5, 7, 1, 1, 12)
    assert cols["advice_by_phase"] == [5] and c["phases"] == 1
    # no selectors: plonk_api's "selectors" are fixed columns, so keygen adds none
    assert c["selectors"]["total"] == 0 and cols["selector_columns"] == 0 and cols["fixed_after_keygen"] == 7
    # gate: sf·d[+1]·e[−1] has degree 3, sp·(a − p) degree 2; the lookup max(4, 2 + 1 + 1) = 4
    assert [(g["name"], g["degree"]) for g in c["gates"]] == [("combined add-mult", 3), ("public input", 2)]
    assert [con["degree"] for g in c["gates"] for con in g["constraints"]] == [3, 2]
    assert c["gates"][1]["constraints"][0]["expression"] == "sp[0] * (a[0] - p[0])"
    assert [(lk["name"], lk["degree"], lk["inputs"], lk["tables"]) for lk in c["lookups"]] == \
        [("lookup 0", 4, ["a[0]"], ["sl[0]"])]
    assert c["shuffles"] == []
    # d = 4 ⇒ e = 4 (d − 1 = 3 rounded up to a power of two), extended_k = 8 + 2, 3 pieces
    assert (c["degree"], c["extension"], c["extended_k"], c["quotient_pieces"]) == (4, 4, 10, 3)
    # queries: a, b, c, d, e at 0 (equality and gate), d at +1, e at −1; 7 fixed at 0; p at 0
    q = c["queries"]
    assert (q["advice"]["count"], q["advice"]["rotations"], q["advice"]["columns"]) == (7, [-1, 0, 1], 5)
    assert (q["fixed"]["count"], q["fixed"]["rotations"]) == (7, [0])
    assert (q["instance"]["count"], q["instance"]["rotations"]) == (1, [0])
    # 12 equality columns in chunks of d − 2 = 2
    assert c["permutation"] == {"columns": 12, "chunk_length": 2, "sets": 6}


def test_stress_rows(monkeypatch, capsys):
    rows = info_json(monkeypatch, capsys, "stress", "--k", "8")["rows"]
    # bf = max(3, 2 queries of d or e) + 2 = 5; usable = 256 − 5 − 1 = 250; l_last at row 250
    assert (rows["n"], rows["blinding"], rows["usable"], rows["l_last_row"]) == (256, 5, 250, 250)
    # stress: row 0, then (250 − 2) // 2 = 124 pairs: 249 advice rows; the table fills all 250
    assert (rows["advice"], rows["fixed"], rows["used"]) == (249, 250, 250)
    assert rows["selectors"] == 0


def test_stress_proof_size_commitments_and_memory_by_hand(monkeypatch, capsys):
    c = info_json(monkeypatch, capsys, "stress")
    # points: 5 advice, A′ S′, 6 permutation products, Z, random, 3 pieces = 18, + multiopen
    # scalars: 7 advice + 7 fixed + 1 random + 12 σ + (3·6 − 1) + 5 lookup = 49
    # GWC opens at x, ωx, ω⁻¹x and ω^−(bf+1)x: 4 witnesses; SHPLONK 2
    assert c["proof_bytes"] == {"gwc": 32 * (18 + 4 + 49), "shplonk": 32 * (18 + 2 + 49)}
    cm = c["commitments"]
    assert cm["keygen"] == {"fixed": 7, "sigma": 12, "total": 19}
    assert sum(cm["prover"].values()) == 18 and cm["prover"]["quotient_pieces"] == 3
    assert cm["prover_total"] == {"gwc": 22, "shplonk": 20} and c["msm_points"] == 256
    # docs/memory.md: C = 37 polynomials; legacy (C + 1)·e·V + e/2·V (its size-e·n twiddles),
    # chunked (e + C + 2)·V, V = 32·n
    V = 32 * 256
    assert c["memory"]["legacy"]["quotient_strategy_bytes"] == 38 * 4 * V + 2 * V
    assert c["memory"]["chunked"]["quotient_strategy_bytes"] == (4 + 37 + 2) * V
    assert c["memory"]["legacy"]["peak_bytes"] > c["memory"]["chunked"]["peak_bytes"]


@pytest.mark.parametrize("case", cases.LIBRARY)
def test_proof_size_is_the_real_proofs_length(case, monkeypatch, capsys):
    """Every library circuit (its first test case), both schemes: info's bytes = the proof's."""
    spec, k, assignments = cases.CASES[case]
    params = [arg for text in assignments for arg in ("--param", text)]
    c = info_json(monkeypatch, capsys, spec, *([] if k is None else ["--k", str(k)]), *params)
    for scheme in SCHEMES:
        assert c["proof_bytes"][scheme] == len(cases.proof(case, "chunked", scheme).transcript)


def test_simple_example_rows_and_constants(monkeypatch, capsys):
    """README §4.1: a0 holds rows 0..8, s_mul is on rows 3, 5, 7, the constant 7 sits in f0[0]."""
    c = info_json(monkeypatch, capsys, "simple-example")
    rows = c["rows"]
    assert (rows["used"], rows["advice"], rows["selectors"], rows["fixed"]) == (9, 9, 8, 1)
    assert (c["columns"]["constants"], c["columns"]["equality"], c["permutation"]["sets"]) == (1, 4, 4)
    # s_mul alone in its column: f1; 4 equality columns in chunks of d − 2 = 1
    assert c["selectors"]["columns"] == 1 and c["columns"]["fixed_after_keygen"] == 2
    assert c["gates"][0]["constraints"][0]["expression"] == "s_mul * (a0[0] * a1[0] - a0[+1])"


def test_shuffle_two_phases_and_compressed_selectors(monkeypatch, capsys):
    c = info_json(monkeypatch, capsys, "shuffle")
    # phase 0: the two original and two shuffled columns; phase 1: z
    assert c["columns"]["advice_by_phase"] == [4, 1] and c["phases"] == 2 and c["challenges"] == 2
    sel = c["selectors"]
    assert (sel["total"], sel["simple"], sel["complex"]) == (3, 3, 0)
    # d = 3: q_shuffle (degree 3) fills a column alone; q_first, q_last (degree 2) share one
    assert sel["columns"] == 2 and c["columns"]["fixed_after_keygen"] == 2
    assert [(p["name"], p["column"], p["position"]) for p in sel["placement"]] == \
        [("q_shuffle", 0, 1), ("q_first", 1, 1), ("q_last", 1, 2)]
    # q_first·(1 − z) has degree 2, but q_first becomes f1·(2 − f1): degree 3 in the key
    assert [(con["degree"], con["keyed_degree"]) for g in c["gates"] for con in g["constraints"]] == \
        [(2, 3), (2, 3), (3, 3)]
    assert (c["degree"], c["extension"], c["extended_k"]) == (3, 2, 5)
    # one region: selectors and z on rows 0..8 (H = 8 rows and z's last)
    assert (c["rows"]["usable"], c["rows"]["used"], c["rows"]["advice"]) == (10, 9, 9)
    direct = info_json(monkeypatch, capsys, "shuffle", "--dialect", "scroll-v1.1")
    assert direct["selectors"]["columns"] == 3 and direct["selectors"]["compressed"] is False


VECTOR_CIRCUITS = {"simple": "simple-example", "simple_lookup": "simple-lookup", "shuffle": "shuffle",
                   "shuffle_api": "shuffle-api", "fibonacci1": "fibonacci1", "fibonacci2": "fibonacci2"}


@pytest.mark.parametrize("name", hv.case_names())
def test_proof_size_equals_rust_halo2s_proofs(name):
    """Rust (Scroll) halo2's proofs hold two circuit copies: the rule, with copies = 2, gives
    their exact lengths."""
    entry = next(c for c in hv.index()["cases"] if c["case"] == name)
    case = hv.load(name)
    dialect = dialect_named("scroll-v1.1" if entry["lookup_type"] == "log_derivative_halo2" else "scroll-legacy")
    circuit = cases.build(VECTOR_CIRCUITS[entry["circuit"]], entry["k"])
    synthesis = synthesize(circuit, witness=False, floor_planner=entry["floor_planner"])
    layout = protocol_layout(synthesis.compiled, synthesis.preprocessed, dialect)
    size = proof_size(layout, entry["scheme"], dialect, copies=case["num_circuits"])
    assert size["bytes"] == entry["proof_len"] == len(bytes.fromhex(case["proof"]))


def test_gwc_instance_queries_where_the_dialect_commits_instances():
    """§5.7 item 5: Scroll's GWC commits the instance columns (absorbed, not written) and writes
    one evaluation per instance query; fibonacci1 has one instance query, at rotation 0."""
    circuit = cases.build("fibonacci1", 4)
    synthesis = synthesize(circuit, witness=False)
    sizes = {}
    for name in ("pse", "scroll-legacy"):
        d = dialect_named(name)
        layout = protocol_layout(synthesis.compiled, synthesis.preprocessed, d)
        sizes[name] = {scheme: proof_size(layout, scheme, d)["bytes"] for scheme in SCHEMES}
    assert sizes["scroll-legacy"]["gwc"] == sizes["pse"]["gwc"] + 32
    assert sizes["scroll-legacy"]["shplonk"] == sizes["pse"]["shplonk"]


def test_log_derivative_proof_size_is_a_real_proofs(monkeypatch, capsys):
    import plonk_cases as cases
    from halo2py import pipeline

    c = info_json(monkeypatch, capsys, "simple-lookup", "--dialect", "scroll-v1.1")
    assert c["lookup_kind"] == "log-derivative"
    assert c["commitments"]["prover"]["lookup_permuted"] == 1  # m only (no A′, S′)
    circuit = cases.circuit("simple-lookup")
    for scheme in ("gwc", "shplonk"):
        proof = pipeline.prove(circuit, cases.params(cases.k_of("simple-lookup")), "chunked", scheme, seed=1,
                               dialect="scroll-v1.1").proof
        assert c["proof_bytes"][scheme] == len(proof.transcript)


def test_human_table_on_stdout(monkeypatch, capsys):
    code, out, err = run_main(monkeypatch, capsys, "info", "stress")
    assert code == 0
    assert "usable 250" in out and "e = 4" in out and "2208" in out and "2272" in out
    assert "combined add-mult" in out


@pytest.mark.parametrize("args, message", [
    (["info", "no-such-circuit"], "no-such-circuit"),
    (["info", "stress", "--param", "advice=2"], "advice must be at least 5"),
    (["info", "stress", "--param", "nope=1"], "no parameter 'nope'"),
    (["info", "stress", "--dialect", "halo3"], "unknown dialect 'halo3'"),
    (["info", "stress", "--floor-planner", "v9"], "v9"),
    (["info", "stress", "--k", "2"], "too small"),
    (["info", "stress", "--k", "40"], "k must be between"),
])
def test_bad_input_is_one_line_exit_2(args, message, monkeypatch, capsys):
    code, out, err = run_main(monkeypatch, capsys, *args)
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1

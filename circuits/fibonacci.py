"""Fibonacci: the public ``out`` is term number ``terms`` of the sequence that starts with the
public ``a``, ``b`` and continues f[i+2] = f[i+1] + f[i] (over Fr).

One advice column holds the whole sequence; one gate reads it at rotations 0, +1 and +2 under a
simple selector. The first two cells are copied from the instance column and the last cell is
constrained to the instance column's third row, so the proof binds exactly (a, b, out).
Private inputs (optional, JSON): ``a`` and ``b`` (default 1, 1); they also become public.
"""

from dataclasses import dataclass

from halo2py.errors import InputError
from halo2py.frontend.circuit import Circuit, CircuitParams, param


@dataclass
class FibonacciParams(CircuitParams):
    k: int = param(5, "log2 of the number of rows (n = 2^k)")
    terms: int = param(10, "how many terms to compute (>= 3); the last one is public")

    def __post_init__(self):
        super().__post_init__()
        if self.terms < 3:
            raise InputError(f"terms must be at least 3, got {self.terms}")
        self.require_rows("terms", self.terms)


@dataclass
class FibonacciConfig:
    f: object
    public: object
    s: object


class Fibonacci(Circuit):
    """Public (a, b, out) with out the n-th term of the Fibonacci-like sequence from a, b."""

    name = "fibonacci"
    test_cases = ((4, ()),)
    regress_cases = ((6, ()),)
    Params = FibonacciParams
    inputs_help = {"a": "first term (default 1)", "b": "second term (default 1)"}

    def sequence(self) -> list:
        a, b = self.input_int("a", 1), self.input_int("b", 1)
        terms = [a, b]
        while len(terms) < self.params.terms:
            terms.append(terms[-1] + terms[-2])
        return terms

    def instances(self) -> list:
        seq = self.sequence()
        return [[seq[0], seq[1], seq[-1]]]

    def configure(self, cs):
        f = cs.advice_column("f")
        public = cs.instance_column("public")
        s = cs.selector("s_fib")
        cs.enable_equality(f)
        cs.enable_equality(public)
        cs.create_gate("fibonacci", lambda meta: [
            ("f[i+2] = f[i+1] + f[i]",
             meta.query_selector(s) * (meta.query_advice(f, 0) + meta.query_advice(f, 1)
                                       - meta.query_advice(f, 2))),
        ])
        return FibonacciConfig(f, public, s)

    def synthesize(self, config, layouter):
        seq = self.sequence()

        def fill(region):
            region.assign_advice_from_instance("a", config.public, 0, config.f, 0)
            region.assign_advice_from_instance("b", config.public, 1, config.f, 1)
            last = None
            for i in range(2, len(seq)):
                region.enable_selector(config.s, i - 2)
                last = region.assign_advice(f"f{i}", config.f, i, seq[i])
            return last

        last = layouter.assign_region("fibonacci", fill)
        layouter.constrain_instance(last, config.public, 2)

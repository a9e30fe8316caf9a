"""``halo2py setup``: generate KZG params in halo2's file format from a local secret.

``--unsafe-secret S`` uses a known τ = S instead (halo2's ``unsafe_setup_with_s``): Rust halo2's
test vectors are made with S = 2, and matching params are what a byte-for-byte comparison needs.

Exit codes: 0 written; 2 bad input (k out of range, bad secret, unwritable output path).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

import typer

from halo2py.cli.console import emit_json, err, warn
from halo2py.cli.files import check_output

UNSAFE_SETUP_WARNING = (
    "UNSAFE: these params come from a secret generated in this process; whoever ran it could "
    "forge proofs. For production, use params from a public ceremony (e.g. perpetual powers of tau)."
)
UNSAFE_SECRET_WARNING = (
    "UNSAFE: --unsafe-secret makes the secret public; anyone can forge proofs against these params. "
    "Use them only to reproduce test vectors."
)


def setup(
    k: int = typer.Option(..., "--k", metavar="K",
                          help="log2 of the number of points (params serve circuits up to 2^k rows)."),
    out: Path = typer.Option(..., "--out", metavar="FILE",
                             help="Where to write the params file (halo2 RawBytes format)."),
    seed: Optional[int] = typer.Option(None, "--seed", metavar="N",
                                       help="UNSAFE: derive the secret from this seed (reproducible)."),
    secret: str | None = typer.Option(
        None, "--unsafe-secret", metavar="S",
        help="UNSAFE: use τ = S itself (decimal or 0x hex), as halo2's unsafe_setup_with_s."),
    as_json: bool = typer.Option(False, "--json", metavar="", help="Print one JSON object on stdout."),
):
    """Generate KZG params for 2^k rows (a toxic-waste setup: for development only)."""
    from halo2py.commitment.params import ParamsKZG, check_k, raw_size
    from halo2py.errors import InputError
    from halo2py.randomness import UNSAFE_SEED_WARNING, os_rng, seeded_rng

    if seed is not None and secret is not None:
        raise InputError("--seed and --unsafe-secret are exclusive: the secret is either drawn or given")
    check_k(k)
    check_output(out, "params file")
    tau = None if secret is None else _parse_secret(secret)
    warn(UNSAFE_SETUP_WARNING if secret is None else UNSAFE_SECRET_WARNING)  # after the checks: a typo alone
    if seed is not None:
        warn(UNSAFE_SEED_WARNING)
    t0 = time.perf_counter()
    if tau is not None:
        params = ParamsKZG.setup_with_secret(k, tau)
    else:
        params = ParamsKZG.setup(k, os_rng() if seed is None else seeded_rng(seed, "setup"))
    t1 = time.perf_counter()
    params.write(out)
    t2 = time.perf_counter()
    if as_json:
        emit_json({"k": k, "out": str(out), "bytes": raw_size(k), "seeded": seed is not None,
                   "known_secret": secret is not None,
                   "setup_seconds": round(t1 - t0, 3), "write_seconds": round(t2 - t1, 3)})
    else:
        err.print(f"wrote {out}: k = {k}, {raw_size(k):,} bytes; setup {t1 - t0:.2f} s, "
                  f"write {t2 - t1:.2f} s", highlight=False, soft_wrap=True)


def _parse_secret(text: str) -> int:
    """A decimal or 0x-prefixed hexadecimal integer."""
    from halo2py.errors import InputError

    try:
        return int(text, 16) if text.strip().lower().startswith("0x") else int(text, 10)
    except ValueError:
        raise InputError(f"--unsafe-secret must be a decimal or 0x-hex integer, got {text!r}") from None


def register(app: typer.Typer) -> None:
    app.command("setup")(setup)

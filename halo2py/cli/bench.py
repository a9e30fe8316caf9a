"""``halo2py bench ...``: micro-benchmarks of the kernels (one subcommand per primitive)."""

import typer

app = typer.Typer(help="Benchmark kernels: medians over repeated runs.", no_args_is_help=True)

"""Compile the plonk-layer kernels the tiny proof of ``halo2py.pipeline.warm`` does not reach:
halo2's merge-and-swap cycle store (keygen for halo2-identical σ)."""

from halo2py.plonk.permutation import halo2_cycle_store


def warm() -> None:
    halo2_cycle_store([((0, 0), (1, 1)), ((1, 1), (0, 2))], columns=2, n=4)

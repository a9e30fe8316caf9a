"""The PLONK protocol layer: keygen, prover, verifier, one module per argument (halo2's plonk/)."""

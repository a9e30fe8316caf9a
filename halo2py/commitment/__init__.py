"""KZG polynomial commitments on BN254: params (halo2's file format), commit/open/verify, multiopen."""

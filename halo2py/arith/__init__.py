"""Finite-field and NTT kernels. Imports nothing else of halo2py's (bottom layer)."""

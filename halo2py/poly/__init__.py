"""Polynomials over Fr: evaluation domains and coefficient-vector helpers."""

"""Per-phase time and memory of a proof, and the analytic memory model."""

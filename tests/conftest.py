"""Shared pytest configuration: a hypothesis profile tuned for JIT-compiled kernels."""

from hypothesis import HealthCheck, settings

settings.register_profile(
    "halo2py",
    max_examples=60,
    deadline=None,  # the first call of a kernel may load it from Numba's cache
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("halo2py")

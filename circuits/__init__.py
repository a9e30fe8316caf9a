"""Library circuits registered in the ``halo2py.circuits`` entry-point group (see pyproject.toml)."""

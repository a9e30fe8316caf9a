"""The ``halo2py`` command line: wiring only; the work lives in the library layers below."""

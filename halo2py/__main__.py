"""``python -m halo2py``: the same command line as the ``halo2py`` script."""

from halo2py.cli.app import main

main()

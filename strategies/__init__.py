"""halo2py's built-in quotient strategies; each module is one strategy, registered by entry point."""

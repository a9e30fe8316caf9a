"""Circuit frontend: expressions, the constraint system, the layouter, circuit loading, MockProver."""

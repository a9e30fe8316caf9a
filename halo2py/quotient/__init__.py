"""The quotient step every strategy shares: the compiled constraint program and its evaluation kernel."""

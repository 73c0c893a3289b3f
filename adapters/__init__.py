"""Channel adapters: each verifies, parses and renders for one chat platform."""

"""Records of the exchange app (import jobs, external identifiers)."""

"""The DRF toolkit every case machine's API is built from: fields, serializer parts,
pagination, filters, error responses and the one exception handler, expiring tokens,
the directory's read-only endpoints, and `moves.MoveActions`, which maps each move of
a registry to its service as a POST action."""

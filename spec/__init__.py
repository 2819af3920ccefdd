"""Shape and caching invariants as executable contracts: data that runs on every call."""

"""Running an implementation under test: loading it, calling it safely, reading its convention,
running the registry of checks over it, and reporting the verdict."""

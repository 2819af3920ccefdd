"""Part of the corpus: see impl/__init__.py."""

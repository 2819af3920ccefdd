"""The corpus's own upkeep: the copy of each reference beside its mutants and variants (there,
because a submission's worker sees only its own folder) is the reference itself."""

from __future__ import annotations

import pytest

from tests.corpus import ROOT

CELL_FOLDERS = [ROOT / "impl"] + sorted(p.parent for p in ROOT.glob("impl/*/mutants"))


@pytest.mark.parametrize("folder", CELL_FOLDERS, ids=lambda p: str(p.relative_to(ROOT)))
@pytest.mark.parametrize("kind", ["mutants", "variants"])
def test_the_reference_beside_the_corpus_is_the_reference(folder, kind):
    copy, original = folder / kind / "reference.py", folder / "reference.py"
    assert copy.read_bytes() == original.read_bytes(), (
        f"{copy.relative_to(ROOT)} differs from {original.relative_to(ROOT)}: copy it again")
    helper = folder / kind / "variant.py"
    assert helper.read_bytes() == (ROOT / "impl" / "mutants" / "variant.py").read_bytes()

"""Write data/reference/english_not_places.txt: English words (and their regular inflections)
whose consonant skeleton matches a place of the gazetteer, so that "Thirty" at the start of a
sentence is not Thawra (Tabqa) and "Brutal" in a title is not Bartella. Exact names are
unaffected: only the inexact (skeleton) match is refused for these words.

The word list is Webster's Second International (public domain) from the `english-words`
package, with British spellings made from it (center -> centre); the package is needed only here:
    .venv/bin/pip install english-words && .venv/bin/python scripts/make_english_not_places.py
Run it again after the gazetteer gains places (curated rows, GeoNames version).
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from english_words import get_english_words_set  # noqa: E402

from etl.places import load_gazetteer  # noqa: E402

OUT = ROOT / "data" / "reference" / "english_not_places.txt"


def british(word: str) -> set[str]:
    """British spellings of an American word: center -> centre, labor -> labour, defense -> defence."""
    out = set()
    if word.endswith("er") and len(word) > 4:
        out.add(word[:-2] + "re")
    if word.endswith("or") and len(word) > 4:
        out.add(word[:-2] + "our")
    if word.endswith(("ize", "yze")):
        out.add(word[:-2] + "se")
    if word.endswith("ense"):
        out.add(word[:-3] + "nce")
    return out


def inflections(word: str) -> set[str]:
    forms = {word, word + "s", word + "es", word + "ed", word + "d", word + "ing", word + "er", word + "ly"}
    if word.endswith("y"):
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    if word.endswith("e"):
        forms.add(word[:-1] + "ing")
    return forms


def main() -> None:
    gaz = load_gazetteer(ROOT / "data" / "reference", with_imports=False)
    gaz.english_words = frozenset()  # judge every word against the plain gazetteer
    words = {f for w in get_english_words_set(["web2"], lower=True, alpha=True) if len(w) >= 3
             for b in {w} | british(w) for f in inflections(b) if len(f) >= 4}
    clashes = sorted(w for w in words if (hit := gaz.candidates(w.capitalize()))[0] and hit[1])
    OUT.write_text("# English words whose consonants match a place name (scripts/make_english_not_places.py;\n"
                   "# words from Webster's Second International, public domain). One per line.\n"
                   + "\n".join(clashes) + "\n", encoding="utf-8")
    print(f"{len(clashes)} words -> {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

"""Write a Simplified replacement the way the page itself writes Simplified text.

Spun pages are usually Traditional, made by a naive character converter that
leaves some characters as they were (``干部``, ``并``, ``示范``).  A replacement is
therefore rendered character by character:

1. as the page itself renders that character elsewhere (its own evidence);
2. else, for a character with one Traditional form, that form;
3. else, for the one-to-many characters such converters were seen to leave alone
   (干, 并, 范, 后, 斗, 余: ``干部``, ``并且``, ``示范``, ``成立后``), the character as is;
4. else the form OpenCC's phrase conversion of the whole replacement picks
   (发→發, 广→廣, 系→繫 in 联系).
"""

from __future__ import annotations

import os
from collections import Counter
from functools import cache

from cleannews.script import ScriptView, render

#: one-to-many characters that naive converters observed on real pages leave Simplified.
KEPT_AS_IS = frozenset("干并范后斗余")


@cache
def _st_candidates() -> dict[str, tuple[str, ...]]:
    import opencc

    path = os.path.join(os.path.dirname(opencc.__file__), "dictionary", "STCharacters.txt")
    table: dict[str, tuple[str, ...]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            key, _, values = line.rstrip("\n").partition("\t")
            if len(key) == 1 and values:
                table[key] = tuple(values.split(" "))
    return table


def page_char_map(view: ScriptView) -> dict[str, str]:
    """Simplified char → the Traditional form this page uses most for it."""
    seen: dict[str, Counter] = {}
    for t, s in zip(view.text, view.simplified, strict=True):
        if t != s:
            seen.setdefault(s, Counter())[t] += 1
    return {s: c.most_common(1)[0][0] for s, c in seen.items()}


def render_like_page(simplified: str, view: ScriptView, page_map: dict[str, str]) -> str:
    if view.script == "Hans":
        return simplified
    candidates = _st_candidates()
    phrase = render(simplified, "Hant")
    out = []
    for i, ch in enumerate(simplified):
        if ch in page_map:
            out.append(page_map[ch])
            continue
        forms = candidates.get(ch)
        if not forms:
            out.append(ch)
        elif len(forms) == 1:
            out.append(forms[0])
        elif ch in KEPT_AS_IS:
            out.append(ch)
        elif len(phrase) == len(simplified):
            out.append(phrase[i])
        else:
            out.append(forms[0])
    return "".join(out)

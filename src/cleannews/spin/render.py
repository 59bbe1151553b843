"""Write a Simplified replacement the way the page itself writes Simplified text.

Spun pages are usually Traditional, made by a naive character converter that
leaves some characters as they were (``干部``, ``并``, ``示范``).  A replacement is
therefore rendered character by character:

1. as the page itself renders that character elsewhere (its own evidence);
2. else, for a character with one Traditional form, that form;
3. else, for the one-to-many characters such converters were seen to leave alone
   (干, 并, 范, 后, 斗, 余: ``干部``, ``并且``, ``示范``, ``成立后``), the character as is;
4. else the form OpenCC's phrase conversion of the whole replacement picks
   (发→發, 广→廣, 系→繫 in 联系), except a few rare variants it over-uses
   (:data:`PHRASE_OVERREACH`: 娘家人 stays 娘家人, not 孃家人).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from cleannews.script import ScriptView, char_candidates, code_points, render

#: one-to-many characters that naive converters observed on real pages leave Simplified.
KEPT_AS_IS = frozenset("干并范后斗余")
#: rare variants OpenCC's phrase tables pick where Traditional news writes the common form
#: (娘家人 → 孃家人, 考核 → 考覈, 刚才 → 剛纔); the common form is written instead.
PHRASE_OVERREACH = {"孃": "娘", "覈": "核", "纔": "才"}


def page_char_map(view: ScriptView) -> dict[str, str]:
    """Simplified char → the Traditional form this page uses most for it.

    Ties go to the form the page uses first.  A form of a one-to-many character
    counts only when the page writes it in more than one word, i.e. with at least
    two different characters on each side: a phrase converter writes 晋升 as
    ``晉陞`` and 念书 as ``唸書`` while writing 提升 and 纪念 as ``提升`` and
    ``紀念``, so a form seen in one word only says nothing about other words.
    The (text, view) character pairs are counted on code point arrays; only the
    distinct pairs are looked at in Python.
    """
    if view.text == view.simplified:
        return {}
    candidates = char_candidates("STCharacters.txt")
    best: dict[str, tuple[str, int]] = {}
    for (t, s), n in _differing_pairs(view.text, view.simplified):
        if s not in best or n > best[s][1]:
            best[s] = (t, n)
    return {s: t for s, (t, _) in best.items()
            if len(candidates.get(s, ())) < 2 or _in_several_words(view.text, t)}


def _differing_pairs(text: str, simplified: str) -> list[tuple[tuple[str, str], int]]:
    """((text char, view char), occurrences) of the positions where the two differ, in the
    order the pairs first occur (as ``Counter(zip(text, simplified))`` lists them).

    The positions and the counting are done on code point arrays, so only the page's few
    distinct pairs are looked at in Python.
    """
    if len(text) != len(simplified):
        raise ValueError("a script view has the length of its text")
    if not text:
        return []
    t = code_points(text).astype(np.uint64)
    s = code_points(simplified).astype(np.uint64)
    differ = t != s
    codes = (t[differ] << np.uint64(21)) | s[differ]
    uniq, first, counts = np.unique(codes, return_index=True, return_counts=True)
    order = np.argsort(first, kind="stable")
    low = (1 << 21) - 1
    return [((chr(c >> 21), chr(c & low)), n) for c, n in zip(uniq[order].tolist(), counts[order].tolist(),
                                                              strict=True)]


def _in_several_words(text: str, form: str) -> bool:
    """Whether ``form`` occurs with two different left and two different right neighbours."""
    lefts: set[str] = set()
    rights: set[str] = set()
    i = text.find(form)
    while i >= 0 and (len(lefts) < 2 or len(rights) < 2):
        lefts.add(text[i - 1 : i])
        rights.add(text[i + 1 : i + 2])
        i = text.find(form, i + 1)
    return len(lefts) >= 2 and len(rights) >= 2


@lru_cache(maxsize=65_536)
def _phrase_hant(simplified: str) -> str:
    """OpenCC's phrase-level rendering of a replacement (the same few originals recur on every page)."""
    return render(simplified, "Hant")


def render_like_page(simplified: str, view: ScriptView, page_map: dict[str, str]) -> str:
    if view.script == "Hans":
        return simplified
    candidates = char_candidates("STCharacters.txt")
    phrase = _phrase_hant(simplified)
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
            out.append(PHRASE_OVERREACH.get(phrase[i], phrase[i]))
        else:
            out.append(forms[0])
    return "".join(out)

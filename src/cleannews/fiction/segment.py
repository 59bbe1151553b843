"""Two-state segmentation (news / inserted fiction) of a per-character LLR signal.

The model: each character is either news or fiction; a fiction character earns
``e_i = llr_i - bias`` (fiction-vs-news log-likelihood ratio minus a prior), and
every switch of state costs ``switch`` nats.  The Viterbi recurrence of this
two-state HMM collapses to one scalar, ``D_i = V_F(i) - V_N(i)``:

    D_i = clip(D_{i-1}, -switch, +switch) + e_i

which a short Python loop runs.  To keep the filter fast it only runs on windows
that can hold a fiction span at all: a span pays two switches, so it needs a
segment with ``sum(e) > 2·switch``; the best segment ending at each position is
``P_j - min_{k<=j} P_k`` over the prefix sums ``P`` (Kadane), which numpy computes
for the whole text at once.  Clean text usually has no such segment and costs a
few vector operations.
"""

from __future__ import annotations

import numpy as np

#: context added on each side of a candidate window before decoding it.
MARGIN = 48


def best_segments(e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sum of the best segment of ``e`` ending at each position, and where it starts (Kadane)."""
    prefix = np.concatenate([[0.0], np.cumsum(e)])
    run_min = np.minimum.accumulate(prefix[:-1])
    best_end = prefix[1:] - run_min
    # start of the best segment ending at each position: where the running minimum was set
    at_min = np.maximum.accumulate(np.where(prefix[:-1] == run_min, np.arange(len(e)), 0))
    return best_end, at_min


def candidate_windows(e: np.ndarray, switch: float,
                      best: tuple[np.ndarray, np.ndarray] | None = None) -> list[tuple[int, int]]:
    """Merged windows ``[a, b)`` that may contain a segment with ``sum(e) > 2·switch``
    (``best``: :func:`best_segments` of ``e`` if already computed)."""
    if len(e) == 0:
        return []
    best_end, at_min = best_segments(e) if best is None else best
    ends = np.flatnonzero(best_end > 2 * switch)
    if len(ends) == 0:
        return []
    # both ends of these windows grow with ``end``, so overlapping ones are neighbours
    a = np.maximum(0, at_min[ends] - MARGIN)
    b = np.minimum(len(e), ends + 1 + MARGIN)
    first = np.flatnonzero(np.concatenate([[True], a[1:] > b[:-1]]))
    last = np.concatenate([first[1:] - 1, [len(ends) - 1]])
    return list(zip(a[first].tolist(), b[last].tolist(), strict=True))


def viterbi_spans(e: np.ndarray, switch: float) -> list[tuple[int, int]]:
    """Fiction spans ``[s, t)`` of the best two-state labelling of ``e``.

    Both ends of the window are taken to be news (a span pays two switches).
    """
    n = len(e)
    d = []  # a list: the loops below read it item by item, which numpy scalars make slow
    append = d.append
    low = -switch
    prev = low  # start in the news state: D = V_F - V_N = -switch
    for x in e.tolist():
        prev = (switch if prev > switch else low if prev < low else prev) + x
        append(prev)
    # end in news: last state is fiction only if that beats switching back
    spans: list[tuple[int, int]] = []
    state_f = d[n - 1] - switch > 0
    end = n if state_f else -1
    for i in range(n - 1, 0, -1):
        if state_f:
            if d[i - 1] < -switch:  # came from news
                spans.append((i, end))
                state_f = False
        elif d[i - 1] > switch:  # came from fiction
            state_f = True
            end = i
    if state_f:
        spans.append((0, end))
    spans.reverse()
    return spans


def find_spans(e: np.ndarray, switch: float,
               best: tuple[np.ndarray, np.ndarray] | None = None) -> list[tuple[int, int]]:
    """All fiction spans of ``e`` (prescreened windows, Viterbi inside each); ``best`` is
    :func:`best_segments` of ``e`` if already computed (several switch costs, one text)."""
    out: list[tuple[int, int]] = []
    for a, b in candidate_windows(e, switch, best):
        out.extend((a + s, a + t) for s, t in viterbi_spans(e[a:b], switch))
    return out

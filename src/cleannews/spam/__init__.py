"""Spam terms: the term list, the per-occurrence judgement (:mod:`.detect`) and page support
(:mod:`.support`).  The ``spam`` filter (:mod:`cleannews.filters.spam`) wires them into the pipeline."""

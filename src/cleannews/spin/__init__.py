"""De-spinning: the spin lexicon, the candidate scanner and the context model.

A word spinner swaps words for near-synonyms from a fixed dictionary (通过→经由过程,
工作→任务) and characters inside words (大会→年夜会).  :mod:`.lexicon` loads that
dictionary and scans a text for spun forms with one compiled regex;
:mod:`.context` holds counts learned from clean news that tell, for one slot,
how well the original vs. the spun form fits the neighbouring characters;
:mod:`.decide` turns both into restorations.  The ``spinning`` filter wires them
into the pipeline.
"""

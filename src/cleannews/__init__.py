"""cleannews: repair scraped Chinese news (spam terms, word spinning, inserted fiction).

>>> from cleannews import clean
>>> result = clean("內蒙古自包養治區")
>>> result.cleaned
'內蒙古自治區'

Every change is an :class:`~cleannews.edits.Edit` with its filter, input position,
reason and confidence; ``result.edits`` applied to the input give ``result.cleaned``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cleannews.edits import Edit, apply_edits
from cleannews.pipeline import Context, Filter, Pipeline, Result

__version__ = "0.1.0"

__all__ = ["Context", "Edit", "Filter", "Pipeline", "Result", "__version__", "apply_edits", "clean"]

def clean(text: str, filters: Sequence[str] | None = None, **options: Any) -> Result:
    """Clean one document with the named filters (default: all built-ins).

    Unknown options raise :class:`TypeError`.  The pipeline is built once per choice of
    filters and options and kept by the process-wide :class:`~cleannews.resources.Resources`.
    """
    from cleannews.resources import Resources

    if not isinstance(text, str):
        raise TypeError(f"clean() needs str, not {type(text).__name__} (decode bytes first, e.g. "
                        "cleannews.io.decode_bytes or bytes.decode('utf-8'))")
    return Resources.default().pipeline(filters, options).run(text)

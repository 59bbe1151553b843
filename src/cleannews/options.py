"""Typed filter options: each filter declares its options as a dataclass (``Options``).

``clean(text, fiction_threshold=5.0)`` and ``Pipeline(filters, options)`` take options
by name; a name no filter declares is an error rather than silently ignored (a typo
such as ``fiction_treshold`` would otherwise leave the default in force).  Options of
a built-in filter that is not in the pipeline are accepted and unused, so one set of
options serves any choice of filters (``--filters spam --fiction-threshold 5``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any


def declared_options(filters: Iterable[Any]) -> dict[str, type]:
    """Option name → the ``Options`` dataclass declaring it, over ``filters`` and the built-ins."""
    from cleannews.registry import builtin_classes

    out: dict[str, type] = {}
    for filt in [*builtin_classes(), *filters]:
        options_type = getattr(filt, "Options", None)
        if options_type is not None and dataclasses.is_dataclass(options_type):
            for f in dataclasses.fields(options_type):
                out.setdefault(f.name, options_type)
    return out


def validate_options(options: dict[str, Any], filters: Iterable[Any]) -> dict[str, Any]:
    """``options`` if every name is declared and every value builds its ``Options``; else TypeError."""
    if not options:
        return options
    known = declared_options(filters)
    unknown = sorted(set(options) - set(known))
    if unknown:
        known_names = ", ".join(sorted(known)) or "none"
        raise TypeError(f"unknown option(s): {', '.join(unknown)} (known: {known_names})")
    for options_type in set(known.values()):
        names = {f.name for f in dataclasses.fields(options_type)}
        options_type(**{k: v for k, v in options.items() if k in names})  # runs its own checks
    return options

"""Which filters exist: the built-ins plus the ``cleannews.filters`` entry points.

A third-party package adds a filter by declaring, in its ``pyproject.toml``::

    [project.entry-points."cleannews.filters"]
    myfilter = "mypackage.filters:MyFilter"

The object named there is a class (or factory) called without arguments that
returns an object following :class:`cleannews.pipeline.Filter`.  Built-in
filters are declared the same way in cleannews' own ``pyproject.toml``; the table
below is the fallback for running from a source tree that is not installed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from importlib import import_module
from importlib.metadata import entry_points

from cleannews.pipeline import Filter

GROUP = "cleannews.filters"

#: built-in filters in pipeline order (spam splits words, so it runs first).
BUILTIN: dict[str, str] = {
    "spam": "cleannews.filters.spam:SpamFilter",
    "spinning": "cleannews.filters.spinning:SpinningFilter",
    "fiction": "cleannews.filters.fiction:FictionFilter",
}

#: filters run when the user names none.
DEFAULT_FILTERS: tuple[str, ...] = tuple(BUILTIN)


class UnknownFilterError(LookupError):
    """A filter name that neither the built-ins nor an entry point provides."""


def _load(target: str) -> Callable[[], Filter]:
    module, _, attr = target.partition(":")
    return getattr(import_module(module), attr)


@cache
def available() -> dict[str, str]:
    """Filter name → ``module:attr`` for every known filter (built-ins first)."""
    found = dict(BUILTIN)
    for ep in entry_points(group=GROUP):
        found.setdefault(ep.name, ep.value)
    return found


def create(name: str) -> Filter:
    """Instantiate the filter called ``name``."""
    targets = available()
    if name not in targets:
        known = ", ".join(targets)
        raise UnknownFilterError(f"unknown filter '{name}' (known: {known})")
    return _load(targets[name])()


def create_many(names: Sequence[str] | None = None) -> list[Filter]:
    """Instantiate filters by name, in the canonical order for built-ins."""
    chosen = list(names) if names else list(DEFAULT_FILTERS)
    order = {n: i for i, n in enumerate(available())}
    for name in chosen:
        if name not in order:
            create(name)  # raises UnknownFilterError with the list of known names
    return [create(n) for n in sorted(dict.fromkeys(chosen), key=order.__getitem__)]


def builtin_classes() -> list[type]:
    """The built-in filter classes (for their declarations: options, evidence)."""
    return [_load(target) for target in BUILTIN.values()]


def describe() -> list[tuple[str, str, str]]:
    """(name, description, origin) of every filter, for ``cleannews filters``."""
    rows = []
    for name, target in available().items():
        filt = create(name)
        origin = "built-in" if name in BUILTIN else f"plugin ({target})"
        rows.append((name, filt.description, origin))
    return rows

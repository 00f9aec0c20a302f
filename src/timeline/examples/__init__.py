"""Example timelines that ship with the library: ``timeline.example("sco")``."""

from __future__ import annotations

from ..errors import FormatError
from ..timelines import Timeline

__all__ = ["example", "example_names"]

_DESCRIPTIONS = {
    "sco": "The Shanghai Cooperation Organisation: founding, charter, accessions and 25 summits, "
    "every event with its source.",
}


def example_names() -> dict[str, str]:
    """The name and a one-line description of every example."""
    return dict(_DESCRIPTIONS)


def example(name: str) -> Timeline:
    """Load a built-in example timeline by name.

    >>> t = example("sco")
    >>> from timeline import members_at
    >>> len(t), members_at(t, "SCO", "2024-07-04")[:3]
    (33, ('BY', 'CN', 'IN'))
    """
    if name not in _DESCRIPTIONS:
        raise FormatError(f"no example {name!r}; the examples are: {', '.join(_DESCRIPTIONS)}")
    import importlib.resources

    from ..files import loads

    text = importlib.resources.files(__name__).joinpath(f"{name}.json").read_text("utf-8")
    return loads(text, "json")

"""The warnings of what TimelineJS cannot hold, which the SCO example and
the sample timeline give on every export: tests that check that an export
gives no other warning let these through."""

from __future__ import annotations

import warnings

from timeline import ExportWarning

LOSSES = (
    r"(\d[\d,]* (events? ha(s|ve) (tags|a repetition)|sources? ha(s|ve) an access date)"
    r"|the translations into )"
)


def allow_losses() -> None:
    """Inside ``warnings.catch_warnings()``, after ``simplefilter("error")``:
    let the warnings about what TimelineJS cannot hold through, silently."""
    warnings.filterwarnings("ignore", LOSSES, ExportWarning)

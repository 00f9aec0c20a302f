"""Moved to :mod:`timeline.document` (issue 14); removed once every importer uses it."""

from .document import *  # noqa: F403
from .document import __all__  # noqa: F401

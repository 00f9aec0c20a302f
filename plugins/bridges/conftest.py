"""The bridges' tests need both plugins installed, found through their entry
points as a user has them: without either, they fail at once and say how to
install it (they are never skipped)."""

from __future__ import annotations

import importlib.metadata

import pytest

NEEDED = ("timeline-timelinejs", "timeline-markwhen")


def pytest_configure(config: pytest.Config) -> None:
    missing = []
    for distribution in NEEDED:
        try:
            importlib.metadata.distribution(distribution)
        except importlib.metadata.PackageNotFoundError:
            missing.append(distribution)
    if missing:
        installs = " ".join(f'-e "plugins/{name}[test]"' for name in missing)
        raise pytest.UsageError(
            f"the bridges need {' and '.join(missing)}: from the repository's root, "
            f"pip install {installs}"
        )

"""The kinds of an organisation's history, a default plugin registered like
anyone's: :class:`Founding`, :class:`Accession`, :class:`Summit`, and
:func:`members_at`. See ``docs/model.md``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, ClassVar

import attrs

from .. import validators as v
from ..dates import Date, DateLike
from ..hookspecs import hookimpl
from ..initialisers import quick_init
from ..locales import N_
from ..model import Event, label
from ..timelines import Timeline

__all__ = ["Accession", "Founding", "MeetingFormat", "Status", "Summit", "members_at"]


class _Choice(enum.StrEnum):
    """A choice written in data with hyphens and in prose with spaces."""

    @property
    def words(self) -> str:
        """The value as prose: ``dialogue partner``, ``in person``."""
        return self.value.replace("-", " ")


# The words of the choices and the names of the kinds, for pybabel to find:
# formats translate them with timeline.words.translate.
_WORDS = (
    N_("member"), N_("observer"), N_("dialogue partner"),
    N_("in person"), N_("virtual"), N_("hybrid"),
    N_("Founding"), N_("Accession"), N_("Summit"),
)  # fmt: skip


class Status(_Choice):
    """What an accession makes a state."""

    MEMBER = "member"
    OBSERVER = "observer"
    DIALOGUE_PARTNER = "dialogue-partner"


class MeetingFormat(_Choice):
    """How a summit met, or the meeting at which a state joined."""

    IN_PERSON = "in-person"
    VIRTUAL = "virtual"
    HYBRID = "hybrid"


def _to_status(value: Any) -> Any:
    return v.to_enum(Status, value)


def _to_meeting_format(value: Any) -> Any:
    return v.to_enum(MeetingFormat, value)


_to_status.enum = Status  # type: ignore[attr-defined]  # what it keeps, for quick_init
_to_meeting_format.enum = MeetingFormat  # type: ignore[attr-defined]


@quick_init
@attrs.frozen(kw_only=True)
class Founding(Event):
    """The founding of an organisation, with its founding members."""

    kind: ClassVar[str] = "founding"
    anniversary: ClassVar[bool] = True

    organisation: str = attrs.field(validator=v.required_line, metadata=label("Organisation"))
    members: tuple[str, ...] = attrs.field(
        default=(),
        converter=v.to_parties,
        validator=v.parties,
        metadata=label("Founding members"),
    )

    def parties(self) -> frozenset[str]:
        return super().parties() | frozenset(self.members)


@quick_init
@attrs.frozen(kw_only=True)
class Accession(Event):
    """A state joining an organisation, as a member, observer or dialogue
    partner; ``format`` is how the meeting that admitted it met."""

    kind: ClassVar[str] = "accession"
    anniversary: ClassVar[bool] = True

    organisation: str = attrs.field(validator=v.required_line, metadata=label("Organisation"))
    member: str = attrs.field(converter=v.to_party, validator=v.party, metadata=label("Member"))
    status: Status = attrs.field(
        default=Status.MEMBER,
        converter=_to_status,
        validator=v.member_of(Status),
        metadata=label("Status"),
    )
    format: MeetingFormat = attrs.field(
        default=MeetingFormat.IN_PERSON,
        converter=_to_meeting_format,
        validator=v.member_of(MeetingFormat),
        metadata=label("Format"),
    )

    @property
    def online(self) -> bool:
        """Admitted at a meeting held online (Iran, at the virtual summit of 2023)."""
        return self.format is MeetingFormat.VIRTUAL

    def parties(self) -> frozenset[str]:
        return super().parties() | {self.member}


@quick_init
@attrs.frozen(kw_only=True)
class Summit(Event):
    """A meeting of an organisation's leaders, with its host and format."""

    kind: ClassVar[str] = "summit"

    organisation: str = attrs.field(validator=v.required_line, metadata=label("Organisation"))
    host: str | None = attrs.field(
        default=None, converter=v.to_party, validator=v.optional_party, metadata=label("Host")
    )
    participants: tuple[str, ...] = attrs.field(
        default=(), converter=v.to_parties, validator=v.parties, metadata=label("Participants")
    )
    format: MeetingFormat = attrs.field(
        default=MeetingFormat.IN_PERSON,
        converter=_to_meeting_format,
        validator=v.member_of(MeetingFormat),
        metadata=label("Format"),
    )

    @property
    def online(self) -> bool:
        """Held online: a virtual summit (a hybrid one still has a venue)."""
        return self.format is MeetingFormat.VIRTUAL

    def parties(self) -> frozenset[str]:
        hosts = frozenset() if self.host is None else frozenset((self.host,))
        return super().parties() | hosts | frozenset(self.participants)


def members_at(timeline: Timeline, organisation: str, date: DateLike) -> tuple[str, ...]:
    """The members of ``organisation`` at ``date`` in ``timeline``, sorted.

    Founding events give the founding members and accessions with status
    ``member`` add one each. An event counts once its date has certainly
    come: its last day is on or before the last day of ``date``. So a state
    is a member from the day of its accession, and ``members_at(t, org,
    "2017")`` gives the members at the end of 2017.
    """
    last = Date.coerce(date).last_day_number()
    members: set[str] = set()
    for event in timeline.events:
        if event.start.first_day_number() > last:
            break  # events are in order of their first day
        if event.start.last_day_number() > last:
            continue
        if isinstance(event, Founding) and event.organisation == organisation:
            members.update(event.members)
        elif (
            isinstance(event, Accession)
            and event.organisation == organisation
            and event.status is Status.MEMBER
        ):
            members.add(event.member)
    return tuple(sorted(members))


@hookimpl
def register_kinds(register: Callable[[type[Event]], None]) -> None:
    for cls in (Founding, Accession, Summit):
        register(cls)

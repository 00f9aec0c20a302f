"""How reading calendars grows with their size, side by side in one run.

    python benchmarks/bench_ics_import.py [--sizes 1000,10000,100000] [--peers]

Three shapes of other producers' files, each at every size: plain events
(distinct UIDs, zoned times with one VTIMEZONE), events that all share one
UID (which needs an id suffix each), and events that each have a custom
VTIMEZONE of their own. For each: seconds (best of --repeat), µs per event,
and the ratio of µs per event to the smallest size (1.0 is linear growth).
``--peers`` adds icalendar's ``Calendar.from_ical`` on the same text.
"""

from __future__ import annotations

import argparse
import warnings
from collections.abc import Callable

from timing import best

import timeline

HEAD = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//bench//EN\r\n"
TAIL = "END:VCALENDAR\r\n"
BERLIN = (
    "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n"
    "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nDTSTART:19700329T020000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nDTSTART:19701025T030000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
)


def _event(uid: str, n: int, tzid: str) -> str:
    day = 1 + n % 28
    return (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20240101T000000Z\r\n"
        f"DTSTART;TZID={tzid}:2024{1 + n % 12:02d}{day:02d}T100000\r\n"
        f"DTEND;TZID={tzid}:2024{1 + n % 12:02d}{day:02d}T113000\r\n"
        f"SUMMARY:Meeting {n}\r\nLOCATION:Room {n % 7}\\, floor 2\r\nEND:VEVENT\r\n"
    )


def plain(size: int) -> str:
    events = "".join(_event(f"m{n}@x", n, "Europe/Berlin") for n in range(size))
    return HEAD + BERLIN + events + TAIL


def one_uid(size: int) -> str:
    return HEAD + BERLIN + "".join(_event("same@x", n, "Europe/Berlin") for n in range(size)) + TAIL


def own_zones(size: int) -> str:
    parts = [HEAD]
    for n in range(size):
        offset = f"+{n % 24:02d}{n % 60:02d}"
        parts.append(
            f"BEGIN:VTIMEZONE\r\nTZID:Zone {n}\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
            f"TZOFFSETFROM:{offset}\r\nTZOFFSETTO:{offset}\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
        )
        parts.append(_event(f"z{n}@x", n, f"Zone {n}"))
    return "".join(parts) + TAIL


SHAPES: dict[str, Callable[[int], str]] = {
    "plain events": plain,
    "one UID": one_uid,
    "a zone each": own_zones,
}


def ours(text: str) -> Callable[[], object]:
    def run() -> object:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return timeline.loads(text, "ics")

    return run


def theirs(text: str) -> Callable[[], object]:
    import icalendar

    return lambda: icalendar.Calendar.from_ical(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--peers", action="store_true", help="icalendar's from_ical too")
    parser.add_argument("--shapes", default=",".join(SHAPES), help="a comma-separated subset")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    readers = [("timeline", ours)] + ([("icalendar", theirs)] if args.peers else [])
    print(f"{'shape':<14} {'reader':<10} {'events':>8} {'seconds':>9} {'µs/event':>9} {'ratio':>6}")
    for shape in args.shapes.split(","):
        make = SHAPES[shape]
        for name, reader in readers:
            first: float | None = None
            for size in sizes:
                text = make(size)
                seconds = best(reader(text), args.repeat)
                per_event = seconds / size * 1e6
                first = first or per_event
                print(f"{shape:<14} {name:<10} {size:>8} {seconds:>9.3f} {per_event:>9.1f} "
                      f"{per_event / first:>6.2f}")  # fmt: skip


if __name__ == "__main__":
    main()

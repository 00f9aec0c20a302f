"""How loading and exporting grow with the number of events, side by side in one run.

    python benchmarks/bench_growth.py                      # 1,000, 10,000 and 100,000 events
    python benchmarks/bench_growth.py --sizes 1000,4000 --repeat 5

Loading (json, ics, csv) and exporting (json, ics, markdown, csv) the same
synthetic timeline (``timeline.testing.synthetic_timeline``) at every size;
csv only when the timeline-csv plugin is installed (and loaded). For each: seconds (best of
--repeat), µs per event, and the ratio of µs per event to the smallest size:
1.0 is linear growth, and quadratic growth shows as a ratio near the ratio of
the sizes. The text to load is written outside the timing, and an export goes
to a stream that keeps nothing, so that only the work itself is timed.

This is where growth is timed: tests/corpus/test_hostile.py guards against quadratic
behaviour by counting work instead (issue 13: no test may assert a time).
"""

from __future__ import annotations

import argparse
import io
import sys
import warnings
from collections.abc import Callable

from timing import best

import timeline
from timeline.testing import synthetic_timeline

LOADERS = ("json", "ics", "csv")
EXPORTERS = ("json", "ics", "markdown", "csv")


class Sink(io.StringIO):
    """A text stream that keeps nothing: the export's time, not its output's."""

    def write(self, text: str) -> int:
        return len(text)


def loading(name: str, t: timeline.Timeline) -> Callable[[], object]:
    text = timeline.dumps(t, name)
    return lambda: timeline.loads(text, name)


def exporting(name: str, t: timeline.Timeline) -> Callable[[], object]:
    exporter = timeline.exporters()[name]
    options = exporter.resolve_options({})
    return lambda: exporter.write(t, Sink(), options)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the best counts")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    warnings.simplefilter("ignore", timeline.TimelineWarning)  # the CSV export has no title

    operations: list[tuple[str, str, Callable[[str, timeline.Timeline], Callable[[], object]]]] = [
        *(("load", name, loading) for name in LOADERS if name in timeline.importers()),
        *(("export", name, exporting) for name in EXPORTERS if name in timeline.exporters()),
    ]
    missing = sorted({*LOADERS, *EXPORTERS} - {name for _, name, _ in operations})
    print(
        f"Python {sys.version.split()[0]}, timeline {timeline.__version__}, "
        f"best of {args.repeat}" + (f"; not loaded: {', '.join(missing)}" if missing else "")
    )
    timelines = {size: synthetic_timeline(size) for size in sizes}
    small = synthetic_timeline(10)
    for _, name, make in operations:  # imports, converters and caches, outside the timing
        make(name, small)()

    print(f"\n{'':<7}{'format':<10}{'events':>9}{'seconds':>10}{'µs/event':>10}{'ratio':>7}")
    for operation, name, make in operations:
        first: float | None = None
        for size in sizes:
            seconds = best(make(name, timelines[size]), args.repeat)
            per_event = seconds / size * 1e6
            first = first or per_event
            print(f"{operation:<7}{name:<10}{size:>9,}{seconds:>10.3f}{per_event:>10.2f}"
                  f"{per_event / first:>7.2f}")  # fmt: skip


if __name__ == "__main__":
    main()

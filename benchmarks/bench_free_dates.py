"""How long junk in a date cell takes to refuse, side by side in one run.

    python benchmarks/bench_free_dates.py                  # 100,000 rows of each kind
    python benchmarks/bench_free_dates.py --rows 10000 --length 199

Each kind of junk is --rows strings of --length characters (seeded, so every
run reads the same text):

- ``printable``: any printable ASCII character;
- ``date-like``: only characters a free-text date may have (letters, digits,
  spaces and ``.,/-:``), the worst case for the cheap refusals;
- ``short date-like``: the same, cut to 60 characters (under the length cap,
  so only the other cheap refusals stand between it and dateutil).

Every string is read two ways: by ``parse_date`` in a loop, and as the
``start`` cell of a CSV file of that many rows loaded through the
timeline-csv plugin (when it is installed and loaded). Each must end in a
``TimelineError``; the time is the best of --repeat runs, with the µs per
row. The CSV text is made outside the timing.
"""

from __future__ import annotations

import argparse
import random
import string

from timing import best

import timeline

DATE_CHARS = string.ascii_letters + string.digits + "     .,/-:"


def junk(rows: int, length: int, alphabet: str, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(length)) for _ in range(rows)]


def parse_all(texts: list[str]) -> None:
    for text in texts:
        try:
            timeline.parse_date(text)
        except timeline.TimelineError:
            pass
        else:
            raise SystemExit(f"junk was read as a date: {text!r}")


def csv_text(texts: list[str]) -> str:
    lines = ["title,start"]
    lines.extend(f'Row {n},"{text.replace(chr(34), chr(34) * 2)}"' for n, text in enumerate(texts))
    return "\r\n".join(lines) + "\r\n"


def load_csv(text: str) -> None:
    try:
        timeline.loads(text, "csv")
    except timeline.TimelineError:
        pass
    else:
        raise SystemExit("a CSV file of junk dates loaded")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--length", type=int, default=199)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    printable = string.ascii_letters + string.digits + string.punctuation + " "
    kinds = {
        "printable": junk(args.rows, args.length, printable, 1),
        "date-like": junk(args.rows, args.length, DATE_CHARS, 2),
        "short date-like": [t[:60] for t in junk(args.rows, args.length, DATE_CHARS, 3)],
    }
    has_csv = "csv" in timeline.importers()
    print(f"{args.rows:,} rows of {args.length}-character junk (best of {args.repeat})")
    print(f"{'junk':<16} {'parse_date s':>12} {'µs/row':>8} {'csv load s':>11} {'µs/row':>8}")
    for name, texts in kinds.items():
        parsed = best(lambda texts=texts: parse_all(texts), args.repeat)
        row = f"{name:<16} {parsed:>12.2f} {parsed / args.rows * 1e6:>8.1f}"
        if has_csv:
            text = csv_text(texts)
            loaded = best(lambda text=text: load_csv(text), args.repeat)
            row += f" {loaded:>11.2f} {loaded / args.rows * 1e6:>8.1f}"
        else:
            row += f" {'(no csv plugin)':>20}"
        print(row)


if __name__ == "__main__":
    main()

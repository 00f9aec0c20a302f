"""Recurrence rules (timeline.recurrence): what parse_rule takes and refuses,
and that icalendar's vRecur reads every rule it takes as it does."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from icalendar import vRecur

from timeline.recurrence import RULE_PARTS, parse_rule


@pytest.mark.parametrize(
    ("rule", "parts"),
    [
        ("FREQ=YEARLY;BYMONTH=6", {"FREQ": "YEARLY", "BYMONTH": "6"}),
        ("freq=yearly;bymonth=6", {"FREQ": "YEARLY", "BYMONTH": "6"}),
        ("FREQ=MONTHLY;BYDAY=-1SU,+2mo,FR", {"FREQ": "MONTHLY", "BYDAY": "-1SU,+2MO,FR"}),
        ("FREQ=YEARLY;UNTIL=20300615", {"FREQ": "YEARLY", "UNTIL": "20300615"}),
        ("FREQ=YEARLY;UNTIL=20300615T100000", {"FREQ": "YEARLY", "UNTIL": "20300615T100000"}),
        ("FREQ=YEARLY;UNTIL=20300615T100000Z", {"FREQ": "YEARLY", "UNTIL": "20300615T100000Z"}),
        ("FREQ=YEARLY;", {"FREQ": "YEARLY"}),
        ("FREQ=YEARLY;X-NAME=a", {"FREQ": "YEARLY", "X-NAME": "A"}),
    ],
)
def test_what_a_rule_holds(rule: str, parts: dict[str, str]) -> None:
    assert parse_rule(rule) == parts


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        # What vRecur would forgive: it keeps the last of a part given twice,
        # skips a part without a value, and takes any number for a month.
        ("FREQ=YEARLY;FREQ=DAILY", "the part FREQ is given twice"),
        ("freq=YEARLY;FREQ=DAILY", "the part FREQ is given twice"),
        ("FREQ=YEARLY;COUNT", "the part 'COUNT' has no value"),
        ("FREQ=YEARLY;COUNT=", "the part 'COUNT=' has no value"),
        ("FREQ=YEARLY;BYMONTH=13", "BYMONTH=13 is out of its range (1..12)"),
        ("FREQ=YEARLY;BYDAY=60MO", "BYDAY=60MO: the number before the day must be 1-53"),
        ("FREQ=YEARLY;WKST=1MO", "WKST=1MO is not a day of the week (MO, TU ... SU)"),
        ("FREQ=YEARLY;UNTIL=2030", "UNTIL='2030' is not a date or a date-time "
                                   "(YYYYMMDD or YYYYMMDDTHHMMSS, with Z for UTC)"),
        ("FREQ=YEARLY;COUNT=2;UNTIL=20300615", "it has both COUNT and UNTIL"),
        # UNTIL's T and Z are capitals, as RFC 5545 writes them.
        ("FREQ=YEARLY;UNTIL=20300615t100000z", "UNTIL='20300615t100000z' is not a date or a "
                                                "date-time (YYYYMMDD or YYYYMMDDTHHMMSS, with Z "
                                                "for UTC)"),
        ("FREQ=FORTNIGHTLY", "FREQ=FORTNIGHTLY is not a frequency"),
        ("", "it is empty"),
    ],
)  # fmt: skip
def test_what_a_rule_may_not_hold(rule: str, reason: str) -> None:
    with pytest.raises(ValueError, match=f"^{reason.replace('(', '.').replace(')', '.')}$"):
        parse_rule(rule)


def test_the_parts_are_rfc_5545s() -> None:
    assert frozenset(vRecur.canonical_order) - {"RSCALE", "SKIP", "BYWEEKDAY"} == RULE_PARTS


_days = st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"])
_parts = {
    "FREQ": st.sampled_from(["YEARLY", "MONTHLY", "WEEKLY", "DAILY", "hourly"]),
    "INTERVAL": st.integers(1, 99).map(str),
    "COUNT": st.integers(1, 99).map(str),
    "UNTIL": st.sampled_from(["20300615", "20300615T100000", "20300615T100000Z"]),
    "BYMONTH": st.lists(st.integers(1, 12).map(str), min_size=1, max_size=3).map(",".join),
    "BYMONTHDAY": st.lists(st.integers(-31, 31).filter(bool).map(str), min_size=1, max_size=3).map(
        ",".join
    ),
    "BYDAY": st.lists(
        st.builds(lambda n, d: n + d, st.sampled_from(["", "1", "+2", "-1", "53"]), _days),
        min_size=1,
        max_size=3,
    ).map(",".join),
    "WKST": _days.map(str.lower),
}


@st.composite
def _rules(draw: st.DrawFn) -> str:
    """Valid rules, their parts in any order and any case."""
    names = draw(st.lists(st.sampled_from(sorted(set(_parts) - {"FREQ"})), unique=True))
    if "COUNT" in names and "UNTIL" in names:
        names.remove("UNTIL")
    items = [f"{name}={draw(_parts[name])}" for name in ["FREQ", *names]]
    spell = draw(st.sampled_from([str, str.lower, str.title]))

    def spelt(item: str) -> str:
        name, _, value = item.partition("=")
        return f"{spell(name)}={value if name == 'UNTIL' else spell(value)}"

    return ";".join(spelt(item) for item in draw(st.permutations(items)))


def _typed(part: str, value: str) -> list[Any]:
    """The values of a part as parse_rule gives it, in the types vRecur reads."""
    if part == "UNTIL":
        form = "%Y%m%dT%H%M%S" if "T" in value.upper() else "%Y%m%d"
        when = dt.datetime.strptime(value.upper().removesuffix("Z"), form)
        if value.upper().endswith("Z"):
            return [when.replace(tzinfo=dt.UTC)]
        return [when if "T" in value.upper() else when.date()]
    items = value.split(",")
    if part in ("FREQ", "BYDAY", "WKST"):
        return [item.lstrip("+") if part != "FREQ" else item for item in items]
    return [int(item) for item in items]


@given(_rules())
def test_vrecur_reads_every_rule_as_parse_rule_does(rule: str) -> None:
    parts = parse_rule(rule)
    read = vRecur.from_ical(rule)
    assert sorted(read) == sorted(parts)
    for part, value in parts.items():
        expected = _typed(part, value)
        found = [str(v).lstrip("+") if part in ("BYDAY", "WKST") else v for v in read[part]]
        if part == "UNTIL":
            found = [v.replace(tzinfo=dt.UTC) if getattr(v, "tzinfo", None) else v for v in found]
        assert found == expected, part

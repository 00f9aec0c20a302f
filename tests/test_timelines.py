"""The Timeline: order, lookup and queries."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline import (
    Accession,
    Date,
    DuplicateIdError,
    Event,
    FieldError,
    Founding,
    QueryError,
    Summit,
    Timeline,
    TimelineError,
    members_at,
)
from timeline.testing import sample_timeline
from timeline.timelines import group_key


def ev(id_: str, start: str, end: str | None = None, **kw) -> Event:
    return Event(id=id_, title=id_.title(), start=start, end=end, **kw)


@pytest.fixture
def small() -> Timeline:
    return Timeline(
        title="Small",
        events=[
            ev("c", "2002-03-01", tags=("x", "y")),
            ev("a", "2001"),
            ev("b", "2001-06-15", "2001-06-20", tags=("x",)),
            ev("e", "2005-12"),
            ev("d", "2001"),
        ],
    )


class TestContainer:
    def test_order_is_start_then_id(self, small):
        assert [e.id for e in small] == ["a", "d", "b", "c", "e"]

    def test_lookup(self, small):
        assert small["c"].start.isoformat() == "2002-03-01"
        assert small.get("zz") is None
        assert "c" in small
        assert small["c"] in small
        with pytest.raises(KeyError):
            small["zz"]
        assert len(small) == 5

    def test_duplicate_id_is_an_error(self):
        with pytest.raises(DuplicateIdError, match="duplicate event id 'a'"):
            Timeline(events=[ev("a", "2001"), ev("a", "2002")])

    @pytest.mark.parametrize(
        ("events", "message"),
        [
            (None, "events: expected Event items (a list, a tuple, ...), not NoneType"),
            (5, "events: expected Event items (a list, a tuple, ...), not int"),
            ("abc", "events: expected Event items (a list, a tuple, ...), not str"),
            ({"id": "a"}, "events: expected Event items (a list, a tuple, ...), not dict"),
            (ev("a", "2001"), "events: expected Event items (a list, a tuple, ...), not Event"),
            ([ev("a", "2001"), {"id": "b"}], "events: expected Event items, not dict"),
        ],
    )
    def test_events_must_be_events(self, events, message):
        with pytest.raises(FieldError) as info:
            Timeline(events=events)
        assert str(info.value) == message
        assert isinstance(info.value, TimelineError)

    def test_any_iterable_of_events_will_do(self):
        events = (ev(i, "2001") for i in "ba")
        assert [e.id for e in Timeline(events=events)] == ["a", "b"]

    def test_the_same_event_twice_is_also_a_duplicate(self):
        e = ev("a", "2001")
        with pytest.raises(DuplicateIdError):
            Timeline(events=[e, e])

    def test_equality_and_repr(self, small):
        assert small == Timeline(title="Small", events=list(reversed(small.events)))
        assert repr(small) == "<Timeline 'Small': 5 events>"


class TestQueries:
    @pytest.mark.parametrize(
        ("start", "end", "ids"),
        [
            ("2001", "2001", ["a", "d", "b"]),
            ("2001-06-18", None, ["a", "d", "b", "c", "e"]),
            (None, "2001-06-14", ["a", "d"]),
            ("2001-06-21", "2002-02", ["a", "d"]),
            ("2001-06-21", "2001-12-31", ["a", "d"]),
            ("2002", "2002-02-28", []),
            ("2005-12-31", "2006", ["e"]),
            ("2001-06", "2001-06", ["a", "d", "b"]),
        ],
    )
    def test_between_respects_precision(self, small, start, end, ids):
        """A year covers its days; an event with a range is kept when any of
        its days lies within the window."""
        assert [e.id for e in small.between(start, end)] == ids

    @settings(max_examples=300, deadline=None)
    @given(
        spans=st.lists(
            st.tuples(st.integers(-30, 30), st.integers(0, 40), st.sampled_from(["y", "m", "d"])),
            max_size=30,
        ),
        window=st.tuples(
            st.one_of(st.none(), st.integers(-35, 35)), st.one_of(st.none(), st.integers(0, 40))
        ),
    )
    def test_between_keeps_what_a_scan_keeps(self, spans, window):
        """``between`` finds its events by bisection; it keeps exactly what
        looking at every event keeps, long events that start early included."""

        def date(month: int, precision: str) -> str:
            year, month = 2000 + month // 12, month % 12 + 1
            return {"y": f"{year}", "m": f"{year}-{month:02d}", "d": f"{year}-{month:02d}-15"}[
                precision
            ]

        events = [
            ev(f"e{i}", date(start, precision), date(start + length, precision) if length else None)
            for i, (start, length, precision) in enumerate(spans)
        ]
        t = Timeline(events=events)
        lo = None if window[0] is None else date(window[0], "m")
        hi = None if window[1] is None or window[0] is None else date(window[0] + window[1], "m")
        scanned = [
            e.id
            for e in t
            if (hi is None or e.start.first_day_number() <= Date.coerce(hi).last_day_number())
            and (lo is None or Date.coerce(lo).first_day_number() <= e.last.last_day_number())
        ]
        assert [e.id for e in t.between(lo, hi)] == scanned

    def test_a_narrow_between_looks_at_few_events(self, monkeypatch):
        """After the first query, a narrow window reads no event's dates: the
        day numbers are kept, and the window is found by bisection."""
        t = Timeline(
            events=[ev(f"e{i:05d}", f"{1000 + i // 12}-{i % 12 + 1:02d}") for i in range(12_000)]
        )
        assert [e.id for e in t.between("1500-03", "1500-04")] == ["e06002", "e06003"]
        calls = []
        for name in ("first_day_number", "last_day_number"):
            real = getattr(Date, name)
            monkeypatch.setattr(
                Date, name, lambda self, real=real, name=name: (calls.append(name), real(self))[1]
            )
        assert [e.id for e in t.between("1700-01", "1700-01-31")] == ["e08400"]
        assert calls == ["first_day_number", "last_day_number"]  # the window's own two ends

    @pytest.mark.parametrize(
        "query",
        [
            lambda t: t.of_kind("event"),
            lambda t: t.between("1000", "2700"),
            lambda t: t.tagged(),
            lambda t: t.filter(lambda e: True),
        ],
        ids=["of_kind", "between", "tagged", "filter"],
    )
    def test_a_query_holds_only_references(self, query):
        """A query that keeps all of 20,000 events allocates the tuple of
        references to them (8 bytes an event) and little else: no event is
        copied and the index by id waits until it is asked for."""
        t = Timeline(
            events=[ev(f"e{i:05d}", f"{1000 + i // 12}-{i % 12 + 1:02d}") for i in range(20_000)]
        )
        query(t)  # the day numbers of ``between`` are made once, by the first query
        tracemalloc.start()
        try:
            kept = query(t)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert len(kept) == len(t)
        assert peak < 12 * len(t)
        assert kept.get("e00042") is t["e00042"]

    def test_a_timeline_holds_its_events_and_no_index_until_asked(self):
        """Made from 20,000 events, a timeline keeps the tuple of them (8
        bytes an event) and little else: the ids are checked with a set that
        is let go, and the index by id is made by the first lookup."""
        events = [ev(f"e{i:05d}", f"{1000 + i // 12}-{i % 12 + 1:02d}") for i in range(20_000)]
        Timeline(events=events)  # what the first timeline makes once (the sort's reused tuples)
        tracemalloc.start()
        try:
            t = Timeline(events=events)
            held = tracemalloc.get_traced_memory()[0]
        finally:
            tracemalloc.stop()
        # Sorting takes tuples that CPython keeps for reuse afterwards (its free
        # list holds up to 2,000 of each small size), whatever ran before.
        assert held < 12 * len(events) + 2_000 * 64
        assert t["e00042"].id == "e00042"
        with pytest.raises(DuplicateIdError, match="e00007"):
            Timeline(events=[*events, ev("e00007", "1900")])

    def test_queries_return_timelines(self, small):
        result = small.tagged("x")
        assert isinstance(result, Timeline)
        assert result.title == "Small"
        assert [e.id for e in result] == ["b", "c"]
        assert [e.id for e in small.tagged("x", "y")] == ["c"]
        assert [e.id for e in small.filter(lambda e: e.id > "c")] == ["d", "e"]

    def test_of_kind(self, sco):
        assert len(sco.of_kind("summit")) == 25
        assert len(sco.of_kind(Founding)) == 2
        assert len(sco.of_kind("accession", "founding")) == 6

    def test_of_kind_takes_a_kind_that_no_event_has(self, small):
        assert len(small.of_kind("summit")) == 0
        assert len(small.of_kind(Summit, "event")) == len(small)

    def test_of_kind_knows_every_kind_class_and_loads_no_plugin(self):
        """The kinds are those of the Event classes there are: the model asks
        no registry (and loads no plugin) to tell an unknown name."""
        code = """
            import timeline
            from timeline.plugins import pm
            events = timeline.Timeline(events=[timeline.Event(title="x", start="2001")])
            print(len(events.of_kind("summit")))
            try:
                events.of_kind("comet")
            except timeline.QueryError as exc:
                print(exc)
            print(len(pm.get_plugins()))
        """
        done = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(code)],
            capture_output=True, text=True, check=True,
            env={**os.environ, "TIMELINE_LOAD_PLUGINS": ""},
        )  # fmt: skip
        assert (
            done.stdout
            == "0\nno kind 'comet'; the kinds are accession, event, founding, summit\n0\n"
        )

    def test_involving_by_code_or_name(self, sco):
        india = sco.involving("India")
        assert india == sco.involving("IN")
        assert [e.id for e in india] == [
            "sco-accession-2017-india",
            "sco-accession-2023-iran",  # admitted at the New Delhi summit
            "sco-summit-2023-new-delhi",
        ]

    @pytest.mark.parametrize(
        ("by", "keys"),
        [
            ("year", ["2001", "2002", "2005"]),
            ("decade", ["2000s"]),
            ("month", ["2001", "2001-06", "2002-03", "2005-12"]),
        ],
    )
    def test_group_by(self, small, by, keys):
        groups = small.group_by(by)
        assert list(groups) == keys
        assert sum(len(g) for g in groups.values()) == len(small)

    @pytest.mark.parametrize("by", ["year", "decade", "month", "kind"])
    def test_group_key_is_the_key_group_by_gives(self, by):
        t = sample_timeline()
        groups = t.group_by(by)
        assert [group_key(e, by) for e in t.events] == [
            key for e in t.events for key, group in groups.items() if e in group.events
        ]
        if by != "kind":  # in the timeline's order, a group's events come one after the other
            keys = [group_key(e, by) for e in t.events]
            assert [k for i, k in enumerate(keys) if i == 0 or keys[i - 1] != k] == list(groups)

    def test_group_by_kind_and_bce_decades(self):
        t = Timeline(events=[ev("rome", "-0476"), ev("x", "0005")])
        assert list(t.group_by("decade")) == ["-0480s", "0000s"]
        assert list(t.group_by("kind")) == ["event"]
        with pytest.raises(QueryError, match="cannot group by 'week'"):
            t.group_by("week")  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("query", "message"),
        [
            (lambda t: t.between("2002", "2001"),
             "between(2002, 2001): the end comes before the start"),
            (lambda t: t.of_kind("comet"), "no kind 'comet'; the kinds are "),
            (lambda t: t.group_by("week"), "cannot group by 'week'; use one of year, decade, "),
            (lambda t: t.of_kind(42), "of_kind: expected kind names or Event classes, not int"),
            (lambda t: t.involving(None), "involving: expected a name or a code, not NoneType"),
            (lambda t: t.merge([]), "merge: expected a Timeline, not list"),
        ],
    )  # fmt: skip
    def test_a_query_that_cannot_be_answered_is_a_timeline_error(self, small, query, message):
        with pytest.raises(QueryError) as info:
            query(small)
        assert str(info.value).startswith(message)
        assert isinstance(info.value, TimelineError)
        assert isinstance(info.value, ValueError)  # as before 0.2

    def test_merge(self, small):
        other = Timeline(events=[small["a"], ev("z", "1999")])
        merged = small.merge(other)
        assert [e.id for e in merged][:2] == ["z", "a"]
        assert len(merged) == 6
        with pytest.raises(DuplicateIdError, match="'a'"):
            small.merge(Timeline(events=[ev("a", "1999")]))


class TestMembers:
    @pytest.mark.parametrize(
        ("date", "count"),
        [
            ("2001-06-14", 0),
            ("2001-06-15", 6),
            ("2017-06-08", 6),
            ("2017-06-09", 8),
            ("2023-07-03", 8),
            ("2023-07-04", 9),
            ("2024-07-03", 9),
            ("2024-07-04", 10),
            ("2026-11-27", 10),
        ],
    )
    def test_sco_membership(self, sco, date, count):
        """A member from the day of its accession; the Shanghai Five of 1996
        is another organisation."""
        assert len(members_at(sco, "SCO", date)) == count

    def test_sco_members_2024(self, sco):
        assert members_at(sco, "SCO", "2024-07-04") == (
            "BY",
            "CN",
            "IN",
            "IR",
            "KG",
            "KZ",
            "PK",
            "RU",
            "TJ",
            "UZ",
        )
        assert members_at(sco, "Shanghai Five", "2000") == ("CN", "KG", "KZ", "RU", "TJ")

    def test_coarse_date_means_its_last_day(self, sco):
        assert len(members_at(sco, "SCO", "2017")) == 8

    def test_only_members_count(self):
        t = Timeline(
            events=[
                Founding(id="f", title="F", start="2001", organisation="O", members=["CN"]),
                Accession(
                    id="a",
                    title="A",
                    start="2002",
                    organisation="O",
                    member="IN",
                    status="observer",
                ),
                Summit(id="s", title="S", start="2003", organisation="O"),
            ]
        )
        assert members_at(t, "O", "2005") == ("CN",)

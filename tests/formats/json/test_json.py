"""The JSON format: lossless, deterministic, strict, and described by its schema."""

from __future__ import annotations

import csv
import importlib.resources
import io
import json
import math
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from helpers import node_packages

import timeline
from timeline import Event, Timeline, ValidationError
from timeline.default_plugins.json_format import pretty
from timeline.document import timeline_to_dict
from timeline.schema import json_schema
from timeline.testing import sample_timeline, synthetic_timeline

SCHEMA_FILE = Path(importlib.resources.files("timeline").joinpath("timeline.schema.json"))  # type: ignore[arg-type]


def schema_validator() -> jsonschema.Draft202012Validator:
    text = importlib.resources.files("timeline").joinpath("timeline.schema.json").read_text()
    schema = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _translated() -> Timeline:
    """Translations of every translatable field, in tags of every shape."""
    place = timeline.Place(
        name="Tashkent", translations={"ru": {"name": "Ташкент"}, "uz-Latn": {"name": "Toshkent"}}
    )
    return Timeline(
        title="SCO",
        description="Summits.",
        language="en-GB",
        translations={"ru": {"title": "ШОС", "description": "Саммиты."}, "en": {"title": "SCO"}},
        events=[
            Event(
                title="Tashkent summit",
                start="2004-06-17",
                description="The fourth.",
                notes="Notes.",
                place=place,
                translations={
                    "zh-Hans-CN": {"title": "塔什干峰会", "description": "第四次。"},
                    "fa": {"title": "اجلاس تاشکند", "notes": "یادداشت\nدو خط"},
                    "de-CH-1996": {"notes": "Notizen."},
                    "en-x-pirate": {"title": "Tashkent parley"},
                },
            ),
            timeline.Summit(
                title="Online",
                start="2020-11-10",
                organisation="SCO",
                place=place,
                format="virtual",
                translations={"ru": {"title": "Онлайн"}},
            ),
        ],
    )


TIMELINES = {
    "sco": lambda: timeline.example("sco"),
    "translated": _translated,
    "sample": sample_timeline,
    "synthetic": lambda: synthetic_timeline(400, seed=3),
    "empty": Timeline,
}


@pytest.mark.parametrize("name", TIMELINES)
class TestRoundTrip:
    def test_loads_dumps_is_identity(self, name):
        """Every field of every kind survives: loads(dumps(t)) == t."""
        t = TIMELINES[name]()
        text = timeline.dumps(t)
        assert timeline.loads(text) == t
        assert timeline.dumps(timeline.loads(text)) == text

    def test_compact_round_trip(self, name):
        t = TIMELINES[name]()
        text = timeline.dumps(t, compact=True)
        assert json.loads(text) == json.loads(timeline.dumps(t))
        assert timeline.loads(text) == t

    def test_deterministic(self, name):
        assert timeline.dumps(TIMELINES[name]()) == timeline.dumps(TIMELINES[name]())

    def test_valid_against_the_shipped_schema(self, name):
        errors = list(schema_validator().iter_errors(json.loads(timeline.dumps(TIMELINES[name]()))))
        assert errors == []

    def test_same_text_as_the_json_module(self, name):
        """The streaming writer writes exactly json.dumps(doc, indent=2)."""
        t = TIMELINES[name]()
        expected = json.dumps(timeline_to_dict(t), indent=2, ensure_ascii=False) + "\n"
        assert timeline.dumps(t) == expected


class TestSchema:
    def test_shipped_schema_is_generated_from_the_model(self):
        """Regenerate with: python -c "import json, timeline.schema as s;
        print(json.dumps(s.json_schema(), indent=2, ensure_ascii=False))" >
        src/timeline/timeline.schema.json"""
        text = importlib.resources.files("timeline").joinpath("timeline.schema.json").read_text()
        assert json.loads(text) == json_schema()
        assert text == json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            (lambda d: d["events"][0].update(start="June 2001"), "does not match"),
            (lambda d: d["events"][0].update(kind="comet"), "'comet' is not one of"),
            (lambda d: d["events"][0].update(colour=1), "'colour' was unexpected"),
            (lambda d: d["events"][0].pop("title"), "'title' is a required property"),
            (lambda d: d.update(version=3), "2 was expected"),
            (lambda d: d.update(language="english"), "does not match"),
            (
                lambda d: d["events"][0].update(translations={"ru": {"start": "2001"}}),
                "'start' was unexpected",
            ),
        ],
    )
    def test_schema_refuses_what_the_loader_refuses(self, change, message):
        doc = json.loads(timeline.dumps(sample_timeline()))
        change(doc)
        errors = [e.message for e in schema_validator().iter_errors(doc)]
        assert any(message in e for e in errors), errors
        with pytest.raises(ValidationError):
            timeline.loads(json.dumps(doc))

    def test_ajv_in_strict_mode_compiles_the_schema_and_agrees_with_the_loader(
        self, tmp_path, json_files, hostile_files
    ):
        """Ajv (strict: unknown keywords, a keyword without the type it applies
        to, ...) compiles the shipped schema, accepts every document we write
        and refuses each one the loader refuses, as Python's jsonschema does."""
        node_packages.installed(json_files.root / "ajv", "ajv")
        good = {name: json.loads(timeline.dumps(make())) for name, make in TIMELINES.items()}
        hostile = hostile_files.read_json("json/hostile-titles.json")
        assert hostile["version"] == 1  # the schema is of version 2, which holds any version 1
        good["hostile-titles"] = {**hostile, "version": 2}
        good["translated"] = json.loads(timeline.dumps(_translated()))
        bad = {}
        for n, change in enumerate(_BAD_CHANGES):
            doc = json.loads(timeline.dumps(sample_timeline()))
            change(doc)
            with pytest.raises(ValidationError):
                timeline.loads(json.dumps(doc))
            bad[f"bad-{n}"] = doc
        files = []
        for name, doc in {**good, **bad}.items():
            path = tmp_path / f"{name}.json"
            path.write_text(json.dumps(doc), encoding="utf-8")
            files.append(str(path))
        done = node_packages.run(json_files.path("ajv/validate.mjs"), str(SCHEMA_FILE), *files)
        result = json.loads(done.stdout)
        assert result["compiled"]
        verdicts = {Path(d["file"]).stem: d["valid"] for d in result["documents"]}
        assert verdicts == {name: name in good for name in verdicts}
        assert len(verdicts) == len(good) + len(bad)
        python = schema_validator()
        assert {name: python.is_valid(doc) for name, doc in {**good, **bad}.items()} == verdicts


_BAD_CHANGES = [
    lambda d: d["events"][0].update(start="June 2001"),
    lambda d: d["events"][0].update(kind="comet"),
    lambda d: d["events"][0].update(colour=1),
    lambda d: d["events"][0].pop("title"),
    lambda d: d.update(version=3),
    lambda d: d.update(version=1),  # the sample has translations
    lambda d: d.update(language="en_GB"),
    lambda d: d.update(translations={"ru": {"url": "https://x.org"}}),
    lambda d: d["events"][0].update(translations={"not a tag": {"title": "x"}}),
    lambda d: d["events"][0].update(translations={"ru": {}}),
    lambda d: d["events"][0].update(translations={"ru": {"title": ""}}),
    lambda d: d["events"][0].update(translations={"ru": {"title": "two\nlines"}}),
    lambda d: d["events"][0].update(translations={"ru": {"title": "x" * 1001}}),
    lambda d: d["events"][0].update(translations={"ru": {"start": "2001"}}),
    lambda d: d["events"][0].update(translations={"ru": {"notes": 5}}),
    lambda d: _placed(d).update(translations={"ru": {"country": "RU"}}),
    lambda d: d["events"][0].update(title="x" * 1001),
    lambda d: d["events"][0].update(title="line\u2028separator"),
    lambda d: d["events"][0].update(title="csi \u009b31m"),
    lambda d: d["events"][0].update(id="has space"),
    lambda d: d["events"][0].update(url="not a url"),
    lambda d: d["events"][0].update(description="bell \u0007"),
    lambda d: d["events"][0].update(tags=["ok", ""]),
    lambda d: d["events"][0].update(place={"name": "x", "latitude": 91, "longitude": 0}),
    lambda d: d["events"][0].update(sources=[{"url": "https://x.org", "accessed": "2024-06"}]),
    lambda d: d.update(title="two\nlines"),
]


def _placed(doc: dict[str, Any]) -> dict[str, Any]:
    """The place of the first event that has one."""
    place: dict[str, Any] = next(e["place"] for e in doc["events"] if "place" in e)
    return place


class TestPretty:
    @pytest.mark.parametrize(
        "value",
        [
            {},
            [],
            {"a": [], "b": {}, "c": [{}], "d": [[1, [2, []]]]},
            {"s": 'quote " backslash \\ tab \t newline \n bell \u0007 nul \u0000'},
            {"u": "上海 — منظمة 🤝 e\u0301 \u2028 \ud7ff"},
            {"f": [0.1, 1e300, -0.0, 1.5e-7, 3.0, 1e16, float("inf"), float("-inf")]},
            {"i": [0, -1, 10**30], "b": [True, False, None]},
        ],
    )
    def test_matches_json_dumps(self, value):
        parts: list[str] = []
        pretty(value, 0, parts)
        assert "".join(parts) == json.dumps(value, indent=2, ensure_ascii=False)

    def test_the_docstring_example_runs(self):
        import doctest

        from timeline.default_plugins import json_format

        result = doctest.testmod(json_format)
        assert (result.attempted, result.failed) == (4, 0)

    def test_nan(self):
        parts: list[str] = []
        pretty(math.nan, 0, parts)
        assert parts == ["NaN"]


DOC = '{{"format": "timeline-events", "version": 1, "events": [{}]}}'


class TestStrictLoading:
    """What the JSON text can get wrong; what the document inside can get
    wrong is in test_document.py."""

    @pytest.mark.parametrize(
        ("text", "problem"),
        [
            (
                '{"format": "timeline-events", "version": 1, "events": [',
                "line 1, column 56: not valid JSON: Expecting value",
            ),
            ("", "line 1, column 1: not valid JSON: Expecting value"),
            (
                '{"format": "timeline-events", "version": 1, "version": 1}',
                "$: the key 'version' appears twice in one object",
            ),
            (
                "[1, 2]",
                "line 1, column 1: not valid JSON: a timeline document starts with '{', not '['",
            ),
            ('{"a": ' * 100_000 + "1" + "}" * 100_000, "$: nested too deeply"),
        ],
    )
    def test_text_problems(self, text, problem):
        with pytest.raises(ValidationError) as info:
            timeline.loads(text)
        assert any(str(p).startswith(problem) for p in info.value.problems), info.value.problems

    def test_free_text_dates_are_not_json(self):
        with pytest.raises(ValidationError, match="not an EDTF/ISO 8601 date"):
            timeline.loads(DOC.format('{"title": "x", "start": "June 2001"}'))

    def test_missing_kind_is_an_event(self):
        t = timeline.loads(DOC.format('{"title": "x", "start": "2001"}'))
        assert type(next(iter(t))) is Event


class TestFiles:
    def test_dump_and_load_a_path(self, tmp_path, sample):
        path = tmp_path / "t.json"
        timeline.dump(sample, path)
        assert timeline.load(path) == sample
        assert timeline.load(str(path)) == sample
        assert list(tmp_path.iterdir()) == [path]

    def test_load_does_not_modify_the_file(self, tmp_path, sample):
        path = tmp_path / "t.json"
        timeline.dump(sample, path)
        before = (path.read_bytes(), path.stat().st_mtime_ns)
        timeline.load(path)
        assert (path.read_bytes(), path.stat().st_mtime_ns) == before

    def test_byte_order_mark_is_accepted(self, tmp_path, sample):
        path = tmp_path / "bom.json"
        path.write_bytes(b"\xef\xbb\xbf" + timeline.dumps(sample).encode())
        assert timeline.load(path) == sample

    def test_not_utf8(self, tmp_path):
        path = tmp_path / "latin1.json"
        path.write_bytes('{"title": "Caf\xe9"}'.encode("latin-1"))
        with pytest.raises(
            ValidationError,
            match=r"latin1.json: line 1, byte offset 14: the file is not valid UTF-8",
        ):
            timeline.load(path)

    def test_missing_file(self, tmp_path):
        with pytest.raises(timeline.TimelineError, match="cannot read: No such file"):
            timeline.load(tmp_path / "missing.json")

    def test_file_objects(self, tmp_path, sample):
        path = tmp_path / "t.json"
        with path.open("w", encoding="utf-8") as out:
            timeline.dump(sample, out)
        with path.open(encoding="utf-8") as stream:
            assert timeline.load(stream) == sample

    def test_unknown_suffix(self, tmp_path, sample):
        with pytest.raises(
            timeline.FormatError, match=r"cannot tell the format to export from suffix '\.xyz'"
        ):
            timeline.dump(sample, tmp_path / "t.xyz")
        assert list(tmp_path.iterdir()) == []

    def test_unknown_format_lists_the_available_ones(self, sample):
        with pytest.raises(timeline.FormatError) as info:
            timeline.dumps(sample, "yaml")
        assert str(info.value).startswith(
            "no format 'yaml' to export; available: ics, json, markdown"
        )
        assert "a plugin may provide it" in str(info.value)

    def test_unknown_option_lists_the_valid_ones(self, sample):
        with pytest.raises(
            timeline.OptionError,
            match="format 'json' has no option 'indent'; its options are: compact",
        ):
            timeline.dumps(sample, indent=4)

    def test_option_types_are_checked(self, sample):
        with pytest.raises(
            timeline.OptionError, match="option 'compact' takes true or false, not int"
        ):
            timeline.dumps(sample, compact=1)
        assert timeline.dumps(sample, compact="yes") == timeline.dumps(sample, compact=True)


class TestExample:
    def test_built_from_the_verified_data(self):
        """Every row of the CSV files is in the example: an event for each
        row of sco-events.csv, a translated title for each row of
        sco-translations.csv, a translated name for each host city."""
        folder = importlib.resources.files("timeline.examples").joinpath("sco")
        names = sorted(p.name for p in folder.iterdir())
        assert names == [
            "sco-events.csv",
            "sco-places.csv",
            "sco-translations-timeline.csv",
            "sco-translations.csv",
        ]
        rows = {
            name: list(csv.DictReader(io.StringIO(folder.joinpath(name).read_text("utf-8"))))
            for name in names
        }
        sco = timeline.example("sco")
        ids = [row["id"] for row in rows["sco-events.csv"]]
        assert (len(ids), set(ids)) == (len(sco), {e.id for e in sco})
        assert {row["id"] for row in rows["sco-translations.csv"]} == set(ids)
        for row in rows["sco-translations.csv"]:
            event = sco[row["id"]]
            assert event.translations == {
                "ru": {"title": row["title_ru"]},
                "zh": {"title": row["title_zh"]},
            }
            assert event.translated("notes", "ru") == event.notes  # the notes stay English
        cities = {row["city"]: row for row in rows["sco-places.csv"]}
        places = {e.place for e in sco if e.place is not None}
        assert {p.name for p in places} == set(cities)
        for place in places:
            row = cities[place.name]
            assert place.translations == {
                "ru": {"name": row["name_ru"]},
                "zh": {"name": row["name_zh"]},
            }
            assert (place.country, place.latitude, place.longitude, place.timezone) == (
                row["country"],
                float(row["lat"]),
                float(row["lon"]),
                row["iana_timezone"],
            )
        for row in rows["sco-translations-timeline.csv"]:
            assert sco.translated(row["field"], "ru") == row["ru"]
            assert sco.translated(row["field"], "zh-Hans-CN") == row["zh"]
        assert sco.language == "en"

    def test_the_kinds_and_formats_of_the_events(self):
        sco = timeline.example("sco")
        assert {
            kind: len(sco.of_kind(kind)) for kind in ("founding", "accession", "summit", "event")
        } == {"founding": 2, "accession": 4, "summit": 25, "event": 2}
        assert sco["sco-precursor-1996-shanghai-five"].organisation == "Shanghai Five"
        assert sco["sco-founding-2001-shanghai"].members == ("CN", "KZ", "KG", "RU", "TJ", "UZ")
        iran = sco["sco-accession-2023-iran"]
        assert (iran.member, iran.online, iran.place.name) == ("IR", True, "New Delhi")
        formats = {
            e.id: e.format.value for e in sco.of_kind("summit") if e.format.value != "in-person"
        }
        assert formats == {
            "sco-summit-2020-moscow": "virtual",
            "sco-summit-2021-dushanbe": "hybrid",
            "sco-summit-2023-new-delhi": "virtual",
        }
        charter = sco["sco-charter-in-force-2003"]
        assert (charter.kind, charter.tags, charter.place) == ("event", ("charter",), None)
        assert charter.description == (
            "Parties: China, Kazakhstan, Kyrgyzstan, Russia, Tajikistan, Uzbekistan."
        )
        assert "https://en.wikipedia.org/wiki/Shanghai_Cooperation_Organisation" in (
            sco["sco-precursor-1996-shanghai-five"].notes
        )

    def test_sco(self, sco):
        assert len(sco) == 33
        assert len(sco.of_kind("summit")) == 25
        assert all(e.sources for e in sco)
        astana = sco["sco-summit-2024-astana"]
        assert (str(astana.start), str(astana.end)) == ("2024-07-03", "2024-07-04")
        assert astana.place is not None
        assert astana.place.timezone == "Asia/Almaty"
        assert "DISAGREEMENT" in sco["sco-summit-2003-moscow"].notes

    def test_unknown_example(self):
        with pytest.raises(timeline.FormatError, match="no example 'nato'; the examples are: sco"):
            timeline.example("nato")


@pytest.mark.parametrize("was_on", [True, False])
@pytest.mark.parametrize("document", ['{"format": "timeline-events", "version": 1}', "{"])
def test_loading_pauses_the_collector_and_puts_it_back(
    monkeypatch: pytest.MonkeyPatch, was_on: bool, document: str
) -> None:
    """docs/json-format.md: the collector is paused during a load and is as it
    was afterwards, whether the load succeeds or fails."""
    import gc

    from timeline.default_plugins import json_format

    seen: list[bool] = []
    read = json_format.timeline_from_dict

    def spy(doc: object, source: str = "<string>") -> Timeline:
        seen.append(gc.isenabled())
        return read(doc, source)

    monkeypatch.setattr(json_format, "timeline_from_dict", spy)
    (gc.enable if was_on else gc.disable)()
    try:
        if document == "{":
            with pytest.raises(ValidationError):
                timeline.loads(document)
            assert seen == []
        else:
            assert len(timeline.loads(document)) == 0
            assert seen == [False]
        assert gc.isenabled() is was_on
    finally:
        gc.enable()

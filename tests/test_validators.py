"""The public field checks: what each says, and that the JSON Schema facts it
carries accept exactly what it accepts."""

from __future__ import annotations

import re
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

import timeline
from timeline import FieldError, validators
from timeline.testing import texts

STRING_CHECKS = {
    "line": validators.line,
    "required_line": validators.required_line,
    "text": validators.text,
    "title": validators.title,
    "url": validators.url,
    "party": validators.party,
    "event_id": validators.event_id,
    "language": validators.language,
}

SPECIAL = ["", " ", "a", "a\nb", "a\n", "2001-06-15-sco\n", "a\tb", "a\x85b", "a\u2028b", "a\u2029b", "a\x9bb", "a\x7f",
           "\x00", "\ud800", "x" * 1000, "x" * 1001, "https://example.org/a?b", "mailto:a@b",
           "not a url", "2001-06-15-sco", "-bad", "KZ", "Kazakhstan", "上海", "en", "zh-Hans",
           "zh-hans-cn", "en-GB", "EN", "english", "en_GB", "en-", "x-private", "de-CH-1996",
           "sr-Latn-RS-u-nu-latn-x-old", "es-419", "en-GB-oed", "zh-yue-HK", "fa"]  # fmt: skip


@attrs.define
class _Holder:
    value: Any


FIELD = attrs.fields(_Holder).value


def _accepts(check: validators.FieldCheck, value: Any) -> bool:
    try:
        check(None, FIELD, value)
    except FieldError:
        return False
    return True


def _schema_accepts(check: validators.FieldCheck, value: Any) -> bool:
    """With the ECMA-262 meaning of ``$`` that JSON Schema gives patterns (the
    end of the text): Python's ``re``, which jsonschema uses, also lets ``$``
    match before a final line break, so a text that ends in one is checked
    without it and then refused (every check here refuses a final line break,
    except ``text``, which accepts one)."""
    if isinstance(value, str) and value.endswith("\n"):
        return check is validators.text and _schema_accepts(check, value[:-1])
    return jsonschema.Draft202012Validator(dict(check.schema)).is_valid(value)


def _only_the_code_knows(name: str, value: str) -> bool:
    """What the schema cannot say: an id left empty (derived later), a line
    of spaces only, whether two letters are a country's code."""
    if name == "event_id":
        return value == ""
    if name in ("required_line", "title", "party") and value and not value.strip():
        return True
    return name == "party" and len(value) == 2 and value.isalpha()


@pytest.mark.parametrize("name", sorted(STRING_CHECKS))
@pytest.mark.parametrize("value", SPECIAL)
def test_the_schema_of_a_check_accepts_what_it_accepts(name, value):
    check = STRING_CHECKS[name]
    if name == "event_id" and value == "":  # written as no id at all
        assert _accepts(check, value)
        assert not _schema_accepts(check, value)
    elif _only_the_code_knows(name, value):  # the schema is never stricter than the code
        assert _schema_accepts(check, value)
    else:
        assert _schema_accepts(check, value) == _accepts(check, value), (name, value)


@given(st.sampled_from(sorted(STRING_CHECKS)), texts(max_size=30))
def test_any_text_gets_the_same_answer_from_the_check_and_its_schema(name, value):
    if not _only_the_code_knows(name, value):
        check = STRING_CHECKS[name]
        assert _schema_accepts(check, value) == _accepts(check, value)


@pytest.mark.parametrize(
    ("check", "value", "message"),
    [
        (validators.line, "a\u2028b", "value: must be one line: a line separator (U+2028) at position 1"),
        (validators.text, "a\x07", "value: contains the control character U+0007 at position 1"),
        (validators.title, "", "value: must not be empty"),
        (validators.url, "x y", "value: 'x y' is not an absolute URL"),
        (validators.party, "XX", "value: 'XX' is not an ISO 3166-1 country code"),
        (validators.parties, ("KZ", "KZ"), "value: lists a party twice"),
        (validators.lines, "abc", "value: expected a list, not str"),
        (validators.coordinate(90), 91.0, "value: 91.0 is out of range -90..90"),
        (validators.zone, "Mars/Olympus", "value: "),
        (validators.event_id, "has space", "value: 'has space' is not a valid id"),
        (validators.date, "2001", "value: expected a date, not str"),
        (validators.language, "english", "value: 'english' is not a BCP 47 language tag (such as en, ru, zh, zh-Hans, en-GB)"),
        (validators.language, 5, "value: expected a string, not int"),
    ],
)  # fmt: skip
def test_each_check_says_what_is_wrong(check, value, message):
    with pytest.raises(FieldError) as info:
        check(None, FIELD, value)
    assert str(info.value).startswith(message)
    assert info.value.field == "value"


@pytest.mark.parametrize(
    ("tag", "canonical"),
    [
        ("en", "en"), ("RU", "ru"), ("zh-hans", "zh-Hans"), ("ZH-HANS-CN", "zh-Hans-CN"),
        ("en-gb", "en-GB"), ("es-419", "es-419"), ("de-ch-1996", "de-CH-1996"),
        ("sr-latn-rs-u-nu-latn-x-old", "sr-Latn-RS-u-nu-latn-x-old"), ("zh-YUE-hk", "zh-yue-HK"),
        ("en-x-ab", "en-x-ab"), ("en-a-bb-cccc", "en-a-bb-cccc"),
    ],
)  # fmt: skip
def test_a_language_tag_is_given_its_canonical_case(tag, canonical):
    assert validators.is_language(tag)
    assert validators.canonical_language(tag) == validators.to_language(tag) == canonical
    validators.language(None, FIELD, canonical)


@pytest.mark.parametrize(
    "tag",
    ["", "e", "english", "en_GB", "en-", "-en", "en--GB", "x-private", "i-klingon", "en-GB-oed",
     "en-a", "en-x", "zh-Hans-Hant-CN-toolongvariant", "en GB", "en-GB\n", "ру"],
)  # fmt: skip
def test_what_is_no_language_tag(tag):
    assert not validators.is_language(tag)
    assert validators.to_language(tag) == tag  # left for the check to refuse
    with pytest.raises(FieldError, match="is not a BCP 47 language tag"):
        validators.language(None, FIELD, tag)


def test_a_party_is_required_and_parties_are_text():
    """A required party refuses None (the JSON export would write ``null``,
    which the schema refuses); an optional one lets it through."""
    with pytest.raises(FieldError, match=r"^value: is required$"):
        validators.party(None, FIELD, None)
    validators.optional_party(None, FIELD, None)
    with pytest.raises(FieldError, match=r"^value: expected text items, not NoneType$"):
        validators.parties(None, FIELD, ("KZ", None))


def test_a_validator_of_ones_own_can_carry_its_schema():
    @validators.with_schema({"type": "integer", "minimum": 1})
    def articles(instance: Any, attribute: Any, value: Any) -> None:
        if type(value) is not int or value < 1:
            raise FieldError(attribute.name, f"{attribute.name}: not a count")

    assert validators.schema_of(articles) == {"type": "integer", "minimum": 1}
    assert validators.schema_of(lambda *args: None) is None
    articles(None, FIELD, 3)


def test_checks_are_usable_by_a_plugin_kind_and_describe_it():
    """A plugin's kind uses the same checks and gets the same schema."""
    assert validators.title.schema == {
        "type": "string",
        "minLength": 1,
        "pattern": validators.required_line.schema["pattern"],
        "maxLength": 1000,
    }
    assert re.fullmatch(validators.ID_PATTERN, "2001-06-15-sco")
    assert validators.is_event_id("a.b_c-1")
    assert not validators.is_event_id("-a")
    assert validators.is_url("https://x.org")
    assert not validators.is_url("x.org")
    assert validators.coordinate(180).schema == {"type": "number", "minimum": -180, "maximum": 180}


DATE_TEXTS = ["2001", "-0476", "2001-06", "2001-06-15", "2001-06-15~", "2001-06-15?", "2001-06%",
              "2001-06-15T10:00", "2001-06-15 10:00:30.5", "2001-06-15T10:00Z",
              "2001-06-15T10:00+05:30", "2024-07-04T10:00[Asia/Almaty]", "2001-06-15T10:00~",
              "", "01", "2001-6", "2001-06-15T10", "2001-06-15T", "June 2001", "2001-06-15~~",
              "2001-06-15[Asia/Almaty]", "\uff12\uff10\uff10\uff11", "2001-06-15T10:00[a b]", " 2001"]  # fmt: skip


def _date_schema(name: str) -> jsonschema.Draft202012Validator:
    from timeline.schema import json_schema

    return jsonschema.Draft202012Validator(
        {"$defs": json_schema()["$defs"], "$ref": f"#/$defs/{name}"}
    )


@pytest.mark.parametrize("text", DATE_TEXTS)
def test_the_date_schemas_accept_what_the_date_checks_accept(text):
    """The patterns of ``date`` and ``day`` are made from the parser's own
    regular expression (timeline.dates), so they cannot drift apart; the
    ``day`` check (a source's ``accessed``) takes qualifiers, and so does
    its pattern."""
    try:
        parsed = timeline.Date.fromisoformat(text)  # what the JSON format reads
    except timeline.DateError:
        parsed = None
    accessed = attrs.fields(timeline.model.Source).accessed
    assert _date_schema("date").is_valid(text) == (parsed is not None)
    assert _date_schema("day").is_valid(text) == (
        parsed is not None and _accepts(validators.day_date, parsed)
    )
    assert accessed.validator is validators.day_date

"""The pages' Jinja2 environment (``blog.jinja``) writes what the Django template language wrote for the same values.

Pages moved from Django templates to Jinja2 with the same bytes: values
escaped as Django escapes them, nothing shown for a name the context lacks,
and dates in the site's time zone through Django's own formats.
"""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db(databases=[])


def jinja(source: str, **context: object) -> str:
    from django.template import engines

    return engines["jinja2"].from_string(source).render(context)


def django(source: str, **context: object) -> str:
    from django.template import engines

    return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize("value", ['Tom & Jerry\'s "<b>best</b>"', 3, None, "plain"])
def test_a_value_is_escaped_as_django_escapes_it(value: object) -> None:
    assert jinja("<p>{{ v }}</p>", v=value) == django("<p>{{ v }}</p>", v=value)
    assert jinja('<a title="{{ v }}">', v="it's") == '<a title="it&#x27;s">'


def test_safe_text_is_written_as_it_is() -> None:
    assert jinja("{{ v|safe }}", v="<em>a & b</em>") == "<em>a & b</em>"


def test_a_name_the_context_lacks_shows_nothing_however_deep() -> None:
    source = "[{{ missing }}][{{ missing.attr.deeper }}][{% if section.description %}x{% endif %}]"
    assert jinja(source) == "[][][]"


def test_a_template_keeps_its_last_line_break() -> None:
    assert jinja("line\n") == "line\n"


@pytest.mark.parametrize("format", ["c", "j F Y", "Y-m", "F Y", "j F"])
def test_dates_show_in_the_site_time_zone_in_djangos_formats(format: str) -> None:
    late = dt.datetime(2024, 1, 31, 23, 30, tzinfo=dt.UTC)  # another day, month or year in many zones
    assert jinja(f"{{{{ d|date({format!r}) }}}}", d=late) == django(f"{{{{ d|date:{format!r} }}}}", d=late)
    assert jinja("{{ d|date('c') }}", d=None) == ""


def test_urls_are_djangos() -> None:
    assert jinja("{{ url('home') }} {{ url('tags') }}") == django("{% url 'home' %} {% url 'tags' %}")

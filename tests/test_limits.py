"""The render sandbox's limits: work and output are bounded, ordinary partials unaffected."""
from __future__ import annotations

import pytest
from jinja2.exceptions import SecurityError

from aibgen.render.limits import LimitedSandbox, LimitError


def render(text: str, **context) -> str:
    env = LimitedSandbox()
    return env.render(env.from_string(text), context)


@pytest.mark.parametrize("text, why", [
    ("{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}", "range()"),
    ("{{ 'x' * 100000000 }}", "repeated"),
    ("{{ [1] * 100000000 }}", "repeated"),
    ("{{ n * 'x' }}", "repeated"),
    ("{{ '%999999999d' % 1 }}", "% format"),
    ("{{ '%*d' % (999999999, 1) }}", "% format"),
    ("{{ 'x'|center(1000000000) }}", "size or count"),
    ("{{ 'x'|indent(1000000000, true) }}", "size or count"),
    ("{{ 'x'.ljust(1000000000) }}", "size or count"),
    ("{{ '{:>999999999}'.format(1) }}", "format width"),
    ("{{ '{0:>{1}}'.format(1, 999999999) }}", "size or count"),
    ("{{ 2 ** 100000000 }}", "exponent"),
    ("{% for i in range(900000) %}" + "x" * 40 + "{% endfor %}", "larger than"),
])
def test_runaway_work_is_refused_with_a_reason(text, why):
    with pytest.raises(LimitError, match=why):
        render(text, n=100000000)


def test_a_limit_is_a_security_error_the_renderer_already_reports():
    assert issubclass(LimitError, SecurityError)


def test_lipsum_is_not_offered():
    with pytest.raises(Exception, match="lipsum"):
        render("{{ lipsum(100000) }}")


def test_the_range_budget_is_per_render():
    env = LimitedSandbox()
    template = env.from_string("{% for i in range(600000) %}{% endfor %}ok")
    assert env.render(template, {}) == "ok" and env.render(template, {}) == "ok"


def test_ordinary_partials_render_as_before():
    text = "{{ ['a', 'b'] * 2 }} {{ '%05d' % 7 }} {{ 'x'|center(5) }} {{ '{:>4}'.format(1) }} {{ 2 ** 10 }}"
    assert render(text) == "['a', 'b', 'a', 'b'] 00007   x      1 1024"


def test_text_up_to_the_limit_is_still_made():
    assert len(render("{{ 'x' * 1000000 }}")) == 1_000_000

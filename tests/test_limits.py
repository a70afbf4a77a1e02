"""The render sandbox's limits: work and output are bounded, ordinary partials unaffected."""
from __future__ import annotations

import resource
import signal
import time

import pytest
from jinja2.exceptions import SecurityError

from aibgen.render import limits
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
    ("{{ '%(a)999999999s' % {'a': 1} }}", "% format"),
    ("{{ '%(a(b))999999999s' % {'a(b)': 1} }}", "% format"),
    ("{{ '%.999999999s' % 'x' }}", "% format"),
    ("{{ '%5.999999999f' % 1 }}", "% format"),
    ("{{ '%9999999999s'|format(1) }}", "% format"),
    ("{{ '%(a)999999999s'|format(a=1) }}", "% format"),
    ("{{ '%*d'|format(999999999, 1) }}", "% format"),
    ("{% set a = 'x' * 1000000 %}{{ a.join([a] * 3000) }}", "joined or replaced"),
    ("{% set a = 'x' * 1000000 %}{{ ([a] * 1000000)|join }}", "joined or replaced"),
    ("{% set a = 'x' * 1000000 %}{{ a|replace('x', a) }}", "joined or replaced"),
    ("{% set a = 'x' * 1000000 %}{{ a.replace('', a) }}", "joined or replaced"),
    ("{{ ('\t' * 1000000).expandtabs(1000000) }}", "joined or replaced"),
    ("{% set l = [1] %}{% for i in range(40) %}{% set _ = l.extend(l) %}{% endfor %}", "list grown"),
    ("{% set ns = namespace(l=[1]) %}{% for i in range(40) %}{% set ns.l = ns.l + ns.l %}{% endfor %}", "list grown"),
    ("{% set ns = namespace(a='x') %}{% for i in range(40) %}{% set ns.a = ns.a + ns.a %}{% endfor %}", "text joined"),
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


def test_percent_signs_and_small_widths_are_not_mistaken_for_giant_ones():
    assert render("{{ '%(a)5s|%%99999999' % {'a': 'x'} }} {{ '%.3f'|format(1) }}") == "    x|%99999999 1.000"


def test_joins_replaces_and_list_growth_within_the_limits_still_work():
    text = ("{% set l = [] %}{% for i in range(3) %}{% set _ = l.append(i) %}{% endfor %}{% set _ = l.extend([7]) %}"
            "{{ l }} {{ ','.join(['a', 'b']) }} {{ ['a', 'b']|join('-') }} {{ 'aXa'|replace('a', 'bb') }}"
            " {{ 'ab'.replace('a', 'cc') }} {{ 'a' ~ 'b' + 'c' }} {{ [1] + [2] }} {{ 1 + 2 }}")
    assert render(text) == "[0, 1, 2, 7] a,b a-b bbXbb ccb abc [1, 2] 3"


def test_a_render_that_runs_too_long_is_stopped(monkeypatch):
    monkeypatch.setattr(limits, "MAX_SECONDS", 0.5)
    began = time.monotonic()
    with pytest.raises(LimitError, match="ran longer than 0.5 seconds"):
        render('{% for c in "x" * 1000000 %}{% for d in "x" * 1000000 %}{% endfor %}{% endfor %}')
    assert time.monotonic() - began < 5


def test_the_time_budget_restores_the_previous_handler_and_timer():
    fired = []
    old = signal.signal(signal.SIGALRM, lambda *a: fired.append(1))
    try:
        signal.setitimer(signal.ITIMER_REAL, 30)
        assert render("ok") == "ok"
        handler = signal.getsignal(signal.SIGALRM)
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        signal.setitimer(signal.ITIMER_REAL, 0)
        assert handler is not signal.SIG_DFL and 20 < left <= 30 and not fired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def test_a_render_that_needs_too_much_memory_is_stopped_and_the_limit_restored(monkeypatch):
    if limits._address_space() is None:
        pytest.skip("no /proc/self/statm here")
    before = resource.getrlimit(resource.RLIMIT_AS)
    monkeypatch.setattr(limits, "MAX_MEMORY", 256 * 1024 * 1024)
    with pytest.raises(LimitError, match="needed more than 256 MiB of memory"):
        render("{% set ns = namespace(a='x') %}{% for i in range(40) %}{% set ns.a = ns.a ~ ns.a %}{% endfor %}")
    assert resource.getrlimit(resource.RLIMIT_AS) == before
    assert render("{{ 'x' * 10 }}") == "x" * 10

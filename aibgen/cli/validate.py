"""``aibgen validate``: check template files and report findings in a chosen format."""
from __future__ import annotations

import re
import sys

import click

from aibgen.cli import streams
from aibgen.cli.base import CONTEXT, config_options, load_config, use_color
from aibgen.errors import EXIT_FINDINGS


def _summary(totals) -> str:
    """``3 files, 1 error, 2 warnings``: the last line of the text report."""
    def count(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    return ", ".join((count(totals.files, "file"), count(totals.errors, "error"), count(totals.warnings, "warning")))


_RULE = re.compile(r"AIB\d{0,3}")


def _rule_list(values, option: str) -> tuple[str, ...]:
    """Rule ids or prefixes from ``--select``/``--ignore`` (comma-separated, repeatable)."""
    rules = tuple(part.strip().upper() for v in values for part in v.split(",") if part.strip())
    bad = next((r for r in rules if not _RULE.fullmatch(r)), None)
    if bad is not None:
        from aibgen.errors import InputError

        raise InputError(f"{option} {bad!r}: not a rule id or prefix; use e.g. AIB3 or AIB301 ('aibgen rules' lists them)")
    return rules


@click.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "junit"]), default="text",
              show_default=True, help="Report format.")
@click.option("--api-version", metavar="YYYY-MM-DD", help="Check against this apiVersion instead of the document's.")
@click.option("--select", multiple=True, metavar="RULES", help="Only these rule ids or prefixes, e.g. AIB3,AIB601.")
@click.option("--ignore", multiple=True, metavar="RULES", help="Skip these rule ids or prefixes.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), help="Worker processes for large batches [default: cores].")
@config_options
def validate(paths, fmt, api_version, select, ignore, strict, jobs, config_path, no_config):
    """Check Image Builder templates: schema of their apiVersion and the documented rules.

    PATH is a JSON file, a directory (every *.json below it) or - for standard input.
    Accepts the bare imageTemplates resource, ARM deployment templates and the
    properties object alone. Exit 0 clean, 1 findings (errors, or warnings with
    --strict), 2 usage errors. Rule selection, per-path ignores and organisation
    policy (AIB7xx) come from aibgen.yaml or [tool.aibgen] in pyproject.toml.

    \b
    Examples:
      aibgen validate image.json
      aibgen validate templates/ --format json
      aibgen validate - < image.json
      aibgen validate image.json --format sarif > aib.sarif
      aibgen validate image.json --ignore AIB304 --strict
    """
    from aibgen import resources
    from aibgen.check.engine import Options
    from aibgen.flows.validate import expand, iter_findings
    from aibgen.report import FORMATS

    if api_version:
        resources.require_api_version(api_version, "--api-version")
    cfg = load_config(config_path, no_config)
    opts = Options(api_version, _rule_list(select, '--select') or cfg.select, cfg.ignore + _rule_list(ignore, '--ignore'), cfg.policy, cfg)
    files = expand(list(paths))
    write = (lambda text: streams.out(text, nl=False)) if fmt == "text" else streams.data
    totals = FORMATS[fmt](iter_findings(files, opts, jobs), write, files, use_color(sys.stdout))
    if fmt == "text":
        streams.out(_summary(totals))
    streams.flush()
    if totals.errors or (strict and totals.warnings):
        sys.exit(EXIT_FINDINGS)

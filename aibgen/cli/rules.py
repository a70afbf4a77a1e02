"""``aibgen rules``, ``aibgen explain`` and ``aibgen schema``: what aibgen checks, and against what."""
from __future__ import annotations

import click

from aibgen.cli import completion, streams
from aibgen.cli.base import CONTEXT, echo_json, text_or_json
from aibgen.report.text import printable, printable_lines


@click.command(context_settings=CONTEXT)
@click.argument("rule_id", metavar="RULE", shell_complete=completion.rule_ids)
def explain(rule_id):
    """Explain a rule: what it checks, why, and how to fix it.

    \b
    Example:
      aibgen explain AIB304
    """
    from aibgen.errors import InputError, did_you_mean
    from aibgen.rules import load_builtin

    rules = load_builtin()
    rule = rules.get(rule_id.upper())
    if rule is None:
        raise InputError(f"no rule {rule_id}{did_you_mean(rule_id.upper(), rules)}; 'aibgen rules' lists them")
    streams.out(printable_lines(f"{rule.id} ({rule.severity}): {rule.summary}\n\n{rule.documentation()}"))


@click.command("rules", context_settings=CONTEXT)
@text_or_json()
def list_rules(fmt):
    """List every rule: id, severity, whether --fix fixes it, and a one-line summary.

    The third column reads "fix" for the rules whose findings 'aibgen validate --fix'
    repairs; 'aibgen explain RULE' says how.

    \b
    Examples:
      aibgen rules
      aibgen rules --format json
    """
    from aibgen.rules import load_builtin

    rules = sorted(load_builtin().values(), key=lambda r: r.id)
    if fmt == "json":
        echo_json([{"id": r.id, "severity": r.severity, "summary": r.summary, "fixable": r.fixable} for r in rules])
        return
    for r in rules:
        streams.out(printable(f"{r.id}  {r.severity:<7}  {'fix' if r.fixable else '   '}  {r.summary}"))


@click.command(context_settings=CONTEXT)
@click.argument("kind", type=click.Choice(["profile", "template", "config"]))
@click.option("--api-version", metavar="YYYY-MM-DD", shell_complete=completion.api_versions,
              help="For 'template': the apiVersion [default: newest].")
def schema(kind, api_version):
    """Print a bundled JSON Schema: profile, template or config.

    Use it for editor completion, e.g. `# yaml-language-server: $schema=profile.schema.json`
    at the top of a profile.

    \b
    Examples:
      aibgen schema profile > profile.schema.json
      aibgen schema template --api-version 2022-07-01 > imagetemplate.schema.json
    """
    import json

    from aibgen import resources

    name = kind
    if kind == "template":
        name = resources.require_api_version(api_version or resources.latest_api_version(), "--api-version")
    streams.data(json.dumps(resources.schema(name), indent=1, ensure_ascii=False) + "\n")

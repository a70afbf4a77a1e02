"""``aibgen validate``: check template files and report findings in a chosen format."""
from __future__ import annotations

import os
import re
import sys

import click

from aibgen.cli import completion, streams
from aibgen.cli.base import CONTEXT, complete_files, config_options, load_config, use_color
from aibgen.errors import EXIT_FINDINGS


def _summary(totals) -> str:
    """``3 files, 1 error, 2 warnings``: the last line of the text report."""
    return ", ".join((_count(totals.files, "file"), _count(totals.errors, "error"), _count(totals.warnings, "warning")))


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
@click.argument("paths", nargs=-1, required=True, metavar="PATH...", shell_complete=complete_files)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "junit"]), default="text",
              show_default=True, help="Report format.")
@click.option("--api-version", metavar="YYYY-MM-DD", shell_complete=completion.api_versions,
              help="Check against this apiVersion instead of the document's.")
@click.option("--select", multiple=True, metavar="RULES", shell_complete=completion.rule_lists,
              help="Only these rule ids or prefixes, e.g. AIB3,AIB601.")
@click.option("--ignore", multiple=True, metavar="RULES", shell_complete=completion.rule_lists,
              help="Skip these rule ids or prefixes.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), help="Worker processes for large batches [default: cores].")
@click.option("--fix", is_flag=True, help="First make the fixes that cannot change meaning, in the files themselves.")
@click.option("--diff", is_flag=True, help="With --fix: print the fixes as a unified diff and write nothing.")
@config_options
def validate(paths, fmt, api_version, select, ignore, strict, jobs, fix, diff, config_path, no_config):
    """Check Image Builder templates: schema of their apiVersion and the documented rules.

    PATH is a JSON file, a directory (every *.json below it) or - for standard input.
    Accepts the bare imageTemplates resource, ARM deployment templates and the
    properties object alone. Exit 0 clean, 1 findings (errors, or warnings with
    --strict), 2 usage errors. Rule selection, per-path ignores and organisation
    policy (AIB7xx) come from aibgen.yaml or [tool.aibgen] in pyproject.toml.

    --fix rewrites each file, changing only the fixed values, before checking it: type
    names in the wrong case, upper-case checksums, read-only properties, repeated keys
    (the last stays), comments (kept in ARM deployment templates) and trailing commas.
    'aibgen rules' marks the rules it fixes. --fix --diff shows the fixes and writes
    nothing; it exits 1 when there is something to fix.

    \b
    Examples:
      aibgen validate image.json
      aibgen validate templates/ --format json
      aibgen validate - < image.json
      aibgen validate image.json --format sarif > aib.sarif
      aibgen validate image.json --ignore AIB304 --strict
      aibgen validate templates/ --fix --diff
      aibgen validate image.json --fix
    """
    from aibgen import resources
    from aibgen.check.engine import Options
    from aibgen.flows.validate import expand, iter_findings
    from aibgen.report import FORMATS

    if diff and not fix:
        raise click.UsageError("--diff shows what --fix would change; use it with --fix")
    if api_version:
        resources.require_api_version(api_version, "--api-version")
    cfg = load_config(config_path, no_config)
    opts = Options(api_version, _rule_list(select, '--select') or cfg.select, cfg.ignore + _rule_list(ignore, '--ignore'), cfg.policy, cfg)
    files = expand(list(paths))
    if fix and _fix(files, {p for p in paths if p == "-" or not os.path.isdir(p)}, opts, diff):
        return
    write = (lambda text: streams.out(text, nl=False)) if fmt == "text" else streams.data
    totals = FORMATS[fmt](iter_findings(files, opts, jobs), write, files, use_color(sys.stdout))
    if fmt == "text":
        streams.out(_summary(totals))
    streams.flush()
    if totals.errors or (strict and totals.warnings):
        sys.exit(EXIT_FINDINGS)


def _fix(files: list[str], named: set[str], opts, diff: bool) -> bool:
    """Fix ``files`` in place (with ``diff``: print the fixes instead); True when the run ends here.

    Every file named, and every file found in a folder that holds a template, must be one
    --fix can rewrite, or no file is touched; a file that holds no template is never edited."""
    from aibgen.flows.fix import check_writable, fix_file

    if not diff:
        check_writable([f for f in files if f in named])
    results = [fix_file(f, opts) for f in files]  # all worked out before any file is touched
    if not diff:
        check_writable([f for f, r in zip(files, results) if f not in named and r.holds_template])
    changed = [r for r in results if r.changed]
    if diff:
        for r in changed:
            streams.data(r.diff())
        fixes = sum(len(r.fixes) for r in changed)
        streams.err(f"{_count(fixes, 'fix', 'fixes')} in {_count(len(changed), 'file')}; nothing written")
        streams.flush()
        if changed:
            sys.exit(EXIT_FINDINGS)
        return True
    from aibgen.output import write_file
    from aibgen.report.text import printable

    for r in changed:
        write_file(r.name, r.after, force=True)  # --fix is the permission to replace the checked file
        rules = sorted({rule for rule, _ in r.fixes})
        streams.err(printable(f"fixed {r.name}: {_count(len(r.fixes), 'fix', 'fixes')} ({', '.join(rules)})"))
    return False


def _count(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"

"""``aibgen catalog``: list, show, lint and regions."""
from __future__ import annotations

import sys

import click

from aibgen.cli import completion, streams
from aibgen.cli.base import (CONTEXT, Group, catalog_option, config_options, echo_json, load_catalog,
                             load_config, text_or_json, use_color)
from aibgen.errors import EXIT_FINDINGS
from aibgen.report.text import printable


@click.group(cls=Group, context_settings=CONTEXT)
def catalog():
    """List and inspect catalog profiles.

    \b
    Examples:
      aibgen catalog list
      aibgen catalog show win-update-sig
      aibgen catalog show win-update-sig --format json
      aibgen catalog regions
      aibgen catalog docs -o docs/catalog/
      aibgen catalog diff main
    """


@catalog.command("list", context_settings=CONTEXT)
@text_or_json()
@catalog_option
@config_options
def catalog_list(fmt, catalogs, config_path, no_config):
    """List every profile with its description and where it comes from.

    \b
    Example:
      aibgen catalog list --catalog ./my-images
    """
    from aibgen.flows.catalog import list_rows

    rows = list_rows(load_catalog(catalogs, load_config(config_path, no_config)))
    if fmt == "json":
        echo_json(rows)
        return
    width = max((len(r["name"]) for r in rows), default=4)
    for r in rows:
        tag = " (abstract)" if r["abstract"] else ""
        shadow = f" [overrides {', '.join(r['shadows'])}]" if r["shadows"] else ""
        streams.out(printable(f"{r['name']:<{width}}  {r['origin']}{shadow}  {r['description']}{tag}"))


@catalog.command("show", context_settings=CONTEXT)
@click.argument("name", shell_complete=completion.profiles)
@text_or_json()
@click.option("--resolved", is_flag=True, help="Print the merged profile (everything it extends applied).")
@click.option("--explain", is_flag=True, help="Print each value of the merged profile with the file:line it came from.")
@catalog_option
@config_options
def catalog_show(name, fmt, resolved, explain, catalogs, config_path, no_config):
    """Show a profile's description, origin and parameters.

    \b
    Examples:
      aibgen catalog show ubuntu-sig
      aibgen catalog show ubuntu-sig --format json | jq '.parameters[].name'
      aibgen catalog show ubuntu-sig --resolved
      aibgen catalog show ubuntu-sig --explain
    """
    from aibgen.flows.catalog import describe
    from aibgen.profiles.resolve import explain_lines, resolve

    prof = resolve(load_catalog(catalogs, load_config(config_path, no_config)), name)
    if resolved:
        echo_json(prof.data)
    elif explain:
        for line in explain_lines(prof):
            streams.out(printable(line))
    elif fmt == "json":
        echo_json(describe(prof))
    else:
        _show_text(describe(prof), prof.params.values())


def _show_text(info: dict, params) -> None:
    import json

    lines = [f"{info['name']}: {info['description']}", f"  file: {info['file']}"]
    if info["extends"]:
        lines.append(f"  extends: {' → '.join(info['extends'])}")
    lines.append("  parameters:")
    for p in params:
        state = "required" if p.required and p.default is None else f"default: {json.dumps(p.default)}"
        lines.append(f"    {p.name} ({p.describe_type()}, {state})")
        if p.help:
            lines.append(f"        {p.help}")
        if p.example is not None:
            lines.append(f"        example: {json.dumps(p.example)}")
    for line in lines:
        streams.out(printable(line))


@catalog.command("lint", context_settings=CONTEXT)
@text_or_json()
@click.option("-j", "--jobs", type=click.IntRange(1, 64), help="Worker processes [default: cores].")
@catalog_option
@config_options
def catalog_lint(fmt, jobs, catalogs, config_path, no_config):
    """Render every non-abstract profile with its example values and check it.

    Reports each profile that fails to render or has findings; exit 1 when any profile
    has errors. A progress bar is shown on a terminal.

    \b
    Examples:
      aibgen catalog lint
      aibgen catalog lint --catalog ./contoso-images --format json
    """
    cfg = load_config(config_path, no_config)
    dirs = list(cfg.catalogs) + list(catalogs)
    outcomes = _lint(dirs, cfg.policy, jobs, show_bar=sys.stderr.isatty() and fmt == "text")
    failed = [o for o in outcomes if not o.ok]
    if fmt == "json":
        echo_json({"profiles": [o.as_dict() for o in outcomes],
                   "summary": {"profiles": len(outcomes), "failed": len(failed)}})
    else:
        _lint_text(outcomes)
        streams.err(f"{len(outcomes)} profiles, {len(failed)} failed")
    if failed:
        sys.exit(EXIT_FINDINGS)


def _lint(dirs: list[str], policy: dict, jobs, show_bar: bool):
    from aibgen.flows.lint import lint, profiles_to_lint

    if not show_bar:
        return lint(dirs, policy, jobs)
    with click.progressbar(length=len(profiles_to_lint(dirs)), label="linting profiles", file=sys.stderr) as bar:
        return lint(dirs, policy, jobs, progress=lambda _: bar.update(1))


def _lint_text(outcomes) -> None:
    from aibgen.report.text import to_text

    for o in outcomes:
        status = "ok" if o.ok else "FAIL"
        streams.out(f"{status:<4}  {printable(o.name)}" + (f": {printable(o.error)}" if o.error else ""))
        shown = to_text(o.findings, color=use_color(sys.stdout))
        if shown:
            streams.out("      " + shown.rstrip("\n").replace("\n", "\n      "))


@catalog.command("regions", context_settings=CONTEXT)
def catalog_regions():
    """List the regions where Image Builder runs (name and display name).

    Region parameters and `location` accept either form. Regions of the US Government
    and China clouds need a preview feature registered first (shown beside them).

    \b
    Example:
      aibgen catalog regions | grep -i europe
    """
    from aibgen.facts.regions import image_builder_regions

    for entry in image_builder_regions():
        note = f"  ({entry['cloud']}: register {entry['feature']})" if entry.get("feature") else ""
        streams.out(f"{entry['name']:<20} {entry['display']}{note}")


from aibgen.cli.catalog_review import diff, docs  # noqa: E402 - the commands of the same group, kept apart

catalog.add_command(docs)
catalog.add_command(diff)

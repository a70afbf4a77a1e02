"""The ``aibgen`` command line: parse arguments, call the core, print, exit.

Heavy libraries (jinja2, jsonschema, ruamel.yaml) are imported inside the commands that
need them, so ``aibgen --help`` and ``--version`` start fast.
"""
from __future__ import annotations

import os
import sys

import click

from aibgen import __version__
from aibgen.errors import EXIT_FINDINGS, AibgenError

CONTEXT = {"help_option_names": ["-h", "--help"], "terminal_width": 100, "max_content_width": 100}


class Group(click.Group):
    """A click group that turns :class:`AibgenError` and usage errors into one-line messages."""

    def main(self, *args, **kwargs):
        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
        except click.UsageError as err:
            where = err.ctx.command_path if err.ctx is not None else "aibgen"
            click.echo(f"error: {err.format_message()} (see '{where} --help')", err=True)
            sys.exit(err.exit_code)
        except click.ClickException as err:
            click.echo(f"error: {err.format_message()}", err=True)
            sys.exit(err.exit_code)
        except click.Abort:
            click.echo("aborted", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except AibgenError as err:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            _fail(err)


def _fail(err: AibgenError) -> None:
    click.echo(click.style("error: ", fg="red", bold=True) + str(err), err=True, color=_color(sys.stderr))
    findings = getattr(err, "findings", None)
    if findings:
        from aibgen.report.findings import to_text

        click.echo(to_text(findings, color=_color(sys.stderr)), err=True, nl=False, color=_color(sys.stderr))
    sys.exit(err.exit_code)


def _color(stream) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ


@click.group(cls=Group, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="aibgen")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for errors.")
@click.pass_context
def main(ctx, debug: bool) -> None:
    """Azure VM Image Builder templates from a catalog of reviewed profiles.

    \b
    Examples:
      aibgen catalog list
      aibgen catalog show ubuntu-gen2-vhd
      aibgen new --profile ubuntu-gen2-vhd --set identity=/subscriptions/.../userAssignedIdentities/aib -o ubuntu.json
      aibgen validate ubuntu.json
      aibgen explain AIB301
    """
    ctx.obj = {"debug": debug}


catalog_option = click.option("--catalog", "catalogs", multiple=True, metavar="DIR",
                              help="Extra catalog directory (repeatable); later ones win. "
                                   "Also read from AIBGEN_CATALOG_PATH.")


def config_options(fn):
    """--config FILE and --no-config."""
    fn = click.option("--no-config", is_flag=True, help="Ignore aibgen.yaml / pyproject.toml.")(fn)
    return click.option("--config", "config_path", metavar="FILE",
                        help="Configuration file [default: nearest aibgen.yaml or pyproject.toml with [tool.aibgen]].")(fn)


def _config(path, disabled):
    from aibgen import config

    return config.load(path, search=not disabled)


def _catalog(dirs, cfg=None):
    from aibgen.profiles.roots import default_roots, load_catalog

    return load_catalog(default_roots(list(cfg.catalogs if cfg else []) + list(dirs)))


@main.command(context_settings=CONTEXT)
@click.option("-p", "--profile", "profile", required=True, metavar="NAME", help="Catalog profile to render.")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help="Set a parameter (repeatable).")
@click.option("--values", "values_files", multiple=True, metavar="FILE.yaml",
              help="YAML mapping of parameter values (repeatable; --set wins).")
@click.option("--example-values", is_flag=True, help="Start from the profile's documented example values.")
@click.option("--no-input", is_flag=True, help="Never prompt; report every missing required parameter.")
@click.option("--api-version", metavar="YYYY-MM-DD", help="Image Builder apiVersion (default: the profile's, else newest).")
@click.option("--format", "fmt", type=click.Choice(["template", "arm"]), default="template", show_default=True,
              help="template: the bare resource (az image builder create --image-template); "
                   "arm: an ARM deployment template whose parameters are the profile's.")
@click.option("-o", "--output", metavar="PATH", help="Output file, or - for stdout [default: ./<name>.json].")
@click.option("-f", "--force", is_flag=True, help="Replace the output file if it exists.")
@catalog_option
@config_options
def new(profile, sets, values_files, example_values, no_input, api_version, fmt, output, force, catalogs,
        config_path, no_config):
    """Render a catalog profile into a checked Image Builder template.

    Parameter values come from defaults, then --values files, then --set; on a terminal,
    missing required parameters are prompted for. The template is checked against the
    schema of its apiVersion and written only if it has no errors.

    \b
    Examples:
      aibgen new --profile ubuntu-gen2-vhd \\
          --set identity=/subscriptions/<guid>/resourceGroups/img/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aib \\
          -o ubuntu.json
      aibgen new --profile win-update-sig --no-input --values params.yaml --format arm -o win.json
      aibgen new --profile ubuntu-sig --example-values -o -
    """
    from aibgen.flows.new import Request, build

    cfg = _config(config_path, no_config)
    req = Request(profile, list(values_files), list(sets), api_version, fmt, example_values, cfg.policy)
    interactive = not no_input and sys.stdin.isatty()
    result = build(_catalog(catalogs, cfg), req, _prompt if interactive else None)
    _warn(result.findings)
    target = output or f"{result.doc.get('name') or profile}.json"
    if fmt == "arm" and not output:
        target = f"{profile}.arm.json"
    from aibgen import emit

    emit.write(target, result.text, force)
    if target != "-":
        click.echo(f"wrote {target} ({result.profile.name}, apiVersion {result.api_version})", err=True)


def _warn(findings) -> None:
    """Show warnings of a template that was written anyway."""
    from aibgen.report.findings import to_text

    shown = [f for f in findings if f.severity != "error"]
    if shown:
        click.echo(to_text(shown, color=_color(sys.stderr)), err=True, nl=False)


def _prompt(param):
    from aibgen.errors import ParameterError
    from aibgen.profiles.params import parse

    label = f"{param.name} ({param.describe_type()})"
    if param.help:
        click.echo(click.style(param.help, dim=True), err=True)
    while True:
        text = click.prompt(label, err=True)
        try:
            return parse(param, text, "input")
        except ParameterError as exc:
            click.echo(f"  {exc}", err=True)


@main.group(cls=Group, context_settings=CONTEXT)
def catalog():
    """List and inspect catalog profiles.

    \b
    Examples:
      aibgen catalog list
      aibgen catalog show win-update-sig
      aibgen catalog show win-update-sig --format json
      aibgen catalog regions
    """


@catalog.command("list", context_settings=CONTEXT)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@catalog_option
@config_options
def catalog_list(fmt, catalogs, config_path, no_config):
    """List every profile with its description and where it comes from.

    \b
    Example:
      aibgen catalog list --catalog ./my-images
    """
    import json

    from aibgen.profiles.profile import load_file

    cat = _catalog(catalogs, _config(config_path, no_config))
    rows = []
    for name, entry in sorted(cat.profiles.items()):
        data = load_file(entry).data
        rows.append({"name": name, "abstract": bool(data.get("abstract")),
                     "description": data.get("description", ""), "origin": entry.root,
                     "path": str(entry.path), "shadows": entry.shadows})
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    width = max((len(r["name"]) for r in rows), default=4)
    for r in rows:
        tag = " (abstract)" if r["abstract"] else ""
        shadow = f" [overrides {', '.join(r['shadows'])}]" if r["shadows"] else ""
        click.echo(f"{r['name']:<{width}}  {r['origin']}{shadow}  {r['description']}{tag}")


@catalog.command("show", context_settings=CONTEXT)
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
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
    import json

    from aibgen.profiles.profile import explain_lines, resolve

    prof = resolve(_catalog(catalogs, _config(config_path, no_config)), name)
    if resolved:
        click.echo(json.dumps(prof.data, indent=2, ensure_ascii=False))
        return
    if explain:
        for line in explain_lines(prof):
            click.echo(line)
        return
    info = {"name": prof.name, "description": prof.data.get("description", ""),
            "abstract": prof.abstract, "file": prof.file, "extends": prof.chain[:-1],
            "apiVersion": prof.data.get("apiVersion"), "os": prof.data.get("os"),
            "parameters": [p.as_dict() for p in prof.params.values()]}
    if fmt == "json":
        click.echo(json.dumps(info, indent=2))
        return
    click.echo(f"{prof.name}: {info['description']}")
    click.echo(f"  file: {prof.file}")
    if info["extends"]:
        click.echo(f"  extends: {' → '.join(info['extends'])}")
    click.echo("  parameters:")
    for p in prof.params.values():
        state = "required" if p.required and p.default is None else f"default: {json.dumps(p.default)}"
        click.echo(f"    {p.name} ({p.describe_type()}, {state})")
        if p.help:
            click.echo(f"        {p.help}")
        if p.example is not None:
            click.echo(f"        example: {json.dumps(p.example)}")


@catalog.command("lint", context_settings=CONTEXT)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
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
    import json

    from aibgen.report.findings import to_text
    from aibgen.flows.lint import lint

    cfg = _config(config_path, no_config)
    dirs = list(cfg.catalogs) + list(catalogs)
    show_bar = sys.stderr.isatty() and fmt == "text"
    outcomes = _lint_with_progress(lint, dirs, cfg.policy, jobs, show_bar)
    failed = [o for o in outcomes if not o.ok]
    if fmt == "json":
        click.echo(json.dumps({"profiles": [o.as_dict() for o in outcomes],
                               "summary": {"profiles": len(outcomes), "failed": len(failed)}}, indent=2))
    else:
        for o in outcomes:
            status = "ok" if o.ok else "FAIL"
            click.echo(f"{status:<4}  {o.name}" + (f": {o.error}" if o.error else ""))
            shown = to_text(o.findings, color=_color(sys.stdout))
            if shown:
                click.echo("      " + shown.rstrip("\n").replace("\n", "\n      "))
        click.echo(f"{len(outcomes)} profiles, {len(failed)} failed", err=True)
    if failed:
        sys.exit(EXIT_FINDINGS)


def _lint_with_progress(lint, dirs, policy, jobs, show_bar):
    from aibgen.flows.lint import _catalog, concrete_profiles

    if not show_bar:
        return lint(dirs, policy, jobs)
    total = len(concrete_profiles(_catalog(tuple(dirs))))
    with click.progressbar(length=total, label="linting profiles", file=sys.stderr) as bar:
        return lint(dirs, policy, jobs, progress=lambda _: bar.update(1))


@catalog.command("regions", context_settings=CONTEXT)
def catalog_regions():
    """List the regions where Image Builder runs (name and display name).

    Region parameters and `location` accept either form.

    \b
    Example:
      aibgen catalog regions | grep -i europe
    """
    from aibgen import resources

    for display, name in resources.data("regions")["regions"]:
        click.echo(f"{name:<20} {display}")


@main.command(context_settings=CONTEXT)
@click.argument("kind", type=click.Choice(["profile", "template", "config"]))
@click.option("--api-version", metavar="YYYY-MM-DD", help="For 'template': the apiVersion [default: newest].")
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
    from aibgen.errors import InputError

    name = {"profile": "profile", "config": "config"}.get(kind) or api_version or resources.latest_api_version()
    if kind == "template" and name not in resources.api_versions():
        raise InputError(f"--api-version {name}: not a bundled apiVersion; use one of {', '.join(resources.api_versions())}")
    click.echo(json.dumps(resources.schema(name), indent=1, ensure_ascii=False))


def _rule_list(values) -> tuple[str, ...]:
    return tuple(part.strip().upper() for v in values for part in v.split(",") if part.strip())


@main.command(context_settings=CONTEXT)
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
    from aibgen.errors import InputError
    from aibgen.report.findings import stream_json, stream_text, summary
    from aibgen.flows.validate import expand, iter_findings

    if api_version and api_version not in resources.api_versions():
        raise InputError(f"--api-version {api_version}: not a bundled apiVersion; use one of "
                         + ", ".join(resources.api_versions()))
    cfg = _config(config_path, no_config)
    opts = Options(api_version, _rule_list(select) or cfg.select, cfg.ignore + _rule_list(ignore), cfg.policy, cfg)
    files = expand(list(paths))
    results = iter_findings(files, opts, jobs)
    out = sys.stdout.write
    if fmt == "text":
        totals = stream_text(results, out, color=_color(sys.stdout)).as_dict()
    elif fmt == "json":
        totals = stream_json(results, out).as_dict()
    else:
        findings = [f for _, found in results for f in found]
        out(_buffered_report(findings, fmt, files))
        totals = summary(findings, len(files))
    sys.stdout.flush()
    if totals["errors"] or (strict and totals["warnings"]):
        sys.exit(EXIT_FINDINGS)


def _buffered_report(findings, fmt: str, files: list[str]) -> str:
    from aibgen import __version__
    from aibgen.report.findings import to_junit, to_sarif

    if fmt == "sarif":
        from aibgen.rules import load_builtin

        return to_sarif(findings, load_builtin(), __version__)
    return to_junit(findings, [("<stdin>" if p == "-" else p) for p in files])


@main.command(context_settings=CONTEXT)
@click.argument("rule_id", metavar="RULE")
def explain(rule_id):
    """Explain a rule: what it checks, why, and how to fix it.

    \b
    Example:
      aibgen explain AIB304
    """
    from aibgen.errors import InputError
    from aibgen.rules import load_builtin

    rules = load_builtin()
    rule = rules.get(rule_id.upper())
    if rule is None:
        from aibgen.errors import did_you_mean

        raise InputError(f"no rule {rule_id}{did_you_mean(rule_id.upper(), rules)}; 'aibgen rules' lists them")
    click.echo(f"{rule.id} ({rule.severity}): {rule.summary}\n\n{rule.explain}")


@main.command("rules", context_settings=CONTEXT)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_rules(fmt):
    """List every rule: id, severity and a one-line summary.

    \b
    Example:
      aibgen rules --format json
    """
    import json

    from aibgen.rules import load_builtin

    rules = sorted(load_builtin().values(), key=lambda r: r.id)
    if fmt == "json":
        click.echo(json.dumps([{"id": r.id, "severity": r.severity, "summary": r.summary} for r in rules], indent=2))
        return
    for r in rules:
        click.echo(f"{r.id}  {r.severity:<7}  {r.summary}")


if __name__ == "__main__":  # pragma: no cover
    main()

"""``aibgen deploy`` and ``aibgen diff``: a checked template file against the deployed resource.

Azure cannot update most of an image template, so deploy compares first: nothing to do when
the deployed one is the same (what the service fills in or keeps to itself does not count),
a refusal naming the first difference otherwise, unless ``--replace`` (delete, wait,
recreate; refused while a build runs).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from aibgen.cli import streams
from aibgen.cli.base import CONTEXT, echo_json, load_config, text_or_json, warn
from aibgen.cli.cloud import check_name, connect, dry_read, group_option, target_options, templates, wait_option
from aibgen.errors import EXIT_FINDINGS, FindingsError, InputError
from aibgen.report.text import printable


def load_template(path: str) -> tuple[dict, list]:
    """The bare imageTemplates resource in ``path`` and its findings; error findings stop here."""
    from aibgen.check.engine import Options
    from aibgen.cloud.templates import TYPE
    from aibgen.flows.validate import read, validate_bytes

    cfg = load_config(None, False)
    name, raw = read(path)
    findings = validate_bytes(name, raw, Options(None, cfg.select, cfg.ignore, cfg.policy, cfg))
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise FindingsError(f"{name}: {len(errors)} error finding{'s' if len(errors) != 1 else ''}; "
                            "nothing was sent to Azure", errors)
    doc = json.loads(raw.decode("utf-8-sig"))
    if not (isinstance(doc, dict) and str(doc.get("type", "")).lower() == TYPE.lower()):
        raise InputError(f"{name}: not a bare imageTemplates resource; deploy takes what 'aibgen new --format "
                         "template' writes (deploy ARM templates with 'az deployment group create')")
    return doc, findings


def template_name(given: str | None, resource: dict, path: str) -> str:
    """-n, else the resource's name, else the file name without .json."""
    from aibgen.facts.resource_ids import TEMPLATE_NAME

    if not given and not resource.get("name") and path == "-":
        raise InputError("a template read from standard input has no file name to name it; give one with -n NAME")
    name = given or resource.get("name") or Path(path).name.removesuffix(".json")
    if not isinstance(name, str) or not TEMPLATE_NAME.fullmatch(name) or not name.strip("."):
        raise InputError(f"template name {name!r}: use 1-64 letters, digits, '.', '_' or '-' (not only dots); "
                         "give one with -n NAME")
    return name


def changes(local: dict, deployed: dict, api_version: str | None) -> list:
    """The semantic differences from ``deployed`` to ``local``."""
    from aibgen import resources
    from aibgen.check.readonly import read_only
    from aibgen.cloud.compare import differences

    version = api_version if api_version in resources.api_versions() else resources.latest_api_version()
    return differences(local, deployed, read_only(deployed, version))


@click.command(context_settings=CONTEXT)
@click.argument("path", metavar="TEMPLATE.json")
@group_option("Resource group to deploy into.")
@click.option("-n", "--name", metavar="NAME", callback=check_name,
              help="Template name [default: the file's name member, else its file name].")
@click.option("--replace", is_flag=True, help="When the deployed template differs: delete it and create it anew.")
@click.option("--dry-run", is_flag=True,
              help="Read the deployed template and print the requests deploy would send, sending none.")
@wait_option
@target_options
def deploy(path, group, name, replace, dry_run, poll_interval, subscription, cloud, arm_endpoint):
    """Create the imageTemplates resource of a checked template file.

    The file is checked first (as 'aibgen validate' does); error findings stop the deploy.
    An existing template is compared with the file: the same, nothing is done; different,
    the deploy is refused unless --replace, as Azure cannot update an image template.

    \b
    Examples:
      aibgen deploy ubuntu.json -g img-rg
      aibgen deploy ubuntu.json -g img-rg -n ubuntu-golden --replace
      aibgen deploy ubuntu.json -g img-rg --dry-run
    """
    resource, findings = load_template(path)
    warn(findings)
    name = template_name(name, resource, path)
    api_version = resource.get("apiVersion")
    tgt = connect(subscription, cloud, arm_endpoint, poll_interval, required=not dry_run)
    tpl = templates(tgt, api_version)
    ref = tpl.ref(group, name)
    if dry_run:
        show_plan(tpl, ref, resource, replace, path)
        return
    put(tpl, ref, resource, replace, path)


def plan(tpl, ref, resource: dict, replace: bool, source: str) -> list[str]:
    """The writes deploy makes: ``["PUT"]``, ``["DELETE", "PUT"]`` or none; refusals raise here, before any."""
    from aibgen.cloud.failures import CloudError
    from aibgen.cloud.progress import BUSY, last_run
    from aibgen.cloud.templates import member

    deployed = tpl.find(ref)
    if deployed is None:
        return ["PUT"]
    props = member(deployed, "properties")
    if props.get("provisioningState") == "Failed":  # it can never build, whatever it holds
        if not replace:
            error = member(props, "provisioningError")
            raise CloudError(f"{ref.id}: its provisioning failed ({error.get('message') or 'no message'}), so it "
                             "cannot build; --replace deletes and recreates it")
        return ["DELETE", "PUT"]
    found = changes(resource, deployed, resource.get("apiVersion"))
    if not found:
        return []
    if not replace:
        raise CloudError(f"{ref.id} differs from {source} at {len(found)} place{'s' if len(found) != 1 else ''} "
                         f"(first {found[0].pointer}) and Azure cannot update an image template; "
                         f"--replace deletes and recreates it ('aibgen diff' shows the differences)")
    if last_run(deployed).get("runState") in BUSY:
        raise CloudError(f"{ref.id}: a build is running, so it cannot be replaced; wait for it to end "
                         f"or stop it with 'aibgen cancel -g {ref.group} -n {ref.name}'")
    return ["DELETE", "PUT"]


def put(tpl, ref, resource: dict, replace: bool, source: str) -> None:
    """Create the template at ``ref``; leave an identical one alone; replace a different one only if asked."""
    from aibgen.cloud.failures import CloudError
    from aibgen.cloud.templates import member

    steps = plan(tpl, ref, resource, replace, source)
    if not steps:
        streams.err(printable(f"unchanged: {ref.id} already matches {source}"))
        return
    if "DELETE" in steps:
        streams.err(printable(f"deleting {ref.id} to replace it"))
        tpl.delete(ref)
    try:
        created = tpl.create(ref, resource)
    except CloudError as err:
        if "DELETE" not in steps:
            raise
        raise CloudError(f"{err}; the old template was deleted to replace it, so deploy again once this is "
                         "fixed") from None
    state = member(created, "properties").get("provisioningState")
    streams.err(printable(f"{'replaced' if 'DELETE' in steps else 'created'} {ref.id} (provisioning {state})"))


def show_plan(tpl, ref, resource: dict, replace: bool, source: str) -> None:
    """``--dry-run``: print the requests :func:`put` would send (it reads the deployed template to know them)."""
    from aibgen.cloud.templates import SDK_API_VERSION, body, request_text

    steps = dry_read(tpl.target, lambda: plan(tpl, ref, resource, replace, source))
    if steps == []:
        streams.err(printable(f"unchanged: {ref.id} already matches {source}; nothing would be sent"))
    for method in steps if steps is not None else ["PUT"]:
        payload = body(resource) if method == "PUT" else None
        version = resource.get("apiVersion") or SDK_API_VERSION
        streams.data(request_text(tpl.target, method, ref, version, payload=payload))


@click.command(context_settings=CONTEXT)
@click.argument("path", metavar="TEMPLATE.json")
@group_option()
@click.option("-n", "--name", metavar="NAME", callback=check_name,
              help="Template name [default: the file's name member, else its file name].")
@text_or_json("Output format.")
@target_options
def diff(path, group, name, fmt, subscription, cloud, arm_endpoint):
    """Show what differs between a template file and the deployed template.

    Read-only and server-filled members are not differences. Exit 0 when they are the
    same, 1 when they differ.

    \b
    Examples:
      aibgen diff ubuntu.json -g img-rg -n ubuntu-golden
      aibgen diff ubuntu.json -g img-rg --format json
    """
    resource, _ = load_template(path)
    name = template_name(name, resource, path)
    tpl = templates(connect(subscription, cloud, arm_endpoint), resource.get("apiVersion"))
    ref = tpl.ref(group, name)
    found = changes(resource, tpl.get(ref), resource.get("apiVersion"))
    if fmt == "json":
        echo_json({"id": ref.id, "same": not found, "differences": [c.as_dict() for c in found]})
    else:
        for change in found:
            streams.out(printable(_line(change)))
        streams.err(printable(f"{ref.id}: " + (f"{len(found)} difference{'s' if len(found) != 1 else ''}"
                                              if found else "same as the file")))
    if found:
        streams.flush()
        sys.exit(EXIT_FINDINGS)


def _line(change) -> str:
    if change.deployed is None:
        return f"+ {change.pointer}: {_short(change.local)}"
    if change.local is None:
        return f"- {change.pointer}: {_short(change.deployed)}"
    return f"~ {change.pointer}: {_short(change.deployed)} -> {_short(change.local)}"


def _short(value) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 120 else text[:119] + "…"

"""``aibgen build``: profile to image in one command — render, check, deploy, run, wait, outputs."""
from __future__ import annotations

import click

from aibgen.cli import completion, streams
from aibgen.cli.base import CONTEXT, catalog_option, config_options, load_catalog, load_config, warn
from aibgen.cli.cloud import check_name, connect, group_option, target_options, templates, wait_option


@click.command(context_settings=CONTEXT)
@click.option("-p", "--profile", "profile", required=True, metavar="NAME", help="Catalog profile to build.",
              shell_complete=completion.renderable_profiles)
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help="Set a parameter (repeatable).",
              shell_complete=completion.parameters)
@click.option("--values", "values_files", multiple=True, metavar="FILE.yaml",
              help="YAML mapping of parameter values (repeatable; --set wins).")
@click.option("--example-values", is_flag=True, help="Start from the profile's documented example values.")
@group_option()
@click.option("-n", "--name", metavar="NAME", callback=check_name,
              help="Template name [default: the rendered template's name].")
@click.option("--replace", is_flag=True, help="When a different template of that name exists: delete and recreate it.")
@click.option("--upload-scripts", "upload_to", metavar="ACCOUNT/CONTAINER",
              help="Upload the local files profile items name with script: to this blob container (or its "
                   "https:// URL) and point the steps at them.")
@click.option("--dry-run", is_flag=True,
              help="Read the deployed template and print the requests build would send, sending none.")
@wait_option
@catalog_option
@config_options
@target_options
def build(profile, sets, values_files, example_values, group, name, replace, upload_to, dry_run, poll_interval,
          catalogs, config_path, no_config, subscription, cloud, arm_endpoint):
    """Build an image from a catalog profile: render, check, deploy, run and wait.

    The template is rendered and checked as 'aibgen new' does (error findings stop here),
    deployed as 'aibgen deploy' does, then built as 'aibgen run --wait' does: exit 0 when
    the build succeeded, with each run output's artifact id or URI on standard output.

    \b
    Examples:
      aibgen build -p ubuntu-gen2-vhd --set identity=/subscriptions/.../userAssignedIdentities/aib -g img-rg
      aibgen build -p ubuntu-sig --values prod.yaml -g img-rg --replace
      aibgen build -p web --values prod.yaml -g img-rg --upload-scripts imgscripts/scripts
    """
    from aibgen.cli.cloud_deploy import put, show_plan, template_name
    from aibgen.cli.cloud_run import follow
    from aibgen.cloud.progress import last_run
    from aibgen.cloud.templates import SDK_API_VERSION, request_text
    from aibgen.flows.new import Request, build as render

    cfg = load_config(config_path, no_config)
    req = Request(profile, list(values_files), list(sets), None, "template", example_values, cfg.policy)
    catalog = load_catalog(catalogs, cfg)
    result = render(catalog, req, None)
    warn(result.findings)
    resource = result.doc
    name = template_name(name, resource, profile)
    tgt = connect(subscription, cloud, arm_endpoint, poll_interval, required=not dry_run)
    if upload_to:
        _upload(tgt, upload_to, scripts(catalog, result.profile), resource, dry_run)
    tpl = templates(tgt, result.api_version)
    ref = tpl.ref(group, name)
    if dry_run:
        show_plan(tpl, ref, resource, replace, f"profile {profile}")
        streams.data(request_text(tgt, "POST", ref, SDK_API_VERSION, "run"))
        return
    put(tpl, ref, resource, replace, f"profile {profile}")
    runner = templates(tgt)
    before = last_run(runner.get(ref))
    runner.start_run(ref)
    follow(runner, ref, before, poll_interval, f"-g {group} -n {name}")


def scripts(catalog, prof) -> list:
    """The local files the profile's items name with ``script:``."""
    from pathlib import PurePath

    from aibgen.cloud.upload import Script
    from aibgen.profiles.roots import local_file

    found = []
    lists = [("/customize", prof.data.get("customize")),
             ("/validate/inVMValidations", (prof.data.get("validate") or {}).get("inVMValidations"))]
    for base, items in lists:
        for i, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict) and isinstance(item.get("script"), str):
                file = prof.where(f"{base}/{i}/script")[0]
                found.append(Script(PurePath(item["script"]).name, local_file(catalog, file, item["script"])))
    return found


def _upload(tgt, spec: str, found: list, resource: dict, dry_run: bool) -> None:
    from aibgen.cloud.upload import destination, point, upload
    from aibgen.errors import InputError
    from aibgen.report.text import printable

    account_url, container = destination(spec, tgt.cloud)
    if not found:
        raise InputError("--upload-scripts: the profile names no local file with script:, "
                         "so there is nothing to upload")
    if dry_run:
        urls = {s.sha256: (f"{account_url}/{container}/{s.blob}", False) for s in found}
        for url, _ in urls.values():
            streams.data(f"PUT {url}\n")
        point(resource, urls)
        return
    urls = upload(tgt, account_url, container, found)
    point(resource, urls)
    for url, sent in urls.values():
        streams.err(printable(f"{'uploaded' if sent else 'already there'}: {url}"))
    streams.err(printable(f"the template's identity needs 'Storage Blob Data Reader' on {account_url}/{container}"))

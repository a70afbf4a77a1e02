"""The Azure commands' shared options and the read-only ones: ``status``, ``outputs``, ``cancel``.

Every cloud command imports :mod:`aibgen.cloud` (and through it the Azure SDK) only when it
runs, so ``aibgen --help``, ``validate`` and ``new`` never load the SDK. Without the extra
``aibgen[azure]`` a cloud command ends with one line naming the install command, exit 2.
"""
from __future__ import annotations

import re

import click

from aibgen.cli import streams
from aibgen.cli.base import CONTEXT, echo_json, text_or_json
from aibgen.report.text import printable


def target_options(fn):
    """--subscription, --cloud and --arm-endpoint."""
    fn = click.option("--arm-endpoint", metavar="URL",
                      help="Resource Manager endpoint, e.g. a private endpoint or a test server; the token "
                           "is still for --cloud (also AIBGEN_ARM_ENDPOINT).")(fn)
    fn = click.option("--cloud", default="AzureCloud", show_default=True, metavar="NAME",
                      help="AzureCloud, AzureUSGovernment or AzureChinaCloud.")(fn)
    return click.option("--subscription", metavar="GUID",
                        help="Subscription id [default: AZURE_SUBSCRIPTION_ID, else the Azure CLI's default].")(fn)


def check_group(ctx, param, value):
    """A resource group name as Azure allows it (letters, digits, '-', '_', '.', '()'; not ending in '.')."""
    if value is not None and not re.fullmatch(r"[-\w.()]{0,89}[-\w()]", value):
        raise click.BadParameter(f"{value!r} is not a resource group name (up to 90 letters, digits, "
                                 "'-', '_', '.', '(' and ')', not ending in '.')")
    return value


def check_name(ctx, param, value):
    """An image template name as the API allows it."""
    from aibgen.facts.resource_ids import TEMPLATE_NAME

    if value is not None and (not TEMPLATE_NAME.fullmatch(value) or not value.strip(".")):
        raise click.BadParameter(f"{value!r} is not an image template name (1-64 letters, digits, '-', '_', '.'; "
                                 "not only dots)")
    return value


def group_option(help_text: str = "Resource group of the image template."):
    return click.option("-g", "--resource-group", "group", required=True, metavar="RG", callback=check_group,
                        help=help_text)


def template_options(fn):
    """-g/--resource-group and -n/--name."""
    fn = click.option("-n", "--name", required=True, metavar="NAME", callback=check_name,
                      help="Image template name.")(fn)
    return group_option()(fn)


def wait_option(fn):
    return click.option("--poll-interval", type=click.FloatRange(0.01, 600), default=15.0, show_default=True,
                        metavar="SECONDS", help="First wait between status checks; it grows while nothing changes.")(fn)


def connect(subscription, cloud, arm_endpoint, poll_interval=15.0, required=True):
    """The :class:`aibgen.cloud.connect.Target` of the options (the SDK is checked first)."""
    from aibgen.cloud import connect as conn

    conn.sdk()
    return conn.target(subscription, cloud, arm_endpoint, poll_interval, required)


def dry_read(tgt, read, unread: str = "the requests are those for a new template"):
    """For ``--dry-run``: ``read()`` (GET requests only), or None with a note when there is no subscription.

    Without a subscription a dry run still prints its requests, as for a template that is
    not deployed. Any other failure, a credential's too, is the one the real command meets.
    """
    from aibgen.cloud.connect import PLACEHOLDER

    if tgt.subscription == PLACEHOLDER:
        streams.err(f"note: no subscription (--subscription or AZURE_SUBSCRIPTION_ID), so nothing deployed was read; "
                    f"{unread}")
        return None
    return read()


def templates(tgt, api_version=None):
    from aibgen.cloud.templates import Templates

    return Templates(tgt, api_version)


@click.command(context_settings=CONTEXT)
@template_options
@text_or_json("Output format.")
@target_options
def status(group, name, subscription, cloud, arm_endpoint, fmt):
    """Show a deployed template's provisioning state and its last build.

    \b
    Examples:
      aibgen status -g img-rg -n ubuntu-golden
      aibgen status -g img-rg -n ubuntu-golden --format json
    """
    tpl = templates(connect(subscription, cloud, arm_endpoint))
    ref = tpl.ref(group, name)
    from aibgen.cloud.templates import member

    props = member(tpl.get(ref), "properties")
    record = {"id": ref.id, "provisioningState": props.get("provisioningState"),
              "provisioningError": member(props, "provisioningError") or None,
              "lastRunStatus": member(props, "lastRunStatus") or None}
    if fmt == "json":
        echo_json({k: v for k, v in record.items() if v is not None})
        return
    run = record["lastRunStatus"] or {}
    rows = [("template", ref.id), ("provisioning", record["provisioningState"]),
            ("run state", run.get("runState") or "never built"), ("run substate", run.get("runSubState")),
            ("started", run.get("startTime")), ("ended", run.get("endTime")), ("message", run.get("message")),
            ("error", (record["provisioningError"] or {}).get("message"))]
    for label, value in rows:
        if value:
            streams.out(printable(f"{label:<13}{value}"))


def output_rows(outputs: list[dict]) -> list[tuple[str, str]]:
    """(runOutputName, artifact id or URI) of each run output."""
    from aibgen.cloud.templates import member

    rows = []
    for item in outputs:
        props = member(item, "properties")
        rows.append((str(item.get("name", "")), str(props.get("artifactId") or props.get("artifactUri") or "")))
    return rows


def show_outputs(outputs: list[dict]) -> None:
    rows = output_rows(outputs)
    width = max((len(n) for n, _ in rows), default=0)
    for name, artifact in rows:
        streams.out(printable(f"{name:<{width}}  {artifact}"))


@click.command(context_settings=CONTEXT)
@template_options
@text_or_json("Output format.")
@target_options
def outputs(group, name, subscription, cloud, arm_endpoint, fmt):
    """List the run outputs of the last build: name and artifact id or URI.

    \b
    Examples:
      aibgen outputs -g img-rg -n ubuntu-golden
      aibgen outputs -g img-rg -n ubuntu-golden --format json
    """
    tpl = templates(connect(subscription, cloud, arm_endpoint))
    ref = tpl.ref(group, name)
    tpl.get(ref)  # a missing template is an error, not an empty list
    found = tpl.run_outputs(ref)
    if fmt == "json":
        from aibgen.cloud.templates import member

        echo_json([{"name": item.get("name"), **member(item, "properties")} for item in found])
    elif found:
        show_outputs(found)
    else:
        streams.err("no run outputs: the template has no successful build yet")


@click.command(context_settings=CONTEXT)
@template_options
@target_options
def cancel(group, name, subscription, cloud, arm_endpoint):
    """Ask Azure to stop the running build of a template.

    \b
    Example:
      aibgen cancel -g img-rg -n ubuntu-golden
    """
    from aibgen.cloud.progress import BUSY, last_run

    tpl = templates(connect(subscription, cloud, arm_endpoint))
    ref = tpl.ref(group, name)
    state = last_run(tpl.get(ref)).get("runState")
    if state not in BUSY:
        from aibgen.cloud.failures import CloudError

        raise CloudError(f"{ref.id}: no build is running (last run: {state or 'none'}); nothing to cancel")
    tpl.cancel(ref)
    streams.err(printable(f"cancel requested for {ref.id}; 'aibgen status -g {group} -n {name}' shows when it stops"))

"""``aibgen run``: start a build and, with ``--wait``, follow it to the end.

Progress goes to standard error: one line per change of run state on a pipe or in CI, a
status line rewritten in place on a terminal. The end: exit 0 on Succeeded, 1 on Failed,
Canceled or PartiallySucceeded, with the service's message and the run outputs. Ctrl-C while
waiting asks on a terminal whether to cancel the build; elsewhere the build goes on.
"""
from __future__ import annotations

import sys

import click

from aibgen.cli import streams
from aibgen.cli.base import CONTEXT
from aibgen.cli.cloud import connect, dry_read, show_outputs, target_options, template_options, templates, wait_option
from aibgen.errors import EXIT_FINDINGS, EXIT_INTERRUPTED, Interrupted
from aibgen.report.text import printable


@click.command(context_settings=CONTEXT)
@template_options
@click.option("--wait", is_flag=True, help="Follow the build until it ends; exit 0 only if it succeeded.")
@click.option("--dry-run", is_flag=True,
              help="Check that the template is deployed and print the request, sending none.")
@wait_option
@target_options
def run(group, name, subscription, cloud, arm_endpoint, wait, dry_run, poll_interval):
    """Start a build of a deployed template.

    \b
    Examples:
      aibgen run -g img-rg -n ubuntu-golden --wait
      aibgen run -g img-rg -n ubuntu-golden
    """
    from aibgen.cloud.progress import last_run
    from aibgen.cloud.templates import SDK_API_VERSION, request_text

    tgt = connect(subscription, cloud, arm_endpoint, poll_interval, required=not dry_run)
    tpl = templates(tgt)
    ref = tpl.ref(group, name)
    if dry_run:
        dry_read(tgt, lambda: tpl.get(ref), "whether the template is deployed was not checked")
        streams.data(request_text(tgt, "POST", ref, SDK_API_VERSION, "run"))
        return
    before = last_run(tpl.get(ref))
    tpl.start_run(ref)
    if not wait:
        streams.err(printable(f"build started: {ref.id}; 'aibgen status -g {group} -n {name}' follows it"))
        return
    follow(tpl, ref, before, poll_interval, f"-g {group} -n {name}")


def follow(tpl, ref, before: dict | None, interval: float, where: str) -> None:
    """Watch the build to its end, then report it and exit with its outcome."""
    from aibgen.cloud.failures import CloudError
    from aibgen.cloud.progress import watch

    live = streams.is_terminal(sys.stderr)
    change = None
    try:
        for change in watch(lambda: tpl.get(ref), interval, before):
            _show(change, live)
    except Interrupted:
        _interrupted(tpl, ref, live, where)
    except CloudError as err:  # the watch failed, not the build
        if live:
            streams.err()
        raise CloudError(f"{err}; stopped watching, the build goes on in Azure ('aibgen status {where}' "
                         "shows it)") from None
    if live:
        streams.err()
    _report(tpl, ref, change, where)


def _show(change, live: bool) -> None:
    seconds = int(change.elapsed)
    text = f"[{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}] {change.state}"
    text += f" ({change.sub_state})" if change.sub_state else ""
    if live:
        streams.err(f"\r\x1b[2K{printable(text)}", nl=False)
    else:
        streams.err(printable(text))


def _report(tpl, ref, change, where: str) -> None:
    status = change.status if change is not None else {}
    message = status.get("message")
    if message:
        streams.err(printable(f"message: {message}"))
    found = tpl.run_outputs(ref) if change is not None and change.state in ("Succeeded", "PartiallySucceeded") else []
    show_outputs(found)
    streams.err(printable(_log_line(tpl, ref, status, where)))
    state = change.state if change is not None else "unknown"
    if state != "Succeeded":
        streams.err(printable(f"build {state}: {ref.id}"))
        streams.flush()
        sys.exit(EXIT_FINDINGS)
    streams.err(printable(f"build succeeded: {ref.id}"))


def _log_line(tpl, ref, status: dict, where: str) -> str:
    """Where the build's customization.log is: its blob URL when the staging storage account can be found."""
    from aibgen.cloud.failures import CloudError
    from aibgen.cloud.logs import CONTAINER, LOG, run_id, staging_group, storage_account

    hint = f"'aibgen logs {where}' prints it"
    try:
        account = storage_account(tpl, staging_group(tpl, ref, tpl.get(ref)))
    except CloudError:  # no role to list the staging group, or it is gone: the command still finds it later
        return f"log: {hint}"
    run = run_id(status) or "<run>"
    return f"log: {account.blob.rstrip('/')}/{CONTAINER}/{run}/{LOG} ({hint}; it needs Storage Blob Data Reader)"


def _interrupted(tpl, ref, live: bool, where: str) -> None:
    """Ctrl-C while waiting: on a terminal, offer to cancel the build; elsewhere leave it running."""
    if live:
        streams.err()
    if live and streams.is_terminal(sys.stdin) and _confirm("cancel the build in Azure?"):
        tpl.cancel(ref)
        streams.err(printable(f"cancel requested for {ref.id}"))
    else:
        streams.err(printable(f"stopped waiting; the build goes on in Azure ('aibgen cancel {where}' stops it)"))
    streams.flush()
    sys.exit(EXIT_INTERRUPTED)


def _confirm(question: str) -> bool:
    try:
        return click.confirm(question, default=False, err=True)
    except (click.Abort, Interrupted, EOFError):
        streams.err()  # Ctrl-C or Ctrl-D at the question: what follows starts on a line of its own
        return False

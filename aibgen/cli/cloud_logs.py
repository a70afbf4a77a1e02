"""``aibgen logs``: the customization log of a template's build, from its staging storage account."""
from __future__ import annotations

import click

from aibgen.cli import streams
from aibgen.cli.base import CONTEXT
from aibgen.cli.cloud import check_group, connect, target_options, template_options, templates, wait_option
from aibgen.report.text import printable


def _emit(data: bytes) -> None:
    """The log on standard output: exactly its bytes, or on a terminal with only colours kept
    as escapes (a build's output must not move the cursor, retitle or clear the terminal)."""
    import sys

    from aibgen.report.text import terminal_text

    if streams.is_terminal(sys.stdout):
        streams.out(terminal_text(data.decode("utf-8", "replace")), nl=False)
    else:
        streams.write_bytes(data)


def _check_run(ctx, param, value):
    from aibgen.cloud.logs import RUN

    if value is not None and not RUN.fullmatch(value):
        raise click.BadParameter(f"{value!r} is not a run folder of packerlogs (one name of letters, digits, "
                                 "'.', '_', '-'; no '/')")
    return value


@click.command(context_settings=CONTEXT)
@template_options
@click.option("--run", "run_folder", metavar="ID", callback=_check_run,
              help="Run folder in packerlogs [default: the one the last build's message names, else the newest].")
@click.option("--staging-group", "staging_group_name", metavar="RG", callback=check_group,
              help="The staging resource group [default: the template's, else the one named IT_<rg>_<name>_*].")
@click.option("--tail", type=click.IntRange(1), metavar="N", help="Only the last N lines.")
@click.option("-o", "--output", metavar="PATH", help="Write the log to this file [default: standard output].")
@click.option("-f", "--force", is_flag=True, help="Replace the output file if it exists.")
@click.option("--follow", is_flag=True,
              help="While a build runs, keep printing what is added to its log until it ends.")
@wait_option
@target_options
def logs(group, name, subscription, cloud, arm_endpoint, run_folder, staging_group_name, tail, output, force, follow,
         poll_interval):
    """Print the customization log (packer's) of a template's last build.

    The log is packerlogs/<run>/customization.log in the storage account of the staging
    resource group. It is read with your identity, which needs the Storage Blob Data
    Reader role on that account (public access to it is off).

    \b
    Examples:
      aibgen logs -g img-rg -n ubuntu-golden -o build.log
      aibgen logs -g img-rg -n ubuntu-golden --tail 50
      aibgen logs -g img-rg -n ubuntu-golden --follow
    """
    from aibgen.cloud.logs import blob_container, download, latest_run, run_id, staging_group, storage_account
    from aibgen.cloud.progress import last_run

    if follow and output not in (None, "-"):
        raise click.UsageError("--follow prints to standard output as the log grows; leave out -o")
    if output not in (None, "-"):
        from aibgen.output import check_target

        check_target(output, force)  # before anything is downloaded
    tgt = connect(subscription, cloud, arm_endpoint, poll_interval)
    tpl = templates(tgt)
    ref = tpl.ref(group, name)
    template = tpl.get(ref)
    account = storage_account(tpl, staging_group(tpl, ref, template, staging_group_name))
    container = blob_container(tgt, account)
    if follow:
        _follow(tpl, ref, container, account, run_folder, tail, poll_interval)
        return
    run_folder = run_folder or run_id(last_run(template)) or latest_run(container, account)
    data = download(container, account, run_folder)
    if tail:
        data = b"".join(data.splitlines(keepends=True)[-tail:])
    if output in (None, "-"):
        _emit(data)
        return
    from aibgen.output import write_file

    write_file(output, data, force)
    streams.err(printable(f"wrote {output} (run {run_folder}, storage account {account.name})"))


def _follow(tpl, ref, container, account, run_folder, tail, interval: float) -> None:
    """Print the log as it grows until the build is no longer running."""
    import time

    from aibgen.cloud.logs import read_from, runs
    from aibgen.cloud.progress import BUSY, last_run

    offset, wait, first = 0, interval, True
    while True:
        status = last_run(tpl.get(ref))
        running = status.get("runState") in BUSY
        if run_folder is None:
            found = runs(container, account, status.get("startTime"))
            run_folder = found[-1] if found else None
        chunk = read_from(container, account, run_folder, offset) if run_folder else b""
        if chunk:
            offset += len(chunk)
            if first and tail:
                chunk = b"".join(chunk.splitlines(keepends=True)[-tail:])
            first, wait = False, interval
            _emit(chunk)
        if not running:
            streams.err(printable(f"build {status.get('runState') or 'not started'}: {ref.id}"))
            return
        time.sleep(wait)
        wait = min(wait * 1.5, interval * 8)

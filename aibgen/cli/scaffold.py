"""``aibgen scaffold``: new image repositories and organisation catalogs from cookiecutter templates."""
from __future__ import annotations

import sys

import click

from aibgen.cli import completion, streams
from aibgen.cli.base import (CONTEXT, catalog_option, complete_files, config_options, echo_json, load_config,
                             text_or_json)
from aibgen.report.text import printable, printable_lines


def _scaffold_names(ctx, param, incomplete):
    from click.shell_completion import CompletionItem

    from aibgen.flows.scaffold import find

    return [CompletionItem(n) for n in sorted(find(completion.catalog_roots(ctx))) if n.startswith(incomplete)]


def _scaffold_questions(ctx, param, incomplete):
    """``--set`` after a scaffold's name: its questions, as ``name=``."""
    from click.shell_completion import CompletionItem

    from aibgen.flows.scaffold import find, read_spec

    name = ctx.params.get("name") or next(iter(ctx.args), None)  # click leaves it unparsed before a bare --set
    scaffolds = find(completion.catalog_roots(ctx)) if name else {}
    if name not in scaffolds:
        return []
    keys = [f"{q}=" for q in read_spec(scaffolds[name]).questions]
    return [CompletionItem(k, type="plain") for k in keys if k.startswith(incomplete)]


@click.command(context_settings=CONTEXT)
@click.argument("name", required=False, metavar="SCAFFOLD", shell_complete=completion.quiet(_scaffold_names))
@click.option("--list", "list_", is_flag=True, help="List the scaffolds of every catalog root, with their origin.")
@click.option("--path", "path_", is_flag=True,
              help="Print the scaffold's folder (a cookiecutter template) and exit.")
@click.option("-p", "--profile", metavar="NAME", shell_complete=completion.renderable_profiles,
              help="Catalog profile the image extends (the scaffold's 'profile' question).")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help="Answer a question (repeatable); a "
              "parameter of the chosen profile, or parameters.NAME=VALUE, sets that parameter.",
              shell_complete=completion.quiet(_scaffold_questions))
@click.option("--no-input", is_flag=True, help="Never prompt: take the default of every question not answered.")
@click.option("--replay", is_flag=True, help="Use the answers given the last time this scaffold ran.")
@click.option("-o", "--output", metavar="DIR", shell_complete=complete_files,
              help="Folder to create [default: ./<repo name>]; must not exist or be empty, unless --force.")
@click.option("--into", metavar="DIR", shell_complete=complete_files,
              help="Add to an existing repository: write only the files DIR does not have, list the others.")
@click.option("-f", "--force", is_flag=True, help="With -o: write over the files of a folder that is not empty.")
@text_or_json("Output of --list.")
@catalog_option
@config_options
def scaffold(name, list_, path_, profile, sets, no_input, replay, output, into, force, fmt, catalogs, config_path,
             no_config):
    """Create an image repository or an organisation catalog from a scaffold.

    A scaffold is a cookiecutter template that ships with aibgen or with a catalog root (its
    scaffolds/ folder).

    image-repo asks for the repository and image names, the profile, region, identity, gallery
    and CI system (GitHub Actions, Azure Pipelines or both), and writes a repository whose
    ci/check.sh passes as it is. catalog writes a pip-installable organisation catalog.
    Answers are checked before anything is written; on a terminal a bad answer is asked again.

    \b
    Examples:
      aibgen scaffold --list
      aibgen scaffold image-repo --profile win-update-sig
      aibgen scaffold image-repo --no-input --set repo_name=linux-golden --set ci=github -o ./linux-golden
      aibgen scaffold image-repo --into . --profile ubuntu-sig
      aibgen scaffold catalog --set org=contoso
      aibgen scaffold image-repo --replay
      cookiecutter "$(aibgen scaffold image-repo --path)"
    """
    from pathlib import Path

    from aibgen.errors import ParameterError
    from aibgen.flows import scaffold as flow
    from aibgen.profiles.roots import default_roots, load_catalog

    cfg = load_config(config_path, no_config)
    roots = default_roots(list(cfg.catalogs) + list(catalogs))
    scaffolds = flow.find(roots)
    if list_:
        return _list(scaffolds, fmt)
    if not name:
        raise click.UsageError("name a scaffold (aibgen scaffold --list shows them)")
    chosen = flow.choose(scaffolds, name)
    if path_:
        streams.out(str(chosen.path))
        return
    if output is not None and into is not None:
        raise click.UsageError("give -o DIR (a new repository) or --into DIR (an existing one), not both")
    if force and into is not None:
        raise click.UsageError("--into never writes over a file; --force goes with -o")
    for opt, value in (("-o", output), ("--into", into)):
        if value is not None and not value.strip():
            raise click.UsageError(f"{opt} needs a folder")
    spec = flow.read_spec(chosen)
    given = _given(chosen, spec, sets, profile, replay, output or into)
    catalog = load_catalog(roots)
    answers = _ask(spec, catalog, given, interactive=not no_input and sys.stdin.isatty())
    mode = "into" if into is not None else "new"
    from aibgen.flows.scaffold_place import check_target
    from aibgen.flows.scaffold_run import generate

    target = Path(into if into is not None else output if output is not None else _repo_name(answers, spec))
    check_target(target, mode, force)
    with _terminated_as_interrupted():
        outcome = generate(chosen, answers, target, "force" if force and mode == "new" else mode,
                           {"catalogs": [str(Path(c).resolve()) for c in list(cfg.catalogs) + list(catalogs)]})
    said = outcome.said.rstrip().splitlines()
    if said:
        streams.err(printable_lines("\n".join(said[-40:])))
    for rel in outcome.skipped:
        streams.err(printable(f"kept {target / rel} (it exists)"))
    if "aibgen.yaml" in outcome.skipped:
        streams.err(printable(f"note: {target / 'aibgen.yaml'} is yours; the scaffold's version names its catalog "
                              f"and default profile ('aibgen scaffold {name} --path' shows the template)"))
    for note in outcome.notes:
        streams.err(printable(note))
    if not outcome.written:
        raise ParameterError(f"{target} has every file of scaffold '{name}' already; nothing was written")
    streams.err(printable(f"wrote {target} ({len(outcome.written)} files from scaffold '{name}', {chosen.origin})"))


class _terminated_as_interrupted:
    """SIGTERM and SIGHUP (a CI timeout, a closed terminal) stop the run as Ctrl-C does, so the
    temporary folder is removed."""

    SIGNALS = ("SIGTERM", "SIGHUP")

    def __enter__(self):
        import signal
        import threading

        from aibgen.errors import Interrupted

        def stop(signum, frame):
            raise Interrupted()

        self.saved = {}
        if threading.current_thread() is threading.main_thread():
            for name in self.SIGNALS:
                if hasattr(signal, name):
                    self.saved[name] = signal.signal(getattr(signal, name), stop)
        return self

    def __exit__(self, *exc) -> None:
        import signal

        for name, handler in self.saved.items():
            signal.signal(getattr(signal, name), handler)


def _list(scaffolds: dict, fmt: str) -> None:
    from aibgen.errors import AibgenError
    from aibgen.flows.scaffold import read_spec

    rows = []
    for scaffold in sorted(scaffolds.values(), key=lambda s: s.name):
        try:
            about = str((read_spec(scaffold).variables.get("_aibgen") or {}).get("description") or "")
        except AibgenError as err:
            about = f"(cannot be read: {err})"
        rows.append({"name": scaffold.name, "origin": scaffold.origin, "shadows": scaffold.shadows,
                     "path": str(scaffold.path), "description": about})
    if fmt == "json":
        echo_json({"scaffolds": rows})
        return
    width = max([len(r["name"]) for r in rows] + [10])
    for r in rows:
        shadows = f" (shadows {', '.join(r['shadows'])})" if r["shadows"] else ""
        streams.out(printable(f"{r['name']:<{width}}  {r['origin']}{shadows}  {r['description']}"))


def _given(chosen, spec, sets, profile, replay, folder) -> dict:
    from pathlib import Path

    from aibgen.errors import ParameterError
    from aibgen.profiles.params import parse_assignment

    given: dict = {}
    if replay:
        from aibgen.flows.scaffold_run import replayed

        given.update(replayed(chosen, spec.variables))
    if folder:
        try:
            named = Path(folder).name
            given["_folder"] = named if named not in ("", ".", "..") else Path(folder).resolve().name
        except (OSError, RuntimeError) as exc:  # a loop of links
            raise ParameterError(f"{folder}: cannot be used ({getattr(exc, 'strerror', None) or exc})") from None
    if profile is not None:
        if not spec.profile:
            raise ParameterError(f"--profile: scaffold '{chosen.name}' does not build from a profile")
        given[spec.profile["answer"]] = profile
    for text in sets:
        key, value = parse_assignment(text)
        given[key] = value
    return given


def _repo_name(answers: dict, spec) -> str:
    if spec.folder is None:
        raise click.UsageError(f"scaffold '{spec.scaffold.name}' does not name its folder; give -o DIR")
    return str(answers[spec.folder])


def _ask(spec, catalog, given: dict, interactive: bool) -> dict:
    """Every answer: given, settled by the profile, prompted for, or the default."""
    from aibgen.errors import ParameterError
    from aibgen.flows.scaffold_run import variables
    from aibgen.flows.scaffold_session import Session

    folder = given.pop("_folder", None)
    literal = {spec.folder: folder} if folder and spec.folder else {}  # -o/--into name the repository
    session = Session(spec, variables(spec.scaffold), catalog, given, literal)
    while (question := session.next()) is not None:
        if not interactive:
            if question.default is None:
                raise ParameterError(f"answer '{question.key}': no default; give it with --set {question.key}=VALUE")
            session.answer(question.key, question.default)
            continue
        while True:
            text = _prompt(question)
            try:
                session.answer(question.key, text)
                break
            except ParameterError as exc:
                streams.err(f"  {printable(str(exc))}")
    return session.finish()


def _prompt(question) -> str:
    if question.help:
        streams.err(printable_lines(question.help))
    label = printable(question.text)
    if question.choices:
        choice = click.Choice([str(c) for c in question.choices])
        return click.prompt(label, type=choice, default=str(question.default), err=True, show_choices=True)
    default = question.default if question.default not in (None, "") else None
    if isinstance(default, (list, dict)):
        import json

        default = json.dumps(default)
    return click.prompt(label, default=default, err=True, show_default=True)

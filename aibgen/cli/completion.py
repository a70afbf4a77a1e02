"""``aibgen completion``: the shell completion script, and what each option completes.

Completion is click's own mechanism: the script a shell loads runs ``aibgen`` again with
``_AIBGEN_COMPLETE`` set, click parses the words typed so far, and the option or argument
under the cursor answers through its ``shell_complete`` callback, one of the functions
here. They read the catalog roots the command line names (:func:`catalog_roots`) and the
rule registry, and never fail: any error, such as a catalog folder that does not exist or a
configuration that does not parse, gives no candidates, so nothing is ever printed into the
shell. None of them imports Jinja or jsonschema.
"""
from __future__ import annotations

import functools
import re
import warnings
from typing import TYPE_CHECKING, Callable

import click
from click.shell_completion import BashComplete, CompletionItem, add_completion_class

from aibgen.cli import streams
from aibgen.cli.base import CONTEXT

if TYPE_CHECKING:
    from aibgen.profiles.roots import Root

SHELLS = ("bash", "zsh", "fish")
PROG = "aibgen"
COMPLETE_VAR = "_AIBGEN_COMPLETE"


class _Bash(BashComplete):
    """click's bash completion, leaving no space after a candidate that ends in ``=``
    (``--set location=``), and without running bash to check its version."""

    _plain = "COMPREPLY+=($value)"
    source_template = BashComplete.source_template.replace(
        _plain, _plain + "\n            [[ $value == *= ]] && compopt -o nospace")

    def source(self) -> str:
        return click.shell_completion.ShellComplete.source(self)


add_completion_class(_Bash, "bash")


@click.command(context_settings=CONTEXT)
@click.argument("shell", metavar="SHELL", type=click.Choice(SHELLS), required=False)
def completion(shell):
    """Print the shell completion script for bash, zsh or fish.

    Completes commands and options, profile names (--profile, catalog show, import
    --extends) from every catalog root, parameter names after --set (of the profile
    given with --profile), rule ids (explain, --select, --ignore), bundled apiVersions,
    and file and folder names. The catalog roots are the ones the command would use:
    built-in, installed catalog packages, AIBGEN_CATALOG_PATH, aibgen.yaml and the
    --catalog options typed so far.

    \b
    Examples:
      eval "$(aibgen completion bash)"     # in ~/.bashrc (bash 4.4 or newer)
      eval "$(aibgen completion zsh)"      # in ~/.zshrc, after compinit
      aibgen completion fish > ~/.config/fish/completions/aibgen.fish
    """
    if shell is None:  # click's own message lists the choices over several lines
        raise click.UsageError("name the shell: aibgen completion bash, zsh or fish")
    cls = click.shell_completion.get_completion_class(shell)
    root = click.get_current_context().find_root().command
    streams.data(cls(root, {}, PROG, COMPLETE_VAR).source().rstrip("\n") + "\n")


def quiet(fn: Callable) -> Callable:
    """Make a ``shell_complete`` callback give no candidates, silently, when anything fails."""

    @functools.wraps(fn)
    def wrapper(ctx, param, incomplete):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return fn(ctx, param, incomplete or "")
        except Exception:  # noqa: BLE001 - a shell completion must never print
            return []

    return wrapper


def catalog_roots(ctx: click.Context) -> list[Root]:
    """The catalog roots the command line names so far, lowest precedence first: built-in,
    ``aibgen.catalogs`` packages, AIBGEN_CATALOG_PATH, aibgen.yaml's catalogs (unless
    --no-config; --config FILE if typed) and the --catalog values typed. Empty when any of
    them, or the configuration, cannot be read: completion offers nothing rather than fail."""
    from aibgen.cli.base import load_config
    from aibgen.profiles.roots import default_roots

    typed = _typed(ctx)
    try:
        cfg = load_config(typed.get("config_path"), bool(typed.get("no_config")))
        return default_roots(list(cfg.catalogs) + list(typed.get("catalogs") or ()))
    except Exception:  # noqa: BLE001 - see the docstring
        return []


def _typed(ctx: click.Context) -> dict:
    """Values of the options parsed so far, the innermost command's winning."""
    chain = []
    while ctx is not None:
        chain.append(ctx.params)
        ctx = ctx.parent
    merged: dict = {}
    for params in reversed(chain):
        merged.update({k: v for k, v in params.items() if v is not None})
    return merged


def _catalog(ctx: click.Context):
    from aibgen.profiles.roots import load_catalog

    return load_catalog(catalog_roots(ctx))


@quiet
def profiles(ctx, param, incomplete) -> list[CompletionItem]:
    """Every profile name of the catalog, with the root it comes from."""
    found = _catalog(ctx).profiles
    return [CompletionItem(n, help=found[n].root) for n in sorted(found) if n.startswith(incomplete)]


_ABSTRACT = re.compile(rb"^abstract[ \t]*:[ \t]*(true|True|TRUE)[ \t]*(#.*)?\r?$", re.M)


@quiet
def renderable_profiles(ctx, param, incomplete) -> list[CompletionItem]:
    """The profile names ``aibgen new`` renders: abstract bases left out (a top-level
    ``abstract: true`` line; the files are read, not parsed, to stay fast)."""
    from aibgen.sources import reader, yamlsrc

    found = _catalog(ctx).profiles
    out = []
    for name in sorted(n for n in found if n.startswith(incomplete)):
        try:
            abstract = bool(_ABSTRACT.search(reader.read_bytes(found[name].path, yamlsrc.MAX_BYTES, "a profile")))
        except Exception:  # noqa: BLE001 - an unreadable profile is still offered; new says what is wrong
            abstract = False
        if not abstract:
            out.append(CompletionItem(name, help=found[name].root))
    return out


@quiet
def parameters(ctx, param, incomplete) -> list[CompletionItem]:
    """``NAME=`` for each parameter of the profile given with --profile; nothing without one,
    and nothing once the ``=`` is typed."""
    from aibgen.profiles.resolve import resolve

    name = _typed(ctx).get("profile")
    if not name or "=" in incomplete:
        return []
    params = resolve(_catalog(ctx), name).params
    return [CompletionItem(f"{n}=", help=p.describe_type()) for n, p in sorted(params.items())
            if n.startswith(incomplete)]


def _rules() -> dict:
    from aibgen import rules

    try:
        return rules.load_builtin()
    except Exception:  # noqa: BLE001 - a broken rule plugin: the rules that did load
        return rules.REGISTRY


@quiet
def rule_ids(ctx, param, incomplete) -> list[CompletionItem]:
    """Every rule id (built-in and plugin rules), with its summary."""
    found = _rules()
    return [CompletionItem(r, help=found[r].summary) for r in sorted(found) if r.startswith(incomplete.upper())]


@quiet
def rule_lists(ctx, param, incomplete) -> list[CompletionItem]:
    """A rule id as the last entry of a comma-separated ``--select``/``--ignore`` list."""
    done, _, last = incomplete.rpartition(",")
    head = done + "," if done else ""
    found = _rules()
    return [CompletionItem(head + r, help=found[r].summary) for r in sorted(found) if r.startswith(last.upper())]



@quiet
def api_versions(ctx, param, incomplete) -> list[CompletionItem]:
    """The apiVersions with a bundled schema, newest first."""
    from aibgen import resources

    return [CompletionItem(v) for v in reversed(resources.api_versions()) if v.startswith(incomplete)]

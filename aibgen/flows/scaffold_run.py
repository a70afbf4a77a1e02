"""Running a scaffold: cookiecutter renders into a private folder, then aibgen places the result.

Nothing reaches the destination until cookiecutter has finished and every hook has passed:
the project is rendered into a temporary folder beside the destination and then placed
(:mod:`aibgen.flows.scaffold_place`). A failure at any step removes the temporary folder,
so no partial project is left.

The answers reach cookiecutter as a replay file, which cookiecutter takes as it is: the
values it is given any other way it renders as Jinja, and an answer is text, never a
template. Values used in the template's file and folder names may not hold ``/``, ``\\``
or ``..``. The answers are saved where cookiecutter keeps its replay files (its
``replay_dir``), so ``--replay`` and ``cookiecutter --replay`` find them; a replay folder
that cannot be written costs only that.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from aibgen.errors import CatalogError, OutputError, ParameterError
from aibgen.flows.scaffold import Scaffold
from aibgen.flows.scaffold_place import Outcome, place

_PATH_VARIABLE = re.compile(r"cookiecutter\s*\.\s*(\w+)")
_JINJA = re.compile(r"\{[{%#]")  # cookiecutter renders the paths it writes to again
SAID_BYTES = 64 * 1024  # the end of what hooks print is kept


def check_path_values(scaffold: Scaffold, context: dict) -> None:
    """Values used in the template's file and folder names must be plain names."""
    used = set()
    for _dir, dirs, names in os.walk(scaffold.path):
        for name in dirs + names:
            used.update(_PATH_VARIABLE.findall(name))
    for key in sorted(used):
        value = context.get(key)
        if isinstance(value, str) and (any(c in value for c in "/\\\0") or value.strip() in ("", ".", "..")
                                       or _JINJA.search(value)):
            who = f"answer '{key}'" if not key.startswith("_") else f"scaffold '{scaffold.name}': '{key}'"
            raise ParameterError(f"{who}: names a file or folder of the new repository, so it must be a plain "
                                 "name (no '/', '\\', '{{', '{%', '{#', and not empty, '.' or '..')")


def generate(scaffold: Scaffold, answers: dict, target: Path, mode: str, extra: dict | None = None) -> Outcome:
    """Render ``scaffold`` with ``answers`` and place it at ``target`` (modes: new, force, into)."""
    context = full_context(scaffold, answers, extra or {})
    check_path_values(scaffold, context)
    base = target if target.is_dir() else target.parent
    base = base if str(base) else Path(".")
    if _JINJA.search(str(base.resolve())):
        raise OutputError(f"{base.resolve()}: the path holds '{{{{', '{{%' or '{{#', which cookiecutter reads as a "
                          "template; create the repository in a folder without them")
    try:
        staging = Path(tempfile.mkdtemp(prefix=".aibgen-scaffold-", dir=base))
    except OSError as exc:
        raise OutputError(f"cannot write in {base}: {exc.strerror or exc}") from None
    try:
        project, said = _render(scaffold, context, staging)
        outcome = place(project, target, mode)
        outcome.said = said
        note = _save_replay(scaffold, staging)
        outcome.notes += [note] if note else []
        return outcome
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def variables(scaffold: Scaffold) -> dict:
    """The scaffold's questions and defaults as cookiecutter sees them (the user's cookiecutter
    configuration's ``default_context`` applied)."""
    import warnings

    from cookiecutter.config import get_user_config
    from cookiecutter.exceptions import CookiecutterException
    from cookiecutter.generate import generate_context

    try:
        with warnings.catch_warnings():  # a default of the user's configuration that is not offered
            warnings.simplefilter("ignore")
            config = get_user_config()
            context = generate_context(context_file=str(scaffold.path / "cookiecutter.json"),
                                       default_context=config["default_context"], extra_context=None)
    except (CookiecutterException, ValueError, OSError) as exc:
        raise CatalogError(f"scaffold '{scaffold.name}': {str(exc).splitlines()[0] if str(exc) else exc!r}") from None
    return dict(context["cookiecutter"])


def full_context(scaffold: Scaffold, answers: dict, extra: dict) -> dict:
    """Everything cookiecutter renders the template with: the answers as given (never rendered
    themselves), the template's private settings, and its ``__`` variables rendered from them."""
    from cookiecutter.environment import StrictEnvironment
    from cookiecutter.prompt import render_variable

    template = variables(scaffold)
    context: dict = {}
    for key, raw in template.items():
        if key in answers:
            context[key] = answers[key]
        elif key == "_aibgen" and isinstance(raw, dict):
            choices = {k: v for k, v in template.items() if isinstance(v, list) and not k.startswith("_")}
            context[key] = dict(raw, **extra, choices=choices)
        elif key.startswith("__") and key != "__prompts__":
            env = StrictEnvironment(context={"cookiecutter": template})
            try:
                context[key] = render_variable(env, raw, dict(context))
            except Exception as exc:  # noqa: BLE001 - the template's own expression
                raise CatalogError(f"scaffold '{scaffold.name}': '{key}' cannot be rendered: "
                                   f"{type(exc).__name__}: {exc}") from None
        else:
            context[key] = raw
    return context


def replayed(scaffold: Scaffold, known: dict) -> dict:
    """The answers cookiecutter saved the last time this scaffold ran (its replay file), for
    the questions the scaffold still asks."""
    path = _replay_dir() / f"{scaffold.path.name}.json"
    if not path.is_file():
        raise CatalogError(f"--replay: no saved answers for scaffold '{scaffold.name}' ({path} does not exist); "
                           "run it once without --replay")
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))["cookiecutter"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CatalogError(f"--replay: {path} cannot be read ({type(exc).__name__}); run once without --replay") from None
    if not isinstance(saved, dict):
        raise CatalogError(f"--replay: {path} holds no answers; run once without --replay")
    return {k: v for k, v in saved.items() if k in known and not k.startswith("_") and v is not None}


def _replay_dir() -> Path:
    from cookiecutter.config import get_user_config
    from cookiecutter.exceptions import CookiecutterException

    try:
        return Path(get_user_config()["replay_dir"])
    except (CookiecutterException, ValueError, OSError) as exc:
        raise CatalogError(f"the cookiecutter configuration cannot be read: {exc}") from None


def _save_replay(scaffold: Scaffold, staging: Path) -> str:
    """Keep the answers for ``--replay``; a note when they cannot be kept."""
    made = staging / "replay" / f"{scaffold.path.name}.json"
    try:
        folder = _replay_dir()
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(made, folder / made.name)
    except (OSError, CatalogError) as exc:
        return f"note: the answers were not saved for --replay ({getattr(exc, 'strerror', None) or exc})"
    return ""


def _render(scaffold: Scaffold, context: dict, staging: Path) -> tuple[Path, str]:
    """Run cookiecutter; (the project folder, what its hooks printed)."""
    import logging

    from cookiecutter.exceptions import CookiecutterException, FailedHookException
    from cookiecutter.main import cookiecutter

    answers = staging / "answers" / f"{scaffold.path.name}.json"
    config = staging / "cookiecutter.yaml"  # its replay_dir is ours: the user's may not be writable
    quiet = logging.NullHandler()  # cookiecutter logs a failed hook with its traceback; the error says it
    logging.getLogger("cookiecutter").addHandler(quiet)
    said = tempfile.TemporaryFile()
    try:
        answers.parent.mkdir()
        answers.write_text(json.dumps({"cookiecutter": context}), encoding="utf-8")
        config.write_text(f"replay_dir: {json.dumps(str(staging / 'replay'))}\n", encoding="utf-8")
        with _hooks_output(said):
            project = cookiecutter(str(scaffold.path), replay=str(answers), output_dir=str(staging / "out"),
                                   config_file=str(config), accept_hooks=True)
        return Path(project), _tail(said)
    except FailedHookException as exc:
        last = ([line for line in _tail(said).splitlines() if line.strip()] or [str(exc)])[-1].strip()
        raise CatalogError(f"scaffold '{scaffold.name}' ({scaffold.origin}): a hook stopped it: {last[:300]}; "
                           "nothing was written") from None
    except OSError as exc:
        raise OutputError(f"cannot write the scaffold: {exc.strerror or exc} ({exc.filename or staging})") from None
    except (CookiecutterException, Exception) as exc:  # noqa: BLE001 - a scaffold's templates are its own code
        message = str(exc).splitlines()[0] if str(exc) else ""
        raise CatalogError(f"scaffold '{scaffold.name}' ({scaffold.origin}): {type(exc).__name__}: {message[:300]}; "
                           "nothing was written") from None
    finally:
        logging.getLogger("cookiecutter").removeHandler(quiet)
        said.close()


class _hooks_output:
    """Hooks (child processes) read nothing and write into ``sink``, not the terminal."""

    def __init__(self, sink) -> None:
        self.sink = sink
        self.saved: list[int] = []

    def __enter__(self):
        import sys

        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        self.saved = [os.dup(0), os.dup(1), os.dup(2)]
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        os.dup2(self.sink.fileno(), 1)
        os.dup2(self.sink.fileno(), 2)
        return self

    def __exit__(self, *exc) -> None:
        for fd, saved in zip((0, 1, 2), self.saved):
            os.dup2(saved, fd)
            os.close(saved)


def _tail(sink) -> str:
    size = sink.seek(0, os.SEEK_END)
    sink.seek(max(0, size - SAID_BYTES))
    return sink.read().decode("utf-8", "replace")

"""Running a scaffold: cookiecutter renders into a private folder, then aibgen places the result.

Nothing reaches the destination until cookiecutter has finished and every hook has passed:
the project is rendered into a temporary folder beside the destination, then

* ``new``: moved into place in one rename (the destination must not exist, or be empty);
* ``force``: its files written over the destination's, each replaced atomically;
* ``into``: only files the destination does not have are added; the others are listed.

A failure at any step removes the temporary folder, so no partial project is left. Answers
that name files (used in a path of the template) may not hold ``/``, ``\\`` or ``..``.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from aibgen.errors import CatalogError, OutputError, ParameterError
from aibgen.flows.scaffold import Scaffold

_PATH_VARIABLE = re.compile(r"cookiecutter\s*\.\s*(\w+)")


@dataclass
class Outcome:
    """Where the project went, and what was written or left alone."""

    target: Path
    written: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    said: str = ""  # what the scaffold's hooks printed


def check_target(target: Path, mode: str, force: bool) -> None:
    """Refuse a destination the mode cannot write to, before anything is rendered."""
    shown = str(target)
    if mode == "into":
        if not target.is_dir():
            what = "does not exist" if not target.exists() else "is not a folder"
            raise OutputError(f"--into {shown}: {what}; give the folder of an existing repository")
        return
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise OutputError(f"-o {shown}: is a file; give the folder to create the repository in")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise OutputError(f"-o {shown}: is not empty; use --force to write over its files, or --into {shown} "
                          "to add only the files it does not have")
    parent = target.parent if not target.is_dir() else target
    if not parent.is_dir():
        raise OutputError(f"-o {shown}: the folder {parent} does not exist; create it first")


def check_path_answers(scaffold: Scaffold, answers: dict) -> None:
    """Answers used in the template's file and folder names must be plain names."""
    used = set()
    for _dir, dirs, files in os.walk(scaffold.path):
        for name in dirs + files:
            used.update(_PATH_VARIABLE.findall(name))
    for key in sorted(used):
        value = answers.get(key)
        if isinstance(value, str) and (any(c in value for c in "/\\\0") or value.strip() in ("", ".", "..")):
            raise ParameterError(f"answer '{key}': names a file or folder of the new repository, so it must be a "
                                 "plain name (no '/', '\\', and not empty, '.' or '..')")


def generate(scaffold: Scaffold, answers: dict, target: Path, mode: str, extra: dict | None = None) -> Outcome:
    """Render ``scaffold`` with ``answers`` and place it at ``target`` (see the module's modes)."""
    check_path_answers(scaffold, answers)
    base = target if mode in ("into", "force") and target.is_dir() else target.parent
    try:
        staging = Path(tempfile.mkdtemp(prefix=".aibgen-scaffold-", dir=base))
    except OSError as exc:
        raise OutputError(f"cannot write in {base}: {exc.strerror or exc}") from None
    try:
        project, said = _render(scaffold, answers, staging, extra or {})
        if mode == "new" and not (target.is_dir() and any(target.iterdir())):
            outcome = _move(project, target)
        else:
            outcome = _merge(project, target, overwrite=mode != "into")
        outcome.said = said
        return outcome
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def variables(scaffold: Scaffold) -> dict:
    """The scaffold's questions and defaults as cookiecutter sees them (the user's cookiecutter
    configuration's ``default_context`` applied)."""
    from cookiecutter.config import get_user_config
    from cookiecutter.exceptions import CookiecutterException
    from cookiecutter.generate import generate_context

    try:
        config = get_user_config()
        context = generate_context(context_file=str(scaffold.path / "cookiecutter.json"),
                                   default_context=config["default_context"], extra_context=None)
    except (CookiecutterException, ValueError, OSError) as exc:
        raise CatalogError(f"scaffold '{scaffold.name}': {str(exc).splitlines()[0] if str(exc) else exc!r}") from None
    return dict(context["cookiecutter"])


def replayed(scaffold: Scaffold) -> dict:
    """The answers cookiecutter saved the last time this scaffold ran (its replay file)."""
    import json

    from cookiecutter.config import get_user_config

    folder = Path(get_user_config()["replay_dir"])
    path = folder / f"{scaffold.path.name}.json"
    if not path.is_file():
        raise CatalogError(f"--replay: no saved answers for scaffold '{scaffold.name}' ({path} does not exist); "
                           "run it once without --replay")
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))["cookiecutter"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CatalogError(f"--replay: {path} cannot be read ({type(exc).__name__}); run once without --replay") from None
    return {k: v for k, v in saved.items() if not k.startswith("_")} if isinstance(saved, dict) else {}


def _render(scaffold: Scaffold, answers: dict, staging: Path, extra: dict) -> tuple[Path, str]:
    """Run cookiecutter; (the project folder, what its hooks printed)."""
    import logging

    from cookiecutter.exceptions import CookiecutterException, FailedHookException
    from cookiecutter.main import cookiecutter

    context = dict(answers)
    if extra:
        context["_aibgen"] = extra
    quiet = logging.NullHandler()  # cookiecutter logs a failed hook with its traceback; the error says it
    logging.getLogger("cookiecutter").addHandler(quiet)
    said = tempfile.TemporaryFile()
    try:
        with _hooks_output(said):
            project = cookiecutter(str(scaffold.path), no_input=True, extra_context=context, output_dir=str(staging),
                                   accept_hooks=True)
        return Path(project), _text(said)
    except FailedHookException as exc:
        last = ([line for line in _text(said).splitlines() if line.strip()] or [str(exc)])[-1].strip()
        raise CatalogError(f"scaffold '{scaffold.name}' ({scaffold.origin}): a hook stopped it: {last[:300]}; "
                           "nothing was written") from None
    except (CookiecutterException, ValueError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise CatalogError(f"scaffold '{scaffold.name}' ({scaffold.origin}): {message}; nothing was written") from None
    except OSError as exc:
        raise OutputError(f"cannot write the scaffold: {exc.strerror or exc} ({exc.filename})") from None
    finally:
        logging.getLogger("cookiecutter").removeHandler(quiet)
        said.close()


class _hooks_output:
    """Send what hooks (child processes) write to standard output and error into ``sink``."""

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
        self.saved = [os.dup(1), os.dup(2)]
        os.dup2(self.sink.fileno(), 1)
        os.dup2(self.sink.fileno(), 2)
        return self

    def __exit__(self, *exc) -> None:
        for fd, saved in zip((1, 2), self.saved):
            os.dup2(saved, fd)
            os.close(saved)


def _text(sink) -> str:
    sink.seek(0)
    return sink.read(1024 * 1024).decode("utf-8", "replace")


def _move(project: Path, target: Path) -> Outcome:
    outcome = Outcome(target, written=_files(project))
    try:
        if target.is_dir():
            target.rmdir()  # empty: checked before rendering
        os.rename(project, target)
    except OSError as exc:
        raise OutputError(f"cannot create {target}: {exc.strerror or exc}") from None
    return outcome


def _merge(project: Path, target: Path, overwrite: bool) -> Outcome:
    outcome = Outcome(target)
    top = target.resolve()
    plan = []
    for rel in _files(project):  # every destination is checked before the first is written
        dest = target / rel
        if not _inside(dest.parent, top):
            raise OutputError(f"{dest}: its folder leads outside {target} (through a link); nothing was written")
        exists = dest.is_symlink() or dest.exists()
        if exists and (not overwrite or dest.is_dir() or dest.is_symlink()):
            outcome.skipped.append(rel)
        else:
            plan.append(rel)
    for rel in plan:
        dest = target / rel
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(project / rel, dest)
        except OSError as exc:
            raise OutputError(f"cannot write {dest}: {exc.strerror or exc}") from None
        outcome.written.append(rel)
    return outcome


def _inside(folder: Path, top: Path) -> bool:
    try:
        folder.resolve().relative_to(top)
        return True
    except ValueError:
        return False


def _files(project: Path) -> list[str]:
    out = []
    for folder, _dirs, files in os.walk(project):
        out.extend(Path(folder, f).relative_to(project).as_posix() for f in files)
    return sorted(out)

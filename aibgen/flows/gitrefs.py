"""Read folders of a git commit into a temporary folder, with ``git`` as a subprocess.

Only reading commands run (``rev-parse``, ``ls-tree``, ``cat-file``): the repository, its
index and the working tree are never changed, and nothing is checked out. Regular files and
links that stay inside the copied folder are copied; anything else (submodules, links
that lead out) is left out, as no catalog may use it.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path, PurePosixPath

from aibgen.errors import InputError

_GIT = ["git", "--literal-pathspecs", "-c", "core.quotepath=off"]
_ENV = {"GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "GIT_NO_LAZY_FETCH": "1", "LC_ALL": "C"}


def _git(args: list[str], cwd: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(_GIT + args, cwd=cwd, input=stdin, capture_output=True,
                              env={**os.environ, **_ENV}, check=False)
    except FileNotFoundError:
        raise InputError("git is not installed (or not on PATH); catalog diff needs it to read git refs; "
                         "give two catalog folders instead") from None
    except OSError as exc:
        raise InputError(f"cannot run git: {exc.strerror or exc}") from None


def toplevel(cwd: str) -> str:
    """The top folder of the git working tree that holds ``cwd``."""
    proc = _git(["rev-parse", "--show-toplevel"], cwd)
    if proc.returncode != 0:
        raise InputError(f"{cwd}: not inside a git repository, so refs cannot be read; "
                         "run it in the repository, or give two catalog folders (aibgen catalog diff OLD NEW)")
    return proc.stdout.decode("utf-8", "surrogateescape").strip()


def commit(top: str, ref: str) -> str:
    """The commit id ``ref`` names in the repository at ``top``."""
    if not ref or ref.startswith("-") or any(c in ref for c in "\0\n"):
        raise InputError(f"'{ref}' is not a git ref or a catalog folder")
    proc = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], top)
    if proc.returncode != 0:
        raise InputError(f"'{ref}' is neither a catalog folder nor a commit, branch or tag of the git "
                         f"repository at {top}; check the name (git branch -a lists branches)")
    return proc.stdout.decode().strip()


def extract(top: str, sha: str, folders: list[str], dest: Path, files_only: bool = False) -> None:
    """Copy the files below ``folders`` (relative to ``top``) as commit ``sha`` has them into
    ``dest`` (``files_only``: only the files named, nothing below a folder of that name)."""
    if not folders:
        return  # (with no path, ls-tree would list the whole tree)
    listing = _git(["ls-tree", "-r", "-z", "--full-tree", sha, "--", *folders], top)
    if listing.returncode != 0:
        raise InputError(f"git ls-tree {sha[:12]} failed: {listing.stderr.decode(errors='replace').strip()}")
    entries = []
    for record in listing.stdout.split(b"\0"):
        if not record:
            continue
        meta, _, path = record.partition(b"\t")
        mode, kind, blob = meta.decode().split()
        if kind == "blob" and mode in ("100644", "100755", "120000") and (
                not files_only or path.decode("utf-8", "surrogateescape") in folders):
            entries.append((mode, blob, path.decode("utf-8", "surrogateescape")))
    contents = _blobs(top, [blob for _, blob, _ in entries])
    for mode, blob, path in entries:
        _place(dest, path, mode, contents[blob])
    _prune_links(dest)


def _prune_links(dest: Path) -> None:
    """Remove every placed link that, followed through the others, leads out of ``dest``: a
    chain of links each of which looks inside (``l -> ..``, ``m -> l/..``) can still get out."""
    root = os.path.realpath(dest)
    changed = True
    while changed:
        changed = False
        for folder, dirs, files in os.walk(dest):
            for name in dirs + files:
                path = os.path.join(folder, name)
                real = os.path.realpath(path)
                if os.path.islink(path) and real != root and not real.startswith(root + os.sep):
                    os.unlink(path)
                    changed = True


def is_commit(top: str, ref: str) -> bool:
    """Whether ``ref`` names a commit of the repository at ``top``."""
    try:
        commit(top, ref)
    except InputError:
        return False
    return True


def read_files(top: str, sha: str, paths: list[str]) -> dict[str, bytes]:
    """The files among ``paths`` (relative to ``top``) that commit ``sha`` has, with their bytes."""
    wanted = [p for p in paths if "\n" not in p]
    found = _batch(top, [f"{sha}:{p}" for p in wanted], missing_ok=True)
    return {p: found[f"{sha}:{p}"] for p in wanted if found.get(f"{sha}:{p}") is not None}


def _blobs(top: str, ids: list[str]) -> dict[str, bytes]:
    """The content of each blob, read in one ``git cat-file --batch``."""
    return _batch(top, sorted(set(ids)))


def _batch(top: str, names: list[str], missing_ok: bool = False) -> dict[str, bytes | None]:
    """The blob each object name (an id, or ``commit:path``) names; None for one missing."""
    if not names:
        return {}
    proc = _git(["cat-file", "--batch"], top, ("\n".join(names) + "\n").encode("utf-8", "surrogateescape"))
    if proc.returncode != 0:
        raise InputError(f"git cat-file failed: {proc.stderr.decode(errors='replace').strip()}")
    out: dict[str, bytes | None] = {}
    raw, at = proc.stdout, 0
    for name in names:
        header_end = raw.find(b"\n", at)
        header = raw[at:header_end].decode(errors="replace").rsplit(" ", 2)
        if missing_ok and header_end >= 0 and header[-1] == "missing":
            out[name], at = None, header_end + 1
            continue
        if missing_ok and header_end >= 0 and len(header) == 3 and header[1] != "blob":  # a folder there
            out[name], at = None, header_end + 1 + int(header[2]) + 1
            continue
        if header_end < 0 or len(header) != 3 or header[1] != "blob":
            raise InputError(f"git cat-file cannot read {name[:40]} ({' '.join(header[1:]) or 'no answer'}); "
                             "is the repository complete (a shallow or partial clone)?")
        start, size = header_end + 1, int(header[2])
        out[name] = raw[start:start + size]
        at = start + size + 1
    return out


def _place(dest: Path, path: str, mode: str, content: bytes) -> None:
    rel = PurePosixPath(path)
    if rel.is_absolute() or ".." in rel.parts:
        return
    target = dest.joinpath(*rel.parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    root = os.path.realpath(dest)
    if not os.path.realpath(target.parent).startswith(root + os.sep) and os.path.realpath(target.parent) != root:
        return  # a folder on the way is a link that leads out: never write there
    if os.path.lexists(target):
        return  # already copied (a file two roots share)
    if mode == "120000":
        link = PurePosixPath(content.decode("utf-8", "surrogateescape"))
        inside = not link.is_absolute() and ".." not in PurePosixPath(os.path.normpath(rel.parent / link)).parts
        if inside:
            os.symlink(str(link), target)
        return
    target.write_bytes(content)
    if mode == "100755":
        target.chmod(0o755)

"""Paths as docs and diffs show them: stable across machines, never a temporary folder.

A catalog root is shown by its label (``built-in``, ``package:NAME``) or, for a directory,
by its path relative to the working directory where it lies below it; a file by its root's
name and its path inside the root (``built-in/ubuntu-sig.yaml``, ``images/partials/...``).
Messages that name files or folders (errors) are rewritten the same way (the top of a
repository, shown as nothing before a file's path, as ``.`` alone).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from aibgen.profiles.roots import Catalog, Root


@dataclass
class PathNames:
    """Absolute folders and how each is shown; the longest matching folder names a file."""

    folders: list[tuple[str, str]] = field(default_factory=list)

    def add(self, folder, shown: str) -> None:
        """Show files below ``folder`` as ``shown/...``."""
        path = os.path.abspath(str(folder))
        self.folders.append((path, shown))
        self.folders.sort(key=lambda f: len(f[0]), reverse=True)

    def file(self, path) -> str:
        """How the file ``path`` is shown."""
        text = os.path.abspath(str(path))
        for folder, shown in self.folders:
            if text.startswith(folder + os.sep):
                return f"{shown}/{Path(text[len(folder) + 1:]).as_posix()}".lstrip("/")
        return text

    def show(self, message: str | None) -> str | None:
        """``message`` with every known folder written as it is shown."""
        if message is None:
            return None
        for folder, shown in self.folders:
            message = message.replace(folder + os.sep, f"{shown}/".lstrip("/"))
            message = re.sub(re.escape(folder) + r"(?=$|[\s;:,'\")\]])", lambda _: shown or ".", message)
        return message


def root_label(root: Root, cwd: Path | None = None) -> str:
    """A root's name as docs show it: its label, a directory relative to ``cwd`` when below it."""
    if root.label == "built-in" or root.label.startswith("package:"):
        return root.label
    here = os.path.abspath(str(cwd or Path.cwd()))
    path = os.path.abspath(str(root.profiles))
    if path == here:
        return "."
    if path.startswith(here + os.sep):
        return Path(os.path.relpath(path, here)).as_posix()
    return root.label


def for_catalog(catalog: Catalog, cwd: Path | None = None) -> PathNames:
    """The names of every root of ``catalog`` (profiles by root label, built-in partials below it)."""
    return for_roots(catalog.roots, cwd)


def for_roots(roots: list[Root], cwd: Path | None = None) -> PathNames:
    """The names of the files of ``roots``."""
    names = PathNames()
    for root in roots:
        label = root_label(root, cwd)
        names.add(root.profiles, label)
        if root.partials is not None:
            names.add(root.partials, f"{label}/partials")
    return names

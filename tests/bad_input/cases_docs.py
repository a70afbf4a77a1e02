"""Bad-input classes of `catalog docs` and `catalog diff` (same case shape as cases.py)."""
from __future__ import annotations

_PROFILE = ("description: d\nextends: linux-base\nsource:\n  use: platform-image\n"
            "  with: {publisher: Canonical, offer: o, sku: s}\ndistribute:\n  - use: vhd\n")
# the smallest git repository git accepts: no commit, so no ref names anything
_REPO = {".git/HEAD": "ref: refs/heads/main\n", ".git/config": "[core]\n\trepositoryformatversion = 0\n\tbare = false\n",
         ".git/objects/info/.keep": "", ".git/refs/heads/.keep": "", "cat/p.yaml": _PROFILE}

CASES: list[tuple] = [
    ("docs-unmarked-folder", "catalog docs into a non-empty folder aibgen did not write", {"site/notes.md": "mine"},
     ["catalog", "docs", "-o", "site"], 2, "is not empty and has no .aibgen-docs"),
    ("docs-into-file", "catalog docs -o naming a file", {"site.md": "mine"},
     ["catalog", "docs", "-o", "site.md"], 2, "is not a folder; catalog docs writes a folder of pages"),
    ("docs-no-output", "catalog docs in Markdown without -o", {}, ["catalog", "docs"], 2, "give it with -o DIR"),
    ("docs-json-over-file", "catalog docs --format json over a file aibgen did not write", {"c.json": "{}"},
     ["catalog", "docs", "--format", "json", "-o", "c.json"], 2, "did not write it"),
    ("docs-bad-format", "catalog docs with an unknown --format", {}, ["catalog", "docs", "--format", "html", "-o", "d"],
     2, "Invalid value for '--format'"),
    ("diff-missing-ref", "catalog diff of a ref the repository does not have", _REPO,
     ["catalog", "diff", "main", "--catalog", "cat"], 2, "'main' is neither a catalog folder nor a commit"),
    ("diff-outside-git", "catalog diff of a ref outside a git repository", {"cat/p.yaml": _PROFILE},
     ["catalog", "diff", "main", "--catalog", "cat"], 2, "is not inside a git repository"),
    ("diff-missing-folder", "catalog diff of a folder that does not exist", {"old/p.yaml": _PROFILE},
     ["catalog", "diff", "old", "new"], 2, "new: no such catalog folder"),
    ("diff-one-folder", "catalog diff of one folder", {"old/p.yaml": _PROFILE},
     ["catalog", "diff", "old"], 2, "give the folder to compare it with"),
    ("diff-bad-format", "catalog diff with an unknown --format", {"old/p.yaml": _PROFILE, "new/p.yaml": _PROFILE},
     ["catalog", "diff", "old", "new", "--format", "html"], 2, "Invalid value for '--format'"),
]

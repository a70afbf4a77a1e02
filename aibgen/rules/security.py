"""AIB6xx: secrets and transport security."""
from __future__ import annotations

import re

from aibgen.rules import rule

# (what, lower-case texts one of which every match contains, pattern). The literal is a cheap filter
# that spares the regular expressions on long texts. Values that are variables ($x, %X%,
# $(...)) are not secrets in themselves.
_SECRETS = [
    ("a SAS token (sig=)", ("sig=",), re.compile(r"[?&]sig=[A-Za-z0-9%+/=]{16,}")),
    ("a storage account key", ("accountkey=",), re.compile(r"(?i)AccountKey=[A-Za-z0-9+/]{40,}={0,2}")),
    ("a private key", ("private key",), re.compile(r"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----")),
    ("a bearer token", ("bearer",), re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/-]{20,}=*")),
    ("a JSON web token", ("eyj",), re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}")),
    ("a GitHub token", ("gh",), re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b")),
    ("a password", ("pass", "pwd"), re.compile(r"(?i)(?:\bpass(?:word|wd)?|\bpwd)\s*[:=]\s*['\"]?(?![$%'\"\s])[^\s'\";&|]{4,}")),
    ("a password", ("-pass",), re.compile(r"(?i)-(?:Password|pass)\s+['\"]?(?![$%'\"\s(])[^\s'\";]{4,}")),
    ("a password", ("securestring",), re.compile(r"(?i)ConvertTo-SecureString\s+(?:-String\s+)?['\"][^'\"$]{4,}['\"]")),
    ("a password", ("sudo",), re.compile(r"(?i)\becho\s+['\"]?[^\s'\"|]{4,}['\"]?\s*\|\s*sudo\s+-S\b")),
]
_URI_KEYS = ("scriptUri", "sourceUri")
_TEXT_KEYS = ("inline", "restartCommand", "restartCheckCommand")


def _texts(ctx):
    """(pointer, text) for every command and URI the build VM will see."""
    for ptr, step in ctx.steps():
        for key in _URI_KEYS + _TEXT_KEYS[1:]:
            if isinstance(step.get(key), str):
                yield f"{ptr}/{key}", step[key]
        for i, line in enumerate(step.get("inline") if isinstance(step.get("inline"), list) else []):
            if isinstance(line, str):
                yield f"{ptr}/inline/{i}", line
    opt = ctx.props.get("optimize")
    workload = opt.get("workload") if isinstance(opt, dict) else None
    if isinstance(workload, dict) and isinstance(workload.get("scriptUri"), str):
        yield "/properties/optimize/workload/scriptUri", workload["scriptUri"]
    for ptr, item in ctx.items("distribute"):
        if isinstance(item.get("uri"), str):
            yield f"{ptr}/uri", item["uri"]


@rule("AIB601", "error", "No secrets in inline commands or URIs", "properties-customize")
def secrets(ctx):
    """Inline commands and URIs are stored in the image template, and anyone who can read
    the template (`az image builder show`) sees them. Passwords, SAS tokens, storage keys,
    bearer tokens and private keys do not belong there: move the sensitive part into a
    script in Azure Storage that Image Builder reads with the template's user-assigned
    identity (or that the build VM's identity fetches from Key Vault)."""
    texts = list(_texts(ctx))
    blob = "\n".join(text for _, text in texts).lower()
    active = [entry for entry in _SECRETS if any(lit in blob for lit in entry[1])]
    for ptr, text in texts if active else ():
        lower = text.lower()
        for what, literals, pattern in active:
            if any(lit in lower for lit in literals) and pattern.search(text):
                yield ptr, f"contains {what}; move it into a script in Azure Storage read with the managed identity"
                break


@rule("AIB602", "warning", "Scripts and files are fetched over HTTPS", "shell-customizer")
def plain_http(ctx):
    """A `scriptUri` or `sourceUri` over plain `http://` can be altered in transit; use
    `https://` (and a `sha256Checksum`)."""
    for ptr, step in ctx.steps():
        for key in _URI_KEYS:
            value = step.get(key)
            if isinstance(value, str) and value.lower().startswith("http://"):
                yield f"{ptr}/{key}", f"{key} uses plain http://; use https://"

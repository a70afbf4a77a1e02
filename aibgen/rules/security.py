"""AIB6xx: secrets and transport security."""
from __future__ import annotations

import re

from aibgen.rules import rule

_NO_CERT = r"""(?!['"]?[^\s'"]*\.(?:pem|pfx|crt)\b)"""  # az login -p also takes a certificate file
# A literal secret value: quoted ('...' is literal in shell and PowerShell; "..." holding $ is
# interpolated) or a bare word. Not a value: variables and substitutions ($x, $env:X, ${X},
# $(...), `...`, %X%), Key Vault references (@Microsoft.KeyVault(...)), placeholders (<x>,
# {{x}}), ARM parts ([...], ', ...' of concat), option switches (-x, /x), prompts (*) and,
# for bare words, paths (a certificate file for az login -p).
_NOT = r"$%<>{}@`\[,)"
_QUOTED = rf"""(?:'(?![{_NOT}])[^'\s]{{4,}}'|"(?![{_NOT}])[^"\s$`]{{4,}}")"""
_VALUE = rf"""(?:{_QUOTED}|(?![{_NOT}'"(*/~.-])[^\s'";&|<>]{{4,}})"""
# (what, lower-case texts one of which every match contains, pattern). The literal is a cheap filter
# that spares the regular expressions on long texts. Patterns have no nested quantifiers, so
# they run in linear time on long texts.
_SECRETS = [
    ("a SAS token (sig=)", ("sig=",), re.compile(r"[?&]sig=[A-Za-z0-9%+/=]{16,}")),
    ("a storage account key", ("accountkey=",), re.compile(r"(?i)AccountKey=[A-Za-z0-9+/]{40,}={0,2}")),
    ("a private key", ("private key",), re.compile(r"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----")),
    ("a bearer token", ("bearer",), re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/-]{20,}=*")),
    ("a JSON web token", ("eyj",), re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}")),
    ("a GitHub token", ("gh",), re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b")),
    ("a password", ("pass", "pwd"), re.compile(r"(?i)(?<!\$)(?:\bpass(?:word|wd)?|\bpwd)\s*[:=]\s*" + _VALUE)),
    # a PowerShell variable: `$password = Get-X` runs a command, only a quoted text is literal
    ("a password", ("pass", "pwd"), re.compile(r"(?i)\$\w*(?:pass(?:word|wd)?|pwd)\s*=\s*" + _QUOTED)),
    ("a password", ("-pass",), re.compile(r"(?i)-(?:Password|pass)(?::|\s+)" + _NO_CERT + _VALUE)),
    ("a password", ("securestring",), re.compile(
        r"(?i)ConvertTo-SecureString\s+(?:-String\s+)?" + _VALUE + r"\s+(?:-Force\s+)?-AsPlainText\b")),
    ("a password", ("securestring",), re.compile(
        r"(?i)ConvertTo-SecureString\s+(?:-AsPlainText\s+(?:-Force\s+)?|-Force\s+-AsPlainText\s+)(?:-String\s+)?" + _VALUE)),
    ("a password", ("user",), re.compile(r"(?i)\bnet\s+user\s+(?:/add\s+)?(?:\"[^\"\n]+\"|[^\s/\"]+)\s+" + _VALUE + r"(?=\s|$)")),
    ("a password", ("login",), re.compile(
        r"(?i)\baz\s+login\b[^\n;&|]*?\s-p(?:\s+|=)" + _NO_CERT + _VALUE)),
    ("a password", ("chpasswd",), re.compile(
        r"(?i)\becho\s+(?:'[^'\s:]+:(?![$%])[^'\s]{4,}'|\"[^\"\s:$]+:(?![$%])[^\"\s$]{4,}\"|[^\s'\":|]+:(?![$%])[^\s|]{4,})"
        r"\s*\|\s*(?:sudo\s+)?chpasswd\b")),
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
    identity (or that the build VM's identity fetches from Key Vault).

    Recognised: SAS signatures, storage keys, bearer and JSON web tokens, GitHub tokens,
    private keys, and literal passwords in `password=...`, `-Password '...'`,
    `ConvertTo-SecureString '...' -AsPlainText`, `net user NAME PASS`, `az login -p ...`,
    `echo 'user:pass' | chpasswd` and `echo ... | sudo -S`. Variables and substitutions
    (`$env:X`, `$(...)`, `${X}`, `%X%`), Key Vault lookups and certificate files are not secrets."""
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

"""A scaffold's answers checked with aibgen's own types, before a file is written.

``aibgen scaffold`` checks every answer as it is given; each built-in scaffold's
``pre_gen_project`` hook calls :func:`hook_check` with the answers cookiecutter collected,
so plain ``cookiecutter`` on the same template refuses the same answers (and leaves no
folder behind). Answers bound to a profile's parameters are checked with that parameter's
type, so an identity must be the resource id of a user-assigned identity, a region one where
Image Builder runs, and so on.
"""
from __future__ import annotations

import keyword
import re
from urllib.parse import urlsplit

from aibgen.errors import AibgenError, ParameterError, did_you_mean
from aibgen.profiles import params
from aibgen.profiles.roots import NAME_RE, Catalog

NAME_MAX = 64
FOLDER_BYTES = 100
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NOT_PORTABLE = set('<>:"|?*/\\')
_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?", re.IGNORECASE)  # Windows device names


def check_one(name: str, spec: dict, value: object, catalog: Catalog | None, choices=None) -> object:
    """``value`` of answer ``name`` normalised, or a ParameterError naming the answer."""
    where = f"answer '{name}'"
    kind = spec.get("type", "string")
    text = value if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        raise ParameterError(f"{where}: not valid Unicode text (an unpaired surrogate); give it again")
    result = _typed(name, kind, spec, text, where, catalog, choices)
    _constrain(spec, str(result), where)
    return result


def _typed(name: str, kind: str, spec: dict, text: str, where: str, catalog, choices) -> object:
    if kind == "folder-name":
        return _folder_name(where, text)
    if kind in ("name", "new-profile"):
        if not NAME_RE.fullmatch(text) or len(text) > NAME_MAX:
            raise ParameterError(f"{where}: '{_short(text)}' is not a valid name; use at most {NAME_MAX} lower-case "
                                 "letters, digits, '.', '_' and '-', starting with a letter or digit")
        if kind == "new-profile" and catalog is not None and text in catalog.profiles:
            raise ParameterError(f"{where}: '{text}' is already a profile ({catalog.profiles[text].root}); "
                                 "a profile cannot extend itself, so choose another name")
        return text
    if kind == "python-name":
        if not text.isidentifier() or keyword.iskeyword(text) or not text.isascii():
            raise ParameterError(f"{where}: '{_short(text)}' is not a Python package name; use letters, digits "
                                 "and '_', starting with a letter")
        return text
    if kind == "profile":
        return profile_answer(where, text, catalog)
    if kind == "url":
        parts = urlsplit(text)
        if parts.scheme != "https" or not parts.hostname or _CONTROL.search(text) or " " in text:
            raise ParameterError(f"{where}: '{_short(text)}' is not an https:// URL")
        return text.rstrip("/")
    offered = list(spec.get("choices") or choices or [])
    if kind == "choice" and not offered:
        raise ParameterError(f"{where}: the scaffold offers no choices for it; fix its cookiecutter.json")
    p = params.Parameter(name=name, type=kind, choices=offered, resource=spec.get("resource"))
    return params.parse(p, text, where)


def _constrain(spec: dict, text: str, where: str) -> None:
    """A scaffold's own ``pattern`` (with ``hint``) and ``max_length`` for an answer."""
    pattern = spec.get("pattern")
    if pattern and not re.fullmatch(pattern, text):
        raise ParameterError(f"{where}: '{_short(text)}' {spec.get('hint') or 'does not match ' + pattern}")
    limit = spec.get("max_length")
    if isinstance(limit, int) and len(text) > limit:
        raise ParameterError(f"{where}: '{_short(text)}' is longer than {limit} characters")


def _folder_name(where: str, text: str) -> str:
    if not text.strip() or text in (".", "..") or _CONTROL.search(text) or _NOT_PORTABLE & set(text) \
            or text[0] in "-~" or text != text.strip() or text.endswith(".") or _RESERVED.fullmatch(text) \
            or len(text.encode("utf-8")) > FOLDER_BYTES:
        raise ParameterError(f"{where}: '{_short(text)}' is not a folder name every system accepts; use up to "
                             f"{FOLDER_BYTES} bytes without {' '.join(sorted(_NOT_PORTABLE))} or control "
                             "characters, not starting with '-' or '~' or ending with '.' or a space")
    return text


def _short(text: str) -> str:
    text = _CONTROL.sub("?", text)
    return text if len(text) <= 60 else text[:57] + "..."


def profile_answer(where: str, text: str, catalog: Catalog | None) -> str:
    """A concrete profile of ``catalog`` (when there is one to look in)."""
    if catalog is None:
        return text
    from aibgen.profiles.resolve import resolve

    if not NAME_RE.fullmatch(text) or text not in catalog.profiles:
        hint = did_you_mean(text, catalog.profiles) if NAME_RE.fullmatch(text) else ""
        raise ParameterError(f"{where}: no profile named '{_short(text)}'{hint}; 'aibgen catalog list' shows them")
    try:
        prof = resolve(catalog, text)
    except AibgenError as err:
        raise ParameterError(f"{where}: profile '{text}' cannot be read: {err}") from None
    if prof.abstract:
        raise ParameterError(f"{where}: profile '{text}' is abstract (a base for others); choose a concrete one")
    return text


def profile_os(catalog: Catalog, name: str) -> str | None:
    """``linux`` or ``windows``: what the profile builds, from its template with example values."""
    from aibgen.facts.images import image_os
    from aibgen.flows.examples import render_example

    example = render_example(catalog, name)
    return image_os((example.doc or {}).get("properties")) if example.doc else None


def check_binding(binding: dict, answers: dict, catalog: Catalog) -> dict:
    """The answers bound to the chosen profile's parameters, each checked with its parameter's type."""
    from aibgen.profiles.resolve import resolve

    if not binding or catalog is None:
        return answers
    out = dict(answers)
    name = answers.get(binding["answer"])
    if not isinstance(name, str) or name not in catalog.profiles:  # the scaffold did not type the answer
        raise ParameterError(f"answer '{binding['answer']}': no profile named '{_short(str(name))}'"
                             f"{did_you_mean(str(name), catalog.profiles)}")
    try:
        prof = resolve(catalog, name)
    except AibgenError as err:
        raise ParameterError(f"answer '{binding['answer']}': profile '{name}' cannot be read: {err}") from None
    if binding.get("os") in answers:
        wanted = profile_os(catalog, name)
        if wanted and answers[binding["os"]] != wanted:
            raise ParameterError(f"answer '{binding['os']}': profile '{name}' builds {wanted} images; answer {wanted}")
    covered = set()
    for answer, pname in (binding.get("parameters") or {}).items():
        text = answers.get(answer, "")
        p = prof.params.get(pname)
        if p is None:
            if text not in ("", None):
                raise ParameterError(f"answer '{answer}': profile '{name}' has no parameter {pname}; leave it empty")
            continue
        covered.add(pname)
        if text in ("", None):
            if p.required and p.default is None:
                raise ParameterError(f"answer '{answer}': profile '{name}' needs its parameter {pname} "
                                     f"({p.describe_type()})")
            continue
        out[answer] = params.parse(p, str(text), f"answer '{answer}'") if isinstance(text, str) else \
            params.coerce(p, text, f"answer '{answer}'")
    rest = binding.get("rest")
    if rest is not None:
        out[rest] = _rest(rest, answers.get(rest) or {}, prof, name, covered)
    return out


def _rest(rest: str, given, prof, name: str, covered: set) -> dict:
    if not isinstance(given, dict):
        raise ParameterError(f"answer '{rest}': must be a mapping of parameter names to values")
    out = {}
    for key, value in given.items():
        p = prof.params.get(key)
        if p is None or key in covered or key == "name":
            why = "is set by another answer" if key in covered or key == "name" else "is not one of its parameters"
            raise ParameterError(f"answer '{rest}': '{key}' {why} of profile '{name}'"
                                 f"{did_you_mean(key, prof.params) if p is None else ''}")
        where = f"answer '{rest}.{key}'"
        out[key] = params.parse(p, value, where) if isinstance(value, str) else params.coerce(p, value, where)
    for key, p in prof.params.items():
        if p.required and p.default is None and key not in covered and key not in out and key != "name":
            raise ParameterError(f"answer '{rest}': profile '{name}' needs a value for its parameter {key} "
                                 f"({p.describe_type()}); add it there")
    return out


def check_all(answer_types: dict, binding: dict, answers: dict, options: dict, catalog: Catalog | None) -> dict:
    """Every typed answer, then the profile binding; the answers normalised."""
    out = dict(answers)
    for name, spec in answer_types.items():
        if name in answers:
            choices = options.get(name) if isinstance(options.get(name), list) else None
            if spec.get("type") == "choice" and not (choices or spec.get("choices")):
                continue  # cookiecutter offered the choices; a replay does not keep them
            out[name] = check_one(name, spec, answers[name], catalog, choices)
    return check_binding(binding, out, catalog)


def hook_check(context: dict) -> tuple[int, str]:
    """For a scaffold's ``pre_gen_project`` hook: (exit code, one-line message) for cookiecutter's answers."""
    from aibgen.profiles.roots import default_roots, load_catalog

    answers = context.get("cookiecutter") or {}
    extra = answers.get("_aibgen") or {}
    try:
        catalog = load_catalog(default_roots(list(extra.get("catalogs") or [])))
        options = dict(context.get("options") or {})
        options.update(extra.get("choices") or {})
        check_all(extra.get("answers") or {}, extra.get("profile") or {},
                  {k: v for k, v in answers.items() if not k.startswith("_")}, options, catalog)
    except AibgenError as err:
        return 2, f"error: {err}"
    return 0, ""

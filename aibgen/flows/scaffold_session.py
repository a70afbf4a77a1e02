"""The questions of one scaffold, asked in order, each answer checked as it is given.

A :class:`Session` walks ``cookiecutter.json`` in order. An answer given beforehand
(``--set``, ``--profile``, a replayed answer) is checked and not asked; one the chosen
profile settles (its operating system, a parameter it does not have) is filled in; every
other question is handed to the caller, which prompts (or, without input, takes the
default). Defaults are rendered as cookiecutter renders them, from the answers so far.
Required parameters of the chosen profile that no question covers become questions of
their own, typed as the profile types them; their default is the parameter's example.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from aibgen.errors import AibgenError, CatalogError, ParameterError, did_you_mean
from aibgen.flows import scaffold_answers as checks
from aibgen.flows.scaffold import Spec
from aibgen.profiles import params
from aibgen.profiles.roots import Catalog


@dataclass
class Question:
    """One question to put to the user."""

    key: str  # the cookiecutter variable, or "<rest>.<parameter>"
    text: str
    default: object
    choices: list | None = None
    param: params.Parameter | None = None
    help: str = ""


class Session:
    """The answers of one run of a scaffold."""

    def __init__(self, spec: Spec, variables: dict, catalog: Catalog, given: dict, literal: dict | None = None) -> None:
        self.spec, self.variables, self.catalog = spec, variables, catalog
        self.literal = dict(literal or {})  # defaults that are text as given, never rendered
        self.binding = spec.profile
        rest = self.binding.get("rest")
        self.given = {k: v for k, v in given.items()
                      if k in variables and not k.startswith("_") and k != rest and v is not None}
        self.rest_given: dict = {}
        if rest and rest in given:  # --set parameters='{"vmSize": "..."}', or a replayed mapping
            self.rest_given.update(_mapping(rest, given[rest]))
        self.unknown = {k: v for k, v in given.items() if (k not in variables or k.startswith("_")) and v is not None}
        for key in list(self.unknown):
            if rest and key.startswith(rest + "."):
                self.rest_given[key[len(rest) + 1:]] = self.unknown.pop(key)
        self.answers: dict = {}
        self._pending = [k for k in spec.questions]
        self._rest_questions: list[Question] | None = None

    def next(self) -> Question | None:
        """The next question to ask, after filling in every answer known without asking."""
        while self._pending:
            key = self._pending[0]
            if key in self.answers:
                pass
            elif key == self.binding.get("rest") and self._profile():
                question = self._next_rest()
                if question is not None:
                    return question
                self.answers[key] = self.rest_given
            elif key in self.given:
                self.answer(key, self.given[key])
            elif (settled := self._settled(key)) is not None:
                self.answers[key] = settled
            else:
                return self._question(key)
            self._pending.pop(0)
        return None

    def answer(self, key: str, value: object) -> None:
        """Record the answer to ``key``; a ParameterError (naming it) when it is not valid."""
        if "." in key and key.split(".", 1)[0] == self.binding.get("rest"):
            pname = key.split(".", 1)[1]
            p = self.params()[pname]
            where = f"answer '{key}'"
            self.rest_given[pname] = params.parse(p, value, where) if isinstance(value, str) else \
                params.coerce(p, value, where)
            return
        raw = self.variables.get(key)
        typed = self.spec.answers.get(key)
        if typed is not None:
            value = checks.check_one(key, typed, value, self.catalog, raw if isinstance(raw, list) else None)
        elif isinstance(raw, list) and value not in raw:
            raise ParameterError(f"answer '{key}': must be one of {', '.join(map(str, raw))}; got '{value}'"
                                 f"{did_you_mean(str(value), map(str, raw))}")
        elif isinstance(raw, bool) and not isinstance(value, bool):
            value = params.parse(params.Parameter(name=key, type="boolean"), str(value), f"answer '{key}'")
        elif isinstance(raw, dict) and not isinstance(value, dict):
            value = _mapping(key, value)
        pname = (self.binding.get("parameters") or {}).get(key)
        if pname and self._profile() and value not in ("", None) and pname in self.params():
            value = params.parse(self.params()[pname], str(value), f"answer '{key}'")
        self.answers[key] = value

    def finish(self) -> dict:
        """Every answer, checked together as the scaffold's hook checks them."""
        for key, value in self.unknown.items():
            if not (self._profile() and key in self.params()):
                known = [q for q in self.spec.questions] + list(self.params() if self._profile() else ())
                raise ParameterError(f"--set {key}: the scaffold '{self.spec.scaffold.name}' has no question or "
                                     f"profile parameter of that name{did_you_mean(key, known)}")
        return checks.check_all(self.spec.answers, self.binding, self.answers, self.variables, self.catalog)

    # -- the chosen profile --------------------------------------------------------------
    def _profile(self) -> str | None:
        return self.answers.get(self.binding.get("answer")) if self.binding else None

    def params(self) -> dict:
        """The parameters of the chosen profile."""
        from aibgen.memo import get
        from aibgen.profiles.resolve import resolve

        name = self._profile()
        return get("scaffold-profile", name, lambda: resolve(self.catalog, name).params)

    def _settled(self, key: str):
        """The answer the chosen profile gives without asking, or None."""
        if not self._profile():
            return None
        if key == self.binding.get("os"):
            return checks.profile_os(self.catalog, self._profile())
        pname = (self.binding.get("parameters") or {}).get(key)
        if pname and pname not in self.params():
            return ""
        return None

    def _next_rest(self) -> Question | None:
        if self._rest_questions is None:
            bound = set((self.binding.get("parameters") or {}).values()) | {"name"}
            for key, value in list(self.unknown.items()):
                if key in self.params() and key not in bound:
                    self.rest_given[key] = self.unknown.pop(key)
            for key in [k for k in self.rest_given if k in self.params()]:  # the others: finish() names them
                self.answer(f"{self.binding['rest']}.{key}", self.rest_given[key])
            self._rest_questions = [
                Question(f"{self.binding['rest']}.{n}", n, p.example if p.example is not None else p.default,
                         list(p.choices) or None, p, p.help)
                for n, p in self.params().items()
                if p.required and p.default is None and n not in bound and n not in self.rest_given]
        return self._rest_questions.pop(0) if self._rest_questions else None

    def _question(self, key: str) -> Question:
        raw = self.variables[key]
        if key in self.literal:
            return Question(key, self.spec.prompt_text(key), self.literal[key])
        try:
            if isinstance(raw, list):
                options = [self._render(r) for r in raw]
                return Question(key, self.spec.prompt_text(key), options[0] if options else "", options)
            if isinstance(raw, dict):
                return Question(key, self.spec.prompt_text(key), json.dumps(self._render(raw)))
            return Question(key, self.spec.prompt_text(key), self._render(raw))
        except AibgenError:
            raise
        except Exception as exc:  # noqa: BLE001 - a template's default is code cookiecutter renders
            raise CatalogError(f"scaffold '{self.spec.scaffold.name}': the default of '{key}' cannot be rendered: "
                               f"{type(exc).__name__}: {exc}") from None

    def _render(self, raw):
        from cookiecutter.environment import StrictEnvironment
        from cookiecutter.prompt import render_variable

        env = StrictEnvironment(context={"cookiecutter": self.variables})
        return render_variable(env, raw, dict(self.answers))


def _mapping(key: str, value: object) -> dict:
    try:
        parsed = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        raise ParameterError(f"answer '{key}': must be a JSON object, e.g. {{\"key\": \"value\"}}")
    return parsed

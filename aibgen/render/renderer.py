"""Render a resolved profile into an Image Builder template dict.

Profile strings may hold Jinja expressions over the parameters (``"{{ name }}-vhd"``);
a string that is exactly one ``{{ expression }}`` yields the expression's value with its
type (a list stays a list). Each source, customizer, validator, distributor and property
block is then written by a *partial*: a Jinja template in the catalog that renders one
JSON value from ``args`` (the item's ``with:`` values), ``item``, ``template`` and
``params``.

Jinja runs sandboxed with ``StrictUndefined``. Parameter values are context only: they
are never rendered as templates, and they enter JSON through ``tojson`` or
``json_object``, so no value can break the JSON or reach Python internals.
"""
from __future__ import annotations

import json
import re
import traceback
from dataclasses import dataclass, field

from jinja2 import TemplateNotFound, TemplateSyntaxError, Undefined, UndefinedError
from jinja2.exceptions import SecurityError

from aibgen.profiles.roots import Catalog
from aibgen.facts.resource_ids import RESOURCE_TYPE
from aibgen.errors import RenderError, did_you_mean
from aibgen.profiles.resolve import Profile
from aibgen.render.environment import Args, NotData, environment, expression, inline, json_data
from aibgen.render.limits import MAX_OUTPUT, LimitError

_SINGLE_EXPR = re.compile(r"^\s*\{\{(?P<expr>(?:(?!\{\{|\}\}).)*)\}\}\s*$", re.S)


@dataclass
class Rendered:
    """A rendered template and, for each output pointer, the profile pointer behind it."""

    doc: dict
    origins: dict[str, str] = field(default_factory=dict)
    image: dict | None = None  # the profile's imageDefinition with its values rendered
    partials: list[str] = field(default_factory=list)  # every partial asked for, e.g. customizers/shell


class Renderer:
    """Renders one profile with bound parameter values."""

    def __init__(self, catalog: Catalog, prof: Profile, values: dict, api_version: str) -> None:
        self.catalog, self.prof, self.values = catalog, prof, values
        self.env = environment(catalog)
        self.api_version = api_version
        self.context = dict(values, profile_name=prof.name, api_version=api_version,
                            os=prof.data.get("os"))
        self.origins: dict[str, str] = {}
        self.partials: set[str] = set()

    # -- profile values -------------------------------------------------------------
    def value(self, value, ptr: str):
        """Render the Jinja in a profile value (recursively); ``ptr`` is its profile pointer."""
        if isinstance(value, dict):
            return {k: self.value(v, f"{ptr}/{k}") for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(v, f"{ptr}/{i}") for i, v in enumerate(value)]
        if not isinstance(value, str) or ("{{" not in value and "{%" not in value):
            return value
        try:
            single = _SINGLE_EXPR.match(value)
            if single:
                return self._native(single.group("expr"), ptr)
            return self.env.render(inline(self.catalog, value), self.context)
        except RenderError:
            raise
        except Exception as exc:  # jinja2 raises many kinds; all are the profile's fault
            raise RenderError(f"{self._at(ptr)}: {self._jinja_message(exc)}") from None

    def _native(self, expr: str, ptr: str):
        """The value of one ``{{ expression }}``, kept if it is JSON data of at most MAX_OUTPUT."""
        with self.env.budget():
            result = expression(self.catalog, expr)(self.context)
            if isinstance(result, Undefined):
                str(result)  # raises UndefinedError with the name
            data, size = json_data(result)
        if isinstance(data, NotData):
            raise RenderError(f"{self._at(ptr)}: the expression gives {data}, not JSON data")
        if size > MAX_OUTPUT:
            raise LimitError(f"the value is larger than {MAX_OUTPUT // (1024 * 1024)} MiB")
        return data

    def _at(self, ptr: str) -> str:
        file, line, col = self.prof.where(ptr)
        return f"{file}:{line}:{col}"

    def _jinja_message(self, exc: Exception) -> str:
        if isinstance(exc, UndefinedError):
            known = ", ".join(sorted(self.values))
            return f"{exc.message}; parameters available: {known}"
        if isinstance(exc, LimitError):
            return f"template refused: {exc}; render less"
        if isinstance(exc, SecurityError):
            return f"unsafe template expression refused: {exc}"
        if isinstance(exc, TemplateSyntaxError):
            return f"template syntax error: {exc.message}"
        if isinstance(exc, TemplateNotFound):
            name = re.sub(r"[\x00-\x1f\x7f]", lambda m: repr(m.group())[1:-1], str(exc.name))
            return f"template '{name}' not found (include, import or extends names a partial that does not exist)"
        return f"template error: {exc}" if str(exc) else f"template error: {type(exc).__name__}"

    # -- partials -------------------------------------------------------------------
    def partial(self, kind: str, item: dict, ptr: str, extra: dict | None = None):
        """Render one item with the partial ``kind/item['use']`` into a JSON value."""
        use = item.get("use", "")
        name = f"{kind}/{use}"
        self.partials.add(name)
        entry = self.catalog.partials.get(name)
        if entry is None:
            have = [n.split("/", 1)[1] for n in self.catalog.partials if n.startswith(kind + "/")]
            raise RenderError(f"{self._at(ptr + '/use')}: no partial '{name}'{did_you_mean(use, have)}; "
                              f"available {kind}: {', '.join(sorted(have))}")
        args = Args(self.value(item.get("with") or {}, ptr + "/with"))
        args.update(extra or {})
        local = self._local_files(item, ptr, args)
        args.update(local)
        extra = dict(extra or {}, **local)
        ctx = {"args": args, "item": {"use": use, "name": self.value(item.get("name"), ptr + "/name")},
               "template": self.template_info, "params": dict(self.values)}
        text = self._render_partial(name, ctx, ptr, entry)
        try:
            result = json.loads(text)
        except json.JSONDecodeError as exc:
            raise RenderError(f"{entry.path}: rendered invalid JSON (output line {exc.lineno}, column {exc.colno}: "
                              f"{exc.msg}) for {self._at(ptr)}") from None
        self._check_unused(args, set(extra or {}), name, ptr)
        return result

    def _local_files(self, item: dict, ptr: str, args: dict) -> dict:
        """``script`` fills sha256Checksum and ``inline_file`` fills inline from local files."""
        import hashlib

        from aibgen.profiles.roots import local_file
        from aibgen.errors import CatalogError

        out: dict = {}
        for key in ("script", "inline_file"):
            if key not in item:
                continue
            file, line, col = self.prof.where(f"{ptr}/{key}")
            try:
                raw = local_file(self.catalog, file, item[key])
            except CatalogError as exc:
                raise RenderError(f"{file}:{line}:{col}: {key}: {exc}") from None
            if key == "script":
                if not ("scriptUri" in args or "sourceUri" in args):
                    raise RenderError(f"{file}:{line}:{col}: script: also give with.scriptUri, the URL the file is published at")
                out["sha256Checksum"] = hashlib.sha256(raw).hexdigest()
            else:
                if "inline" in args:
                    raise RenderError(f"{file}:{line}:{col}: inline_file and with.inline cannot both be given")
                try:
                    out["inline"] = raw.decode("utf-8-sig").splitlines()
                except UnicodeDecodeError:
                    raise RenderError(f"{file}:{line}:{col}: inline_file: {item[key]} is not UTF-8 text") from None
        return out

    def _render_partial(self, name: str, ctx: dict, ptr: str, entry) -> str:
        try:
            return self.env.render(self.env.get_template(name), ctx)
        except RenderError:
            raise
        except Exception as exc:
            line = _template_line(exc, str(entry.path))
            where = f"{entry.path}:{line}" if line else str(entry.path)
            msg = self._jinja_message(exc)
            if isinstance(exc, UndefinedError) and not str(exc).startswith("missing required value"):
                msg = f"{exc.message}; a partial can use args, item, template and params"
            elif isinstance(exc, UndefinedError):
                msg = str(exc)
            raise RenderError(f"{where}: {msg} (rendering {self._at(ptr)})") from None

    def _check_unused(self, args: Args, extra: set, name: str, ptr: str) -> None:
        unused = [k for k in args if k not in args.asked and k not in extra]
        if unused:
            key = unused[0]
            hint = did_you_mean(key, args.asked - set(args))
            raise RenderError(f"{self._at(ptr + '/with/' + key)}: '{key}' is not used by partial {name}{hint}")

    @property
    def template_info(self) -> dict:
        return {"name": self.values.get("name"), "location": self.location,
                "os": self.prof.data.get("os"), "apiVersion": self.api_version}

    # -- the whole template ---------------------------------------------------------
    def render(self) -> Rendered:
        d = self.prof.data
        if "location" not in d:
            raise RenderError(f"{self.prof.file}:1:1: the profile sets no 'location'; add location: \"{{{{ location }}}}\"")
        self.location = self.value(d["location"], "/location")
        doc = {"type": RESOURCE_TYPE, "apiVersion": self.api_version, "name": self.values.get("name"),
               "location": self.location}
        self._origin("/location", "/location")
        if "tags" in d:
            doc["tags"] = self._plain("tags", "/tags")
        if "identity" in d:
            doc["identity"] = self.partial("properties", {"use": "identity"}, "/identity",
                                           {"id": self.value(d["identity"], "/identity")})
            self._origin("/identity", "/identity")
        doc["properties"] = self.properties()
        image = None
        if "imageDefinition" in d:  # not part of the template; findings on it point at the profile's lines
            image = self.value(d["imageDefinition"], "/imageDefinition")
            self._origin("/imageDefinition", "/imageDefinition")
        return Rendered(doc, self.origins, image, sorted(self.partials))

    def properties(self) -> dict:
        d = self.prof.data
        props: dict = {}
        for key in ("buildTimeoutInMinutes", "stagingResourceGroup", "managedResourceTags"):
            if key in d:
                props[key] = self._plain(key, f"/{key}", f"/properties/{key}")
        blocks = (("vmProfile", "vm-profile"), ("optimize", "optimize"),
                  ("errorHandling", "error-handling"))
        for key, use in blocks:
            if key in d:
                props[key] = self._block(use, self.value(d[key], f"/{key}"), f"/{key}", f"/properties/{key}")
        if "additionalDataDisks" in d:  # an empty list (a parameter's default) writes no key
            disks = self._block("data-disks", {"disks": self.value(d["additionalDataDisks"], "/additionalDataDisks")},
                                "/additionalDataDisks", "/properties/additionalDataDisks")
            if disks:
                props["additionalDataDisks"] = disks
            else:
                self.origins.pop("/properties/additionalDataDisks")
        if "autoRun" in d:
            props["autoRun"] = self._block("auto-run", {"enabled": self.value(d["autoRun"], "/autoRun")},
                                           "/autoRun", "/properties/autoRun")
        if "source" in d:
            props["source"] = self.partial("sources", d["source"], "/source")
            self._origin("/properties/source", "/source")
        for key, kind in (("customize", "customizers"), ("distribute", "distributors")):
            if key in d:
                props[key] = self.items(kind, d[key], f"/{key}", f"/properties/{key}")
        if "validate" in d:
            props["validate"] = self.validate(d["validate"])
        return props

    def validate(self, block: dict) -> dict:
        args = {k: self.value(v, f"/validate/{k}") for k, v in block.items() if k != "inVMValidations"}
        if "inVMValidations" in block:
            args["inVMValidations"] = self.items("validators", block["inVMValidations"], "/validate/inVMValidations",
                                                 "/properties/validate/inVMValidations")
        return self._block("validate", args, "/validate", "/properties/validate")

    def items(self, kind: str, items: list, ptr: str, out: str) -> list:
        result = []
        for i, item in enumerate(items):
            if "when" in item and not self.value(item["when"], f"{ptr}/{i}/when"):
                continue
            self._origin(f"{out}/{len(result)}", f"{ptr}/{i}")
            result.append(self.partial(kind, item, f"{ptr}/{i}"))
        return result

    def _block(self, use: str, args: dict, ptr: str, out: str):
        self._origin(out, ptr)
        return self.partial("properties", {"use": use}, ptr, args)

    def _plain(self, key: str, ptr: str, out: str | None = None):
        self._origin(out or ptr, ptr)
        return self.value(self.prof.data[key], ptr)

    def _origin(self, out: str, ptr: str) -> None:
        self.origins[out] = ptr


def _template_line(exc: Exception, filename: str) -> int | None:
    line = getattr(exc, "lineno", None)
    if line and getattr(exc, "filename", None) == filename:
        return line
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename == filename:
            return frame.lineno
    return line


def render(catalog: Catalog, prof: Profile, values: dict, api_version: str) -> Rendered:
    """Render ``prof`` with bound ``values`` into a template dict for ``api_version`` (the whole
    profile under one sandbox budget: one timer and memory limit, not one per partial)."""
    renderer = Renderer(catalog, prof, values, api_version)
    with renderer.env.budget():
        return renderer.render()

"""Write an imported profile as readable YAML: the key order of docs/profiles.md, a header
naming the source, and a comment beside each value that became a parameter."""
from __future__ import annotations

import io

from aibgen.convert.values import Text, printable

ORDER = ("description", "abstract", "extends", "apiVersion", "os", "imageDefinition", "parameters", "examples",
         "location", "identity", "tags", "buildTimeoutInMinutes", "stagingResourceGroup", "managedResourceTags",
         "autoRun", "vmProfile", "additionalDataDisks", "source", "customize", "validate", "distribute", "optimize",
         "errorHandling")
PARAM_ORDER = ("type", "resource", "items", "choices", "default", "required", "help", "example")
ITEM_ORDER = ("op", "target", "use", "name", "when", "with")


def dump(profile: dict, header: list[str]) -> str:
    """The YAML text of ``profile``, with ``header`` as comment lines at the top."""
    from ruamel.yaml import YAML

    y = YAML(typ="rt", pure=True)
    y.width = 2**31 - 1  # never fold a long line: folding can lose runs of spaces
    y.indent(mapping=2, sequence=4, offset=2)
    doc = _node(_ordered(profile, ORDER), "")
    doc.yaml_set_start_comment("\n".join(printable(line) for line in header))
    buf = io.StringIO()
    y.dump(doc, buf)
    return buf.getvalue()


def _ordered(mapping: dict, order: tuple) -> dict:
    return {k: mapping[k] for k in sorted(mapping, key=lambda k: order.index(k) if k in order else len(order))}


def _node(value, ptr: str):
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        if ptr == "/parameters":
            value = {k: _ordered(v, PARAM_ORDER) for k, v in value.items()}
        elif ptr.startswith(("/customize/", "/distribute/", "/validate/inVMValidations/")) or ptr == "/source":
            value = _ordered(value, ITEM_ORDER)
        node = CommentedMap()
        for key, child in value.items():
            node[_text(key)] = _node(child, f"{ptr}/{key}")
            if isinstance(child, Text) and child.comment:
                _comment(node, key, child.comment)
        return node
    if isinstance(value, list):
        node = CommentedSeq()
        for i, child in enumerate(value):
            node.append(_node(child, f"{ptr}/{i}"))
            if isinstance(child, Text) and child.comment:
                _comment(node, i, child.comment)
        return node
    if isinstance(value, str):
        return _text(value)
    return value


def _text(value):
    """A string as YAML must be given it: double-quoted (with escapes) when it holds a character
    that is not printable, such as NEL or a line separator, which other styles would change."""
    if not isinstance(value, str):
        return value
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    return DoubleQuotedScalarString(value) if not all(c.isprintable() or c == " " for c in value) else str(value)


def _comment(node, key, text: str) -> None:
    """``text`` as a comment at the end of ``key``'s line, two spaces after the value."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    node._yaml_add_eol_comment([CommentToken(f" # {text}", CommentMark(0)), None], key=key)

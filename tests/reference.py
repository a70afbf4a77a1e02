"""The reference the compiled validator is compared with: jsonschema's Draft 2020-12 validator,
with ``pattern`` read as JSON Schema defines it (ECMA 262: a final ``$`` is the end of the
text). Python's ``re.search`` would also let a newline stand before ``$``, so jsonschema
itself accepts ``"abc\\n"`` for ``^[a-z]+$``; aibgen deliberately does not.
"""
from __future__ import annotations

from jsonschema import Draft202012Validator, ValidationError, validators

from aibgen.sources.keywords import ecma_pattern


def _pattern(validator, pattern, instance, schema):
    if validator.is_type(instance, "string") and not ecma_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


Reference = validators.extend(Draft202012Validator, {"pattern": _pattern})

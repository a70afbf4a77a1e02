"""AIB0xx (the document) and AIB1xx (schema): reported by the checker itself."""
from __future__ import annotations

from aibgen import resources
from aibgen.check.values import known_str
from aibgen.facts.resource_ids import TEMPLATE_NAME
from aibgen.report.text import printable
from aibgen.rules import DOCS, describe, rule

describe("AIB000", "error", "A rule failed while checking",
         """A rule failed while checking this template.

         This is a bug in aibgen or in an organisation rule, not in the template; the message
         names the rule. Other rules still ran. Please report it with the template.""")
describe("AIB001", "error", "The file is not valid JSON",
         """The file is not valid JSON.

         Image Builder templates are JSON. The message gives the line and column where parsing
         stopped; common causes are trailing commas, comments, and single quotes. aibgen still
         checks the rest of a file whose only problems are trailing commas or comments.""",
         fix="removes trailing commas, and comments from bare templates and properties objects (an ARM "
             "deployment template keeps its comments, which ARM reads)")
describe("AIB002", "error", "No Image Builder template in the document",
         """No Image Builder template was found.

         aibgen accepts the bare `Microsoft.VirtualMachineImages/imageTemplates` resource, an
         ARM deployment template with such resources in `resources` (also inside nested
         `Microsoft.Resources/deployments`), or the template's `properties` object alone
         (an object with `source` and `distribute`).""")
describe("AIB003", "error", "apiVersion is missing or unknown",
         f"""The apiVersion is missing or is not a stable Image Builder API version.

         The body is then checked against the nearest stable version. Stable versions:
         {", ".join(resources.api_versions())}.
         Pass --api-version to check against a given version. Docs: {DOCS}#api-version""")
describe("AIB004", "error", "Unfilled placeholder",
         """A value still holds a `<placeholder>` from an example.

         Examples in the documentation and quickstarts use placeholders such as `<region1>` or
         `<imgBuilderId>` meant to be replaced (often with sed) before use. Replace it with a
         real value, or use an ARM parameter. Checks that need the value skip it.""")
describe("AIB005", "error", "Retired preview apiVersion",
         """The apiVersion is a preview version the service no longer accepts.

         2018-02-01-preview, 2019-02-01-preview and 2019-05-01-preview are retired. Move to a
         stable version (2020-02-14 is the nearest; the newest is best): `aibgen upgrade FILE`
         rewrites the template for the newest one. The body is checked against 2020-02-14.""")
describe("AIB006", "error", "Duplicate key in a JSON object",
         """A JSON object has the same key twice.

         JSON parsers keep only the last value, silently, so the first is lost. Remove one.""",
         fix="keeps the last member, as JSON parsers read it, and removes the earlier ones")
describe("AIB007", "error", "Resource type is not imageTemplates",
         f"""The resource `type` must be `Microsoft.VirtualMachineImages/imageTemplates`.

         Docs: {DOCS}#type""")
describe("AIB008", "info", "apiVersion is an ARM expression",
         """The apiVersion is an ARM expression, known only at deployment.

         The body is checked against the newest stable version, or the one given with
         --api-version.""")
describe("AIB010", "info", "Comments in an ARM deployment template",
         """The ARM deployment template has `//` or `/* */` comments.

         Azure Resource Manager accepts comments in deployment templates, so the template
         deploys; plain JSON tools, and `az image builder create` for a bare resource, do not.
         Trailing commas are still AIB001. Everything else in the file was checked.""")
describe("AIB100", "error", "Schema violation",
         """The template breaks the schema of its apiVersion in a way no other AIB1xx rule names.""")
describe("AIB101", "error", "Unknown property",
         """A property the API does not have at any version.

         Unknown properties are dropped silently by some tools and rejected by others; a typo
         such as `customise` or `runOutputname` loses configuration. The message suggests the
         closest property name.""")
describe("AIB102", "error", "Property needs a newer apiVersion",
         """The property exists, but only from a later apiVersion than the template's.

         For example `validate` and `stagingResourceGroup` need 2022-02-14; `targetRegions`,
         `optimize` and File validators need 2022-07-01; `errorHandling` needs 2023-07-01;
         `autoRun` and `managedResourceTags` need 2024-02-01. Raise the apiVersion (`aibgen
         upgrade FILE --to VERSION` does it, with whatever else that version changed) or
         remove the property.""")
describe("AIB103", "warning", "Read-only property set; the service ignores it",
         """The property is set by the service (exactVersion, provisioningState, lastRunStatus,
         an identity's principalId, ...), and the value in the template is ignored.

         ARM treats a PUT's read-only properties as output only: the service drops the value
         and fills in its own (Bicep reports such assignments as warning BCP073, and the
         Azure SDKs do not send exactVersion, provisioningState or principalId). It does no
         harm, but it misleads a reader: `exactVersion` does not pin the source version (use
         `version`). Remove it; it usually comes from copying `az image builder show` output,
         as in Microsoft's own trigger quickstart, which carries `source.exactVersion`.""",
         fix="removes the read-only members (those the schema of the apiVersion marks readOnly)")
describe("AIB104", "error", "Missing required property",
         """A property the API requires is missing, e.g. `source`, `distribute`, a distributor's
         `runOutputName` or `type`. Add it.

         When the object has the property under a misspelt name (`imageVersionID`), only the
         AIB101 finding on the misspelling is reported: fixing it fixes both.""")
describe("AIB105", "error", "Wrong type",
         """A value has the wrong JSON type, e.g. a number written as text or `inline` as a
         string instead of a list of commands.""")
describe("AIB106", "error", "Value not allowed",
         """A value is not one of the values the API allows (the message lists them).""",
         fix="spells a source, customizer, validator or distributor type that differs from an allowed one "
             "only in case as the API does (sharedImage becomes SharedImage); other values are left")
describe("AIB107", "error", "Value out of range or badly formed",
         """A value is outside the documented range or does not match the documented format,
         e.g. a `runOutputName` with spaces or a `replicaCount` of 0. The message gives the
         range or format.

         `buildTimeoutInMinutes` and `osDiskSizeGB` out of range are reported by AIB510 and
         AIB512 instead, which say what the values mean.""")


@rule("AIB009", "error", "The template name is a valid image template name", "name")
def template_name(ctx):
    """The image template's `name` must be 1 to 64 letters, digits, `-`, `_` and `.`
    (`^[A-Za-z0-9-_.]{1,64}$`, the API's ImageTemplateNameParameter): the service refuses
    any other name when the template is created. ARM expressions are not judged."""
    name = known_str(ctx.resource.get("name"))
    if name is not None and not TEMPLATE_NAME.fullmatch(name):
        yield "/name", (f"name '{printable(name[:80])}' is not a valid image template name; use 1 to 64 "
                        "letters, digits, '-', '_' and '.'")

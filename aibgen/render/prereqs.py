"""What a build needs before it can run, added to the ARM template (``--with-prerequisites``).

The Image Builder documentation has users create these by hand; here they are resources of
the same deployment, each ``dependsOn``-ordered before the image template:

* a user-assigned identity, which becomes the template's identity;
* a custom role with exactly the actions the documentation lists for image creation, and
  its assignment to the identity on the resource group (where the gallery and managed
  images are);
* for a subnet, the networking role on its virtual network, and Contributor on a staging
  resource group the template names (nested deployments: see prereqs_scoped);
* when the template distributes to a gallery: the gallery and the image definition, whose
  ``hyperVGeneration``, ``osType``, ``osState: Generalized``, security type and
  architecture come from the profile's ``imageDefinition`` and, where it is silent, from
  the source; a source that cannot fit the definition is an error.

The role actions and the apiVersions of these resources are data (aibgen/data/
prerequisites.json) with the pages they come from.
"""
from __future__ import annotations

import json

from aibgen import resources
from aibgen.errors import ProfileError
from aibgen.facts import images
from aibgen.render.prereqs_scoped import scoped

_IDENTITY = "Microsoft.ManagedIdentity/userAssignedIdentities"
_ROLE = "Microsoft.Authorization/roleDefinitions"
_ASSIGNMENT = "Microsoft.Authorization/roleAssignments"
_GALLERY = "Microsoft.Compute/galleries"
_DEFINITION = "Microsoft.Compute/galleries/images"
_TRUSTED = ("TrustedLaunch", "TrustedLaunchSupported", "ConfidentialVM", "ConfidentialVMSupported",
            "TrustedLaunchAndConfidentialVmSupported")


def add(arm: dict, real: dict, image: dict | None, os_name: str | None, profile: str) -> dict:
    """``arm`` (from :func:`aibgen.render.arm.wrap`) with the prerequisites of the template
    ``real`` (the rendered bare template) added."""
    facts = resources.data("prerequisites")
    versions = facts["apiVersions"]
    [template] = arm["resources"]
    params, out = arm["parameters"], arm.setdefault("outputs", {})
    mine = _parameters(profile, bool(_gallery_targets(template)))
    params.update(mine)
    location = template.get("location") or "[resourceGroup().location]"
    identity_id = f"[resourceId('{_IDENTITY}', parameters('identityName'))]"
    role_id = f"[resourceId('{_ROLE}', {_ROLE_NAME[1:-1]})]"
    added = [
        {"type": _IDENTITY, "apiVersion": versions[_IDENTITY], "name": "[parameters('identityName')]",
         "location": location},
        {"type": _ROLE, "apiVersion": versions[_ROLE], "name": _ROLE_NAME,
         "properties": {"roleName": "[format('Image Builder image creation ({0})', parameters('identityName'))]",
                        "description": facts["imageCreationRole"]["description"], "type": "customRole",
                        "permissions": [{"actions": list(facts["imageCreationRole"]["actions"]), "notActions": []}],
                        "assignableScopes": ["[resourceGroup().id]"]}},
        {"type": _ASSIGNMENT, "apiVersion": versions[_ASSIGNMENT],
         "name": "[guid(resourceGroup().id, parameters('identityName'), 'image creation')]",
         "dependsOn": [identity_id, role_id],
         "properties": {"roleDefinitionId": role_id, "principalType": "ServicePrincipal",
                        "principalId": f"[reference({identity_id[1:-1]}, '{versions[_IDENTITY]}').principalId]"}},
    ]
    _replace_identity(template, params, identity_id)
    depends = [identity_id, f"[resourceId('{_ASSIGNMENT}', guid(resourceGroup().id, parameters('identityName'), "
                            "'image creation'))]"]
    if _gallery_targets(template):
        definition_id = f"[resourceId('{_DEFINITION}', parameters('galleryName'), parameters('imageDefinitionName'))]"
        added += _gallery(versions, _definition(real, image, os_name), location)
        _replace_gallery(template, params, definition_id)
        depends.append(definition_id)
        out["imageDefinitionId"] = {"type": "string", "value": definition_id}
    principal = f"[reference({identity_id[1:-1]}, '{versions[_IDENTITY]}').principalId]"
    nested = scoped(template, facts, principal, identity_id)
    added += nested
    depends += [f"[resourceId('Microsoft.Resources/deployments', {d['name'][1:-1]})]" for d in nested]
    template["dependsOn"] = depends
    for name in [n for n in params if n not in mine]:
        if f"parameters('{name}')" not in json.dumps([template, out]):  # it named what is now created
            del params[name]
    out["identityPrincipalId"] = {"type": "string",
                                  "value": f"[reference({identity_id[1:-1]}, '{versions[_IDENTITY]}').principalId]"}
    arm["resources"] = added + [template]
    return arm


_ROLE_NAME = "[guid(resourceGroup().id, parameters('identityName'), 'image creation role')]"


def _parameters(profile: str, gallery: bool) -> dict:
    def text(default: str, help_text: str) -> dict:
        return {"type": "string", "defaultValue": default, "metadata": {"description": help_text}}

    identity = {"identityName": text(f"{profile}-identity", "Name of the user-assigned identity the build runs as.")}
    if not gallery:
        return identity
    return {**identity, "galleryName": text("images", "Name of the Azure Compute Gallery (created when missing)."),
            "imageDefinitionName": text(profile, "Name of the gallery image definition (created when missing)."),
            "imagePublisher": text("contoso", "Publisher of the image definition's identifier."),
            "imageOffer": text(profile, "Offer of the image definition's identifier."),
            "imageSku": text("default", "Sku of the image definition's identifier.")}


def _replace_identity(template: dict, params: dict, identity_id: str) -> None:
    """The template runs as the new identity."""
    template["identity"] = {"type": "UserAssigned", "userAssignedIdentities": {identity_id: {}}}


def _gallery_targets(template: dict) -> list[dict]:
    """The SharedImage distributors whose image definition is a parameter (the one to create)."""
    return [d for d in (template.get("properties") or {}).get("distribute") or []
            if isinstance(d, dict) and d.get("type") == "SharedImage" and _parameter_of(d.get("galleryImageId"))]


def _replace_gallery(template: dict, params: dict, definition_id: str) -> None:
    for target in _gallery_targets(template):
        target["galleryImageId"] = definition_id


def _parameter_of(expression) -> str | None:
    if isinstance(expression, str) and expression.startswith("[parameters('") and expression.endswith("')]"):
        return expression[len("[parameters('"):-len("')]")]
    return None


def _definition(real: dict, image: dict | None, os_name: str | None) -> dict:
    """hyperVGeneration, securityType, architecture and osType of the image definition."""
    image = dict(image or {})
    source = (real.get("properties") or {}).get("source") or {}
    names = tuple(source.get(k) for k in ("publisher", "offer", "sku"))
    known = all(isinstance(n, str) for n in names) and source.get("type") == "PlatformImage"
    generation = images.generation(*names) if known else None
    arch = images.architecture(*names) if known else None
    os_type = os_name or images.source_os(source)
    if os_type is None:
        raise ProfileError("--with-prerequisites: aibgen cannot tell whether the image is Linux or Windows; set "
                           "'os:' in the profile")
    hyper_v = image.get("hyperVGeneration") or generation
    if hyper_v is None:
        raise ProfileError("--with-prerequisites: aibgen cannot tell the source's generation; set "
                           "imageDefinition.hyperVGeneration (V1 or V2) in the profile")
    out = {"hyperVGeneration": hyper_v, "architecture": image.get("architecture") or arch or "x64",
           "securityType": image.get("securityType") or ("TrustedLaunchSupported" if hyper_v == "V2" else "Standard"),
           "osType": "Windows" if os_type == "windows" else "Linux"}
    urn = ":".join(names) if known else "the source"
    if generation and generation != out["hyperVGeneration"]:
        raise ProfileError(f"--with-prerequisites: {urn} is a {generation} image, but the image definition would be "
                           f"{out['hyperVGeneration']}; set imageDefinition.hyperVGeneration to {generation}")
    if out["hyperVGeneration"] == "V1" and out["securityType"] in _TRUSTED:
        raise ProfileError(f"--with-prerequisites: a Generation 1 image ({urn}) cannot go into a "
                           f"{out['securityType']} image definition; use a Gen2 source or securityType Standard")
    if arch and arch != out["architecture"]:
        raise ProfileError(f"--with-prerequisites: {urn} is an {arch} image, but the image definition would be "
                           f"{out['architecture']}; set imageDefinition.architecture to {arch}")
    return out


def _gallery(versions: dict, definition: dict, location: str) -> list[dict]:
    props = {"osType": definition["osType"], "osState": "Generalized",
             "hyperVGeneration": definition["hyperVGeneration"], "architecture": definition["architecture"],
             "identifier": {"publisher": "[parameters('imagePublisher')]", "offer": "[parameters('imageOffer')]",
                            "sku": "[parameters('imageSku')]"}}
    if definition["securityType"] != "Standard":
        props["features"] = [{"name": "SecurityType", "value": definition["securityType"]}]
    return [{"type": _GALLERY, "apiVersion": versions[_GALLERY], "name": "[parameters('galleryName')]",
             "location": location},
            {"type": _DEFINITION, "apiVersion": versions[_DEFINITION],
             "name": "[format('{0}/{1}', parameters('galleryName'), parameters('imageDefinitionName'))]",
             "location": location, "dependsOn": [f"[resourceId('{_GALLERY}', parameters('galleryName'))]"],
             "properties": props}]

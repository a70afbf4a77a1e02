"""Role assignments a build needs outside the deployment's resource group (``--with-prerequisites``).

The build VM's subnet and the staging resource group may live in other resource groups, so
their assignments go in nested deployments into those groups: on the virtual network, a
custom role with the networking actions the Image Builder documentation lists; on the
staging resource group, Contributor. Each is ``dependsOn`` the identity, and the image
template depends on them.
"""
from __future__ import annotations

from aibgen.render.armdoc import expression_body

_DEPLOYMENT = "Microsoft.Resources/deployments"


def scoped(template: dict, facts: dict, principal: str, identity_id: str) -> list[dict]:
    """The nested deployments for the template's subnets and staging resource group."""
    versions = facts["apiVersions"]
    props = template.get("properties") or {}
    vnet = (props.get("vmProfile") or {}).get("vnetConfig") or {}
    out = []
    subnets = [expression_body(_network_of(vnet.get(k))) for k in ("subnetId", "containerInstanceSubnetId")]
    subnets = [s for i, s in enumerate(subnets) if s and s not in subnets[:i]]  # one per virtual network
    for n, subnet in enumerate(subnets):
        out.append(_deployment(f"aib-network-{n}", subnet, versions, identity_id, principal, {
            "vnetName": f"[split({subnet}, '/')[8]]"}, _network_template(facts, versions)))
    staging = expression_body(props.get("stagingResourceGroup"))
    if staging:
        out.append(_deployment("aib-staging", staging, versions, identity_id, principal, {},
                               _staging_template(facts, versions)))
    return out


def _network_of(subnet):
    """A literal subnet id as its virtual network's id (two subnets of one network share a role)."""
    if isinstance(subnet, str) and not subnet.startswith("[") and "/subnets/" in subnet.lower():
        return subnet[: subnet.lower().rindex("/subnets/")]
    return subnet


def _deployment(name: str, resource_id: str, versions: dict, identity_id: str, principal: str, extra: dict,
                template: dict) -> dict:
    values = dict({"principalId": principal}, **extra)
    return {"type": _DEPLOYMENT, "apiVersion": versions[_DEPLOYMENT],
            "name": f"[format('{name}-{{0}}', uniqueString(resourceGroup().id))]",
            "subscriptionId": f"[split({resource_id}, '/')[2]]",
            "resourceGroup": f"[split({resource_id}, '/')[4]]",
            "dependsOn": [identity_id],
            "properties": {"mode": "Incremental", "expressionEvaluationOptions": {"scope": "inner"},
                           "parameters": {k: {"value": v} for k, v in values.items()}, "template": template}}


def _network_template(facts: dict, versions: dict) -> dict:
    role = facts["networkingRole"]
    role_name = "guid(resourceGroup().id, parameters('principalId'), 'image builder networking role')"
    vnet = "resourceId('Microsoft.Network/virtualNetworks', parameters('vnetName'))"
    return _inner_template({"vnetName": {"type": "string"}}, [
        {"type": "Microsoft.Authorization/roleDefinitions", "apiVersion": versions["Microsoft.Authorization/roleDefinitions"],
         "name": f"[{role_name}]",
         "properties": {"roleName": "[format('Image Builder networking ({0})', parameters('principalId'))]",
                        "description": role["description"], "type": "customRole",
                        "permissions": [{"actions": list(role["actions"]), "notActions": []}],
                        "assignableScopes": ["[resourceGroup().id]"]}},
        {"type": "Microsoft.Authorization/roleAssignments",
         "apiVersion": versions["Microsoft.Authorization/roleAssignments"], "scope": f"[{vnet}]",
         "name": "[guid(resourceGroup().id, parameters('vnetName'), parameters('principalId'), 'networking')]",
         "dependsOn": [f"[resourceId('Microsoft.Authorization/roleDefinitions', {role_name})]"],
         "properties": {"roleDefinitionId": f"[resourceId('Microsoft.Authorization/roleDefinitions', {role_name})]",
                        "principalId": "[parameters('principalId')]", "principalType": "ServicePrincipal"}}])


def _staging_template(facts: dict, versions: dict) -> dict:
    role = facts["stagingRole"]["roleDefinitionId"]
    return _inner_template({}, [
        {"type": "Microsoft.Authorization/roleAssignments",
         "apiVersion": versions["Microsoft.Authorization/roleAssignments"],
         "name": "[guid(resourceGroup().id, parameters('principalId'), 'staging contributor')]",
         "properties": {"roleDefinitionId": f"[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', "
                                            f"'{role}')]",
                        "principalId": "[parameters('principalId')]", "principalType": "ServicePrincipal"}}])


def _inner_template(params: dict, resources: list) -> dict:
    return {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            "contentVersion": "1.0.0.0", "parameters": dict({"principalId": {"type": "string"}}, **params),
            "resources": resources}

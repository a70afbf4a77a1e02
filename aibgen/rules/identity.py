"""AIB5xx (part): identity, location and networking."""
from __future__ import annotations

from aibgen.facts import resource_ids
from aibgen.rules import rule
from aibgen.sources.pointers import escape
from aibgen.check.values import is_unknown, known_str
from aibgen.sources.schemaerrors import quote


@rule("AIB501", "error", "Exactly one user-assigned identity", "user-assigned-identity-for-azure-image-builder-image-template-resource")
def one_identity(ctx):
    """Image Builder needs `identity.type: UserAssigned` with exactly one identity in
    `userAssignedIdentities`; it uses it to read sources and scripts and write images.
    The service supports a single identity only."""
    ident = ctx.resource.get("identity")
    if not isinstance(ident, dict) or is_unknown(ident):
        return
    if ident.get("type") not in (None, "UserAssigned") and not is_unknown(ident.get("type")):
        yield "/identity/type", f"identity type '{ident.get('type')}' cannot be used; Image Builder needs UserAssigned"
    elif "type" not in ident:
        yield "/identity", "identity has no type; set \"type\": \"UserAssigned\""
    ids = ident.get("userAssignedIdentities")
    if isinstance(ids, dict) and len(ids) != 1:
        yield "/identity/userAssignedIdentities", f"{len(ids)} identities given; Image Builder supports exactly one"
    elif ids is None and ident.get("type") == "UserAssigned":
        yield "/identity", "UserAssigned identity without userAssignedIdentities; add the identity's resource id"


@rule("AIB502", "error", "Identity ids are user-assigned identity resource ids", "user-assigned-identity-for-azure-image-builder-image-template-resource")
def identity_ids(ctx):
    """The keys of `identity.userAssignedIdentities` and the entries of
    `vmProfile.userAssignedIdentities` are resource ids of the form
    `/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>`."""
    ident = ctx.resource.get("identity")
    ids = ident.get("userAssignedIdentities") if isinstance(ident, dict) else None
    for key in ids if isinstance(ids, dict) else ():
        if not is_unknown(key) and not resource_ids.is_resource_id("userAssignedIdentity", key):
            yield "/identity/userAssignedIdentities/" + escape(key), _bad_id("identity", key)
    vm = ctx.props.get("vmProfile")
    build_ids = vm.get("userAssignedIdentities") if isinstance(vm, dict) else None
    for i, value in enumerate(build_ids if isinstance(build_ids, list) else []):
        if isinstance(value, str) and not is_unknown(value) and not resource_ids.is_resource_id("userAssignedIdentity", value):
            yield f"/properties/vmProfile/userAssignedIdentities/{i}", _bad_id("build VM identity", value)


def _bad_id(what: str, value: str) -> str:
    return f"{what} {quote(value)} is not a user-assigned identity id; expected {resource_ids.resource_id_form('userAssignedIdentity')}"


@rule("AIB504", "error", "stagingResourceGroup is a resource group id", "properties-stagingresourcegroup")
def staging_group(ctx):
    """`stagingResourceGroup` is the id of a resource group in the template's subscription:
    `/subscriptions/<guid>/resourceGroups/<name>`. It must be empty (or not exist yet) and
    be in the template's region."""
    value = known_str(ctx.props.get("stagingResourceGroup"))
    if value and not resource_ids.is_resource_id("resourceGroup", value):
        yield "/properties/stagingResourceGroup", (f"stagingResourceGroup {quote(value)} is not a resource group id; "
                                                   f"expected {resource_ids.resource_id_form('resourceGroup')}")


@rule("AIB505", "error", "vnetConfig subnets are subnet ids, proxyVmSize fits", "vnetconfig-optional")
def vnet_config(ctx):
    """`vnetConfig.subnetId` (and `containerInstanceSubnetId`) are subnet resource ids
    (`.../providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>`).
    `containerInstanceSubnetId` needs `subnetId`, and `proxyVmSize` must not be given with
    `containerInstanceSubnetId` (no proxy VM is deployed then)."""
    vm = ctx.props.get("vmProfile")
    vnet = vm.get("vnetConfig") if isinstance(vm, dict) else None
    if not isinstance(vnet, dict):
        return
    base = "/properties/vmProfile/vnetConfig"
    for key in ("subnetId", "containerInstanceSubnetId"):
        value = known_str(vnet.get(key))
        if value and not resource_ids.is_resource_id("subnet", value):
            yield f"{base}/{key}", f"{key} {quote(value)} is not a subnet id; expected {resource_ids.resource_id_form('subnet')}"
    if "containerInstanceSubnetId" in vnet and "subnetId" not in vnet:
        yield base, "containerInstanceSubnetId needs subnetId on the same virtual network"
    if "containerInstanceSubnetId" in vnet and vnet.get("proxyVmSize"):
        yield f"{base}/proxyVmSize", "proxyVmSize cannot be used with containerInstanceSubnetId (no proxy VM is deployed)"


@rule("AIB506", "error", "containerInstanceSubnetId is another subnet of subnetId's virtual network", "vnetconfig-optional")
def container_subnet(ctx):
    """For an isolated build in your network, `vnetConfig.containerInstanceSubnetId` is the
    subnet Azure Container Instances are deployed to. The API requires it to be on the same
    virtual network as `subnetId` (the build VM's subnet), and it must be a different subnet,
    one delegated to `Microsoft.ContainerInstance/containerGroups`. Give a second subnet of
    the build VM's virtual network. Resource ids compare case-insensitively; ARM expressions
    are not judged."""
    vm = ctx.props.get("vmProfile")
    vnet = vm.get("vnetConfig") if isinstance(vm, dict) else None
    if not isinstance(vnet, dict):
        return
    build, aci = known_str(vnet.get("subnetId")), known_str(vnet.get("containerInstanceSubnetId"))
    if not (build and aci and resource_ids.is_resource_id("subnet", build) and resource_ids.is_resource_id("subnet", aci)):
        return
    where = "/properties/vmProfile/vnetConfig/containerInstanceSubnetId"
    if aci.lower() == build.lower():
        yield where, "containerInstanceSubnetId is subnetId itself; give another subnet of the same virtual network, delegated to container instances"
    elif _network(aci) != _network(build):
        yield where, (f"containerInstanceSubnetId is on virtual network {quote(_network(aci, False))}, not on subnetId's "
                      f"{quote(_network(build, False))}; give a subnet of the build VM's virtual network")


def _network(subnet_id: str, fold: bool = True) -> str:
    """The virtual network id of a subnet id (lower case unless ``fold`` is False)."""
    at = subnet_id.lower().rfind("/subnets/")
    return subnet_id[:at].lower() if fold else subnet_id[:at]

"""Regions in a template: AIB503 (where the build runs), AIB405 (where images go),
AIB520 (values that cannot be region names) and AIB521 (sovereign-cloud previews).

Regions come and go faster than a linter is released: a plausible name aibgen does not
know is a warning, and only a value that cannot be a region name at all is an error. The
facts and their sources are in ``aibgen/data/regions.json``.
"""
from __future__ import annotations

from aibgen.check.values import known_str
from aibgen.facts import regions
from aibgen.rules import rule


@rule("AIB503", "warning", "location is a region where Image Builder runs", "location")
def service_region(ctx):
    """The template's `location` must be a region where the VM Image Builder service runs
    (`aibgen catalog regions` lists those aibgen knows; display names such as "West US 2"
    are accepted). Images can still be distributed to other regions. A warning, because the
    service reaches new regions before aibgen's list does: check the Location section of
    the Image Builder template documentation if the region is new."""
    where = known_str(ctx.resource.get("location"))
    if where is not None and regions.plausible(where) and regions.region_name(where) is None:
        yield "/location", (f"'{where}' is not a region where aibgen knows Image Builder runs"
                            f"{regions.region_hint(where)}; see 'aibgen catalog regions'")


@rule("AIB405", "warning", "Distribution regions are Azure region names", "distribute-targetregions")
def distribution_regions(ctx):
    """Regions in `replicationRegions`, `targetRegions[].name` and a ManagedImage `location`
    must be Azure regions (for example `eastus` or `West Europe`); a misspelt region fails
    replication late in the build. Warning only, because new regions appear before aibgen
    knows them."""
    for ptr, name in ctx.regions():
        if ptr != "/location" and regions.plausible(name) and regions.azure_region_name(name) is None:
            yield ptr, f"'{name}' is not an Azure region aibgen knows{regions.region_hint(name, any_azure=True)}"


@rule("AIB520", "error", "Region values are region names", "location")
def region_syntax(ctx):
    """A region is written as its programmatic name (`westus2`) or its display name
    (`West US 2`): letters and digits, display names with single spaces. Anything else
    (`west-us-2`, `westus2;`, a URL) cannot be a region and fails the deployment."""
    for ptr, name in ctx.regions():
        if not regions.plausible(name):
            yield ptr, f"'{name[:60]}' cannot be a region name; write e.g. westus2 or 'West US 2'"


@rule("AIB521", "info", "Image Builder in a US Government or China region needs a preview feature", "location")
def sovereign_region(ctx):
    """Image Builder runs in USGov Arizona, USGov Virginia (Azure Government) and China
    North 3 (Azure China) as a public preview: register the feature named in the message
    once per subscription (`az feature register --namespace Microsoft.VirtualMachineImages
    --name FairfaxPublicPreview` or `MooncakePublicPreview`) before the first build."""
    where = known_str(ctx.resource.get("location"))
    entry = regions.feature_needed(where) if where else None
    if entry is not None:
        feature = entry["feature"].rsplit("/", 1)[-1]
        yield "/location", (f"Image Builder in {entry['display']} ({entry['cloud']}) is a preview: register it "
                            f"once with az feature register --namespace Microsoft.VirtualMachineImages --name {feature}")

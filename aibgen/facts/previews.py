"""What the retired preview apiVersions of Image Builder had that the first stable one changed.

aibgen bundles schemas of the stable versions only; the previews are known from their
swagger files (and Bicep's types generated from them), which differ from 2020-02-14 in
these ways only:

* 2018-02-01-preview and 2019-02-01-preview named a customizer's script ``script``;
  2019-05-01-preview and every stable version call it ``scriptUri``.
* 2018-02-01-preview spelt type names in lower camel case (``shell``, ``managedImage``,
  ``sharedImage``); the type names themselves are the same.
* ``identity`` did not exist before 2019-05-01-preview and was optional there; from
  2020-02-14 every template needs a user-assigned identity.
* The ``ISO`` source (Red Hat ISO images) ended with the previews; no stable version has
  it, nor anything that means the same.

Sources:
https://github.com/Azure/azure-rest-api-specs/tree/main/specification/imagebuilder/resource-manager/Microsoft.VirtualMachineImages/preview
https://github.com/Azure/bicep-types-az/tree/main/generated/imagebuilder/microsoft.virtualmachineimages
https://learn.microsoft.com/azure/virtual-machines/image-builder-api-update-release-notes
"""
from __future__ import annotations

#: preview -> the customizer types whose keys it named differently: {type: {old key: new key}}
RENAMED_KEYS: dict[str, dict[str, dict[str, str]]] = {
    "2018-02-01-preview": {"Shell": {"script": "scriptUri"}},
    "2019-02-01-preview": {"Shell": {"script": "scriptUri"}, "PowerShell": {"script": "scriptUri"}},
}
#: the first version that requires ``identity``
IDENTITY_REQUIRED = "2020-02-14"
#: source types no stable version has -> what to use instead
RETIRED_SOURCES = {"iso": "use the Red Hat image from Azure Marketplace (a PlatformImage source, "
                          "publisher RedHat) or a managed image made from the ISO"}

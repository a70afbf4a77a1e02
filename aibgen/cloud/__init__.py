"""Azure operations through the official SDK (extra ``aibgen[azure]``).

Imported only by the cloud commands of the CLI (``aibgen/cli/cloud*.py``), so no other
command loads the SDK. :mod:`~aibgen.cloud.connect` builds the client (credential,
subscription, cloud, endpoint), :mod:`~aibgen.cloud.failures` turns Azure's errors into
one-line :class:`~aibgen.errors.AibgenError` messages, :mod:`~aibgen.cloud.templates`
holds the imageTemplates operations, :mod:`~aibgen.cloud.compare` the semantic diff of a
local and a deployed template, and :mod:`~aibgen.cloud.progress` the wait for a build.
"""

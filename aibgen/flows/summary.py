"""One-line summaries of a template's source image and distribution targets, for catalog docs.

From the rendered template where there is one (the example values filled in), else from
the profile's items (the partial each one uses).
"""
from __future__ import annotations

_COMPUTE = "/providers/microsoft.compute/"


def source(doc: dict | None, data: dict) -> str:
    """The source image: a Marketplace URN, or the gallery or managed image it starts from."""
    src = ((doc or {}).get("properties") or {}).get("source")
    if isinstance(src, dict):
        if src.get("type") == "PlatformImage":
            return ":".join(str(src.get(k, "")) for k in ("publisher", "offer", "sku", "version"))
        ident = src.get("imageVersionId") or src.get("imageId")
        return f"{src.get('type')} {short_id(ident)}" if ident else str(src.get("type", ""))
    item = data.get("source")
    return f"{item.get('use', '')} partial" if isinstance(item, dict) else ""


def distribution(doc: dict | None, data: dict) -> list[str]:
    """Each distribution target: its type, the image it writes and where it replicates."""
    targets = ((doc or {}).get("properties") or {}).get("distribute")
    if isinstance(targets, list):
        return [_target(t) for t in targets if isinstance(t, dict)]
    items = data.get("distribute")
    return [f"{i.get('use', '')} partial" for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _target(target: dict) -> str:
    kind = str(target.get("type", ""))
    ident = target.get("galleryImageId") or target.get("imageId")
    text = f"{kind} {short_id(ident)}" if ident else kind
    regions = [r.get("name") if isinstance(r, dict) else r for r in target.get("targetRegions") or []]
    regions = regions or list(target.get("replicationRegions") or [])
    if target.get("location"):
        regions = [target["location"]]
    return f"{text} ({', '.join(map(str, regions))})" if regions else text


def short_id(ident: object) -> str:
    """A Compute resource id from its type on (``galleries/g/images/i``); anything else as it is."""
    text = str(ident)
    at = text.lower().find(_COMPUTE)
    return text[at + len(_COMPUTE):] if at >= 0 else text

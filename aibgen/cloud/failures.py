"""Azure's errors as one-line messages: the operation, the resource id, what Azure said, the request id.

Retries are the SDK's (its retry policy honours ``Retry-After`` on 429 and retries transient
5xx); what reaches this module has already been retried and is reported as it is.
"""
from __future__ import annotations

import re
from contextlib import contextmanager

from aibgen.errors import AibgenError

NO_CREDENTIAL = ("no Azure credentials: run 'az login', or set AZURE_CLIENT_ID, AZURE_TENANT_ID and "
                 "AZURE_CLIENT_SECRET (or use a managed identity)")
HINTS = {
    401: "the credential was refused; run 'az login' again",
    403: "your identity lacks a role on this resource; ask for Contributor (or a role with "
         "Microsoft.VirtualMachineImages/imageTemplates/*) on the resource group",
    429: "Azure is throttling requests; try again in a few minutes",
    500: "Azure failed and the retries did not help; try again later",
    502: "Azure failed and the retries did not help; try again later",
    503: "Azure is unavailable and the retries did not help; try again later",
    504: "Azure did not answer in time and the retries did not help; try again later",
}
QUOTA = ("a quota is used up: ask for more (Azure portal, Quotas) for this region and VM family, "
         "or choose another vmSize or region")


class CloudError(AibgenError):
    """Azure refused or failed an operation."""


class NotFound(CloudError):
    """Azure answered 404: ``code`` says what is missing (ResourceNotFound, ResourceGroupNotFound, ...)."""

    def __init__(self, message: str, code: str = "", request_id: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.request_id = request_id


@contextmanager
def calling(operation: str, resource_id: str):
    """Turn the SDK's exceptions raised inside the block into :class:`CloudError` lines."""
    from azure.core import exceptions as ex

    try:
        yield
    except ex.ClientAuthenticationError as err:
        if getattr(err, "response", None) is None:
            raise CloudError(f"{NO_CREDENTIAL} ({_tried(err.message)})") from None
        raise CloudError(describe(operation, resource_id, err)) from None
    except ex.DecodeError as err:
        found = _request_id(err)
        raise CloudError(f"{operation} {resource_id}: Azure's reply cannot be read (not JSON)"
                         + (f" (request id {found})" if found else "")) from None
    except ex.ResourceNotFoundError as err:
        raise NotFound(describe(operation, resource_id, err), _code_and_message(err)[0], _request_id(err)) from None
    except ex.HttpResponseError as err:
        raise CloudError(describe(operation, resource_id, err)) from None
    except ex.ServiceRequestError as err:
        raise CloudError(f"{operation} {resource_id}: cannot reach Azure Resource Manager: "
                         f"{_first_line(str(err))}") from None
    except ex.AzureError as err:
        raise CloudError(f"{operation} {resource_id}: {_first_line(str(err))}") from None
    except (ValueError, TypeError, KeyError, AttributeError) as err:  # the SDK could not read Azure's reply
        raise CloudError(f"{operation} {resource_id}: Azure's reply cannot be read ({type(err).__name__}: "
                         f"{_first_line(str(err))[:200]})") from err  # --debug shows where


def describe(operation: str, resource_id: str, err) -> str:
    """``PUT <id>: 409 Conflict: <Azure's message> (request id ...)`` for an HTTP error."""
    response = getattr(err, "response", None)
    status = getattr(response, "status_code", None) or getattr(err, "status_code", None)
    code, message = _code_and_message(err)
    request_id = _request_id(err)
    label = status if status and status >= 400 else "failed"  # a long-running operation that ended Failed
    parts = [f"{operation} {resource_id}: {label}"]
    parts.append(f" {code}: {message}" if code else f" {message}")
    hint = QUOTA if "quota" in f"{code} {message}".lower() else HINTS.get(status)
    wait = (getattr(response, "headers", None) or {}).get("Retry-After")
    if status == 429 and wait and str(wait).isdigit():
        hint = f"Azure is throttling requests and asks to wait {wait} s; try again then"
    if hint:
        parts.append(f"; {hint}")
    if request_id:
        parts.append(f" (request id {request_id})")
    return "".join(parts)


def _request_id(err) -> str:
    headers = getattr(getattr(err, "response", None), "headers", None) or {}
    return str(headers.get("x-ms-request-id") or headers.get("x-ms-correlation-request-id") or "")


def _code_and_message(err) -> tuple[str, str]:
    odata = getattr(err, "error", None)
    code = getattr(odata, "code", None) or ""
    message = getattr(odata, "message", None) or getattr(err, "reason", None) or str(err)
    return str(code), _first_line(str(message))


def _tried(text: str) -> str:
    """What the credential chain tried, from the SDK's message (without its troubleshooting link)."""
    text = _first_line(text.split("To mitigate")[0])
    return text.split("Attempted credentials:")[-1].strip().rstrip(".") or "no credential worked"


def _first_line(text: str) -> str:
    """Azure's text on one line: whitespace runs folded, at most 400 characters."""
    text = re.sub(r"\s+", " ", text or "").strip()
    return text if len(text) <= 400 else text[:399] + "…"

"""How a caller writes the place a change reaches: the client method, and the parameter or
response path in Python (`client.put_asset(Forms=[{'FormTypeId': ...}])`,
`client.get_asset(...)['Forms'][0]['FormTypeId']`), from a Reach's operation and member path.
"""

from __future__ import annotations

import re

from botocore import xform_name

from apidiff.diff import Reach
from apidiff.model import Position

# A member path's steps: a member name, `[]` (a list's items), `{}` (a map's values) or
# `{key}` (a map's keys).
_STEPS = re.compile(r"\[\]|\{key\}|\{\}|[^.\[{]+")


def path_steps(path: str) -> list[str]:
    """`Forms[].FormTypeId` as ["Forms", "[]", "FormTypeId"]."""
    return _STEPS.findall(path)


def method_call(operation: str, arguments: str = "...") -> str:
    """`client.put_asset(...)`: the client method of an api method."""
    return f"client.{xform_name(operation)}({arguments})"


def request_expression(operation: str, path: str) -> str:
    """The call that passes the parameter at `path`: `client.put_asset(Forms=[{'Id': ...}])`."""
    steps = path_steps(path)
    if not steps:
        return method_call(operation)
    value = "..."
    for step in reversed(steps[1:]):
        if step == "[]":
            value = f"[{value}]"
        elif step == "{}":
            value = f"{{'...': {value}}}"
        elif step == "{key}":
            value = "{...: ...}"
        else:
            value = f"{{{step!r}: {value}}}"
    return method_call(operation, f"{steps[0]}={value}")


def response_expression(operation: str, path: str, *, error: str | None = None) -> str:
    """How code reads the value at `path` of a response, `client.get_asset(...)['Forms'][0]`,
    or of an error the call raises, `e.response['Reason']` (after `except
    client.exceptions.<error> as e`)."""
    subscripts = ""
    for step in path_steps(path):
        if step == "[]":
            subscripts += "[0]"
        elif step == "{}":
            subscripts += "['...']"
        elif step == "{key}":
            subscripts += ".keys()"
        else:
            subscripts += f"[{step!r}]"
    if error is not None:
        return f"client.exceptions.{error} e.response{subscripts}"
    return method_call(operation) + subscripts


def reach_expression(reach: Reach, *, error: str | None = None) -> str:
    """A reach as the caller's code meets it: a call, a parameter or a response value."""
    if reach.position is Position.REQUEST:
        return request_expression(reach.operation, reach.path)
    if reach.position is Position.OPERATION:
        return method_call(reach.operation)
    if reach.position is Position.ERROR:
        return response_expression(reach.operation, reach.path, error=error or "<error>")
    return response_expression(reach.operation, reach.path)

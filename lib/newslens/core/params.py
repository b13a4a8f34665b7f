"""Parameters given on the command line as text: parse NAME VALUE pairs into Python values."""
from __future__ import annotations

import json

from newslens.core.errors import ParameterError


def parse_value(text: str):
    """JSON when it parses (numbers, true/false, lists), otherwise the plain string."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def parse_param_pairs(pairs: list[list[str]] | None) -> dict:
    params = {}
    for name, value in pairs or []:
        if not name.isidentifier():
            raise ParameterError(f"parameter name '{name}' is not a valid name")
        params[name] = parse_value(value)
    return params

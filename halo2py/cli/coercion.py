"""Command-line values converted without Pydantic, so a command starts 0.1 s sooner.

Typer ≥ 0.2x converts every option through a Pydantic ``TypeAdapter``: importing Pydantic and
building one adapter per option of the command costs about a tenth of a second on every run, more
than parsing the whole command line should. halo2py's options are plain ``str``, ``int``,
``float``, ``bool``, ``Path`` and lists of ``str``; for those, the values a user normally types (a decimal
integer, a decimal number, a path, a name) are converted here the way Typer would convert them.
Anything else — a value these rules do not cover (``1e3``, ``0x10``, `` 7 ``), an annotation of
another kind, a Typer without the hook — goes to Typer's own conversion, so every accepted value
and every error message stays Typer's (tests/test_cli_surface.py checks both against it).
"""

from __future__ import annotations

import re
from pathlib import Path

_TYPER = object()  # a converter's answer for "not a plain value: ask Typer"
_INT = re.compile(r"-?[0-9]{1,30}")
_FLOAT = re.compile(r"-?[0-9]{1,30}(\.[0-9]{0,30})?")


def _plain_int(value):
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _INT.fullmatch(value):
        return int(value)
    return _TYPER


def _plain_float(value):
    if isinstance(value, float):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str) and _FLOAT.fullmatch(value):
        return float(value)
    return _TYPER


def _plain_str(value):
    return value if isinstance(value, str) else _TYPER


def _plain_bool(value):
    return value if isinstance(value, bool) else _TYPER  # a flag: click hands over a bool or None


def _plain_str_list(value):
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return list(value)
    return _TYPER


_PLAIN = {int: _plain_int, float: _plain_float, str: _plain_str, bool: _plain_bool, list[str]: _plain_str_list}


class PlainCoercion:
    """Stands in for Typer's runtime conversion of one parameter (the ``_runtime_param`` whose
    ``coerce`` Typer's ``process_value`` calls): plain values are converted here, the rest by the
    Typer conversion it replaces, built only when first needed."""

    def __init__(self, param, convert):
        self.param = param
        self.convert = convert
        self.typer = None

    def coerce(self, value, param, ctx):
        if value is None:  # an option not given and without a default: Typer's rule, no conversion
            return () if param.multiple or param.nargs == -1 else None
        plain = self.convert(value, param, ctx)
        return self._typer().coerce(value, param=param, ctx=ctx) if plain is _TYPER else plain

    def _typer(self):
        if self.typer is None:
            from typer._coercion import build_runtime_param

            self.typer = build_runtime_param(self.param.type_descriptor)
        return self.typer


def _converter(param):
    """The plain conversion for ``param``'s annotation, or None to leave it to Typer."""
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None or descriptor.is_file or descriptor.is_choice or descriptor.is_ranged:
        return None
    info = descriptor.parameter_info
    if getattr(info, "parser", None) is not None or getattr(info, "click_type", None) is not None:
        return None
    annotation = descriptor.annotation
    if annotation is Path and getattr(info, "path_type", None) is None:
        return _path_converter(info)
    try:
        plain = _PLAIN.get(annotation)
    except TypeError:  # an unhashable annotation
        return None
    if plain is None and getattr(annotation, "__origin__", None) is list and annotation.__args__ == (str,):
        plain = _plain_str_list  # typing.List[str]
    return (lambda value, param, ctx: plain(value)) if plain is not None else None


def _path_converter(info):
    try:
        from typer._param_types import coerce_cli_path
    except ImportError:
        return None

    def convert(value, param, ctx):
        if isinstance(value, str):
            value = Path(value)  # what Typer's Path adapter makes of a string
        if not isinstance(value, Path):
            return _TYPER
        return coerce_cli_path(value, info, path_type=Path, param=param, ctx=ctx)  # exists/readable/… checks

    return convert


def install(params) -> None:
    """Give each of a command's parameters the plain conversion, where Typer has the hook and the
    annotation is one of the plain kinds; leave the others as Typer made them."""
    for param in params:
        if getattr(param, "_runtime_param", False) is not None:
            continue  # not a Typer parameter, or already converted once
        convert = _converter(param)
        if convert is not None:
            param._runtime_param = PlainCoercion(param, convert)

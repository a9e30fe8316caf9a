"""One way to find plugins — quotient strategies and circuits alike.

A plugin is a class of a known base found by one of three routes, with the same rules and the
same one-line errors for both kinds:

1. **built-in**: every module of the kind's package (``halo2py.strategies``, ``halo2py.circuits``,
   installed from the top-level ``strategies/`` and ``circuits/`` folders) is scanned, so a new
   built-in is one new file — no ``pyproject.toml`` entry, no reinstall, no list to edit;
2. **entry point** of the kind's group (``halo2py.strategies``, ``halo2py.circuits``), which is how
   a third-party package adds its own;
3. **a file**: ``path/to/file.py`` or ``path/to/file.py:ClassName`` (a spec is a path exactly when
   the part before ``:`` ends in ``.py``). A file's module is registered in ``sys.modules`` under
   a name derived from its resolved path, so pickling and dataclasses inside it work.

A plugin's registry name is the class's ``registry_name()``; a built-in and an entry point with
the same name are a conflict reported at lookup, never resolved silently.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import inspect
import pkgutil
import sys
import traceback
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path

from halo2py.errors import InputError


class PluginError(InputError):
    """A plugin that cannot be found or loaded, or that is not of the expected kind."""


@dataclass(frozen=True)
class PluginKind:
    """What differs between strategies and circuits: the base class, where built-ins live, the
    entry-point group, and the word used in messages."""

    noun: str            # "strategy", "circuit"
    base: type
    package: str         # built-in package, e.g. "halo2py.strategies"
    group: str           # entry-point group

    def validate(self, cls, origin: str) -> type:
        if not (inspect.isclass(cls) and issubclass(cls, self.base) and cls is not self.base):
            raise PluginError(f"{origin} is not a {self.base.__name__} subclass")
        if inspect.isabstract(cls):
            missing = ", ".join(sorted(cls.__abstractmethods__))
            raise PluginError(f"{self.noun} {origin} does not implement: {missing}")
        check = getattr(cls, "check_plugin", None)
        if check is not None:
            problem = check()
            if problem:
                raise PluginError(f"{self.noun} {origin}: {problem}")
        return cls


def describe(exc: BaseException) -> str:
    """``Type: message (file:line)`` of the innermost frame — enough to find a plugin's bug."""
    where = ""
    tb = traceback.extract_tb(exc.__traceback__)
    if tb:
        where = f" ({Path(tb[-1].filename).name}:{tb[-1].lineno})"
    if isinstance(exc, SyntaxError) and exc.filename:
        where = f" ({Path(exc.filename).name}:{exc.lineno})"
    message = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {message}{where}" if message else f"{type(exc).__name__}{where}"


def is_path(spec: str) -> bool:
    return spec.partition(":")[0].endswith(".py")


def _classes_of(kind: PluginKind, module) -> list:
    return [obj for obj in vars(module).values()
            if inspect.isclass(obj) and issubclass(obj, kind.base) and obj is not kind.base
            and obj.__module__ == module.__name__ and not inspect.isabstract(obj)]


def builtins(kind: PluginKind) -> dict:
    """Registry name → class of every built-in plugin (one import per module of the package)."""
    package = importlib.import_module(kind.package)
    found = {}
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_"):
            continue
        try:
            module = importlib.import_module(f"{kind.package}.{info.name}")
        except Exception as exc:  # a broken built-in is reported by name, the others still load
            raise PluginError(f"cannot import built-in {kind.noun} module {info.name}: {describe(exc)}") from None
        for cls in _classes_of(kind, module):
            found[cls.registry_name()] = cls
    return found


def installed(kind: PluginKind) -> dict:
    """Registry name → entry point of the kind's group (third-party packages)."""
    return {ep.name: ep for ep in entry_points(group=kind.group)}


def available(kind: PluginKind) -> dict:
    """Every registered name → where it comes from ("built-in" or the entry point's value)."""
    out = {name: "built-in" for name in builtins(kind)}
    for name, ep in installed(kind).items():
        out.setdefault(name, ep.value)
    return out


def load(kind: PluginKind, spec: str) -> type:
    """The plugin class for a registered name or a ``file.py[:ClassName]`` spec."""
    if is_path(spec):
        return load_file(kind, spec)
    local = builtins(kind)
    eps = installed(kind)
    if spec in local and spec in eps and eps[spec].value.split(":")[0] != local[spec].__module__:
        raise PluginError(f"{kind.noun} name {spec!r} is both built in and installed by entry point "
                          f"{eps[spec].value}; uninstall one")
    if spec in local:
        return kind.validate(local[spec], spec)
    if spec not in eps:
        if Path(spec).is_dir():  # say what it is, not "unknown" beside a list of names
            raise PluginError(f"{kind.noun} {spec!r} is a directory: give a registered name or path/to/file.py[:Class]")
        names = ", ".join(sorted(set(local) | set(eps))) or "none"
        raise PluginError(f"unknown {kind.noun} {spec!r} (available: {names}; or give path/to/file.py[:Class])")
    try:
        cls = eps[spec].load()
    except Exception as exc:
        raise PluginError(f"cannot load {kind.noun} {spec!r}: {describe(exc)}") from None
    return kind.validate(cls, spec)


def load_file(kind: PluginKind, spec: str) -> type:
    path_text, _, class_name = spec.partition(":")
    path = Path(path_text)
    if path.is_dir():
        raise PluginError(f"{kind.noun} file {path} is a directory, not a .py file")
    if not path.is_file():
        raise PluginError(f"{kind.noun} file not found: {path}")
    resolved = str(path.resolve())
    module_name = "halo2py_plugin_" + hashlib.blake2b(resolved.encode(), digest_size=8).hexdigest()
    module = sys.modules.get(module_name)
    if module is None or getattr(module, "__file__", None) != resolved:
        mod_spec = importlib.util.spec_from_file_location(module_name, resolved)
        module = importlib.util.module_from_spec(mod_spec)
        sys.modules[module_name] = module
        try:
            mod_spec.loader.exec_module(module)
        except Exception as exc:  # any import-time failure of user code is bad input, not our bug
            del sys.modules[module_name]
            raise PluginError(f"cannot import {kind.noun} file {path}: {describe(exc)}") from None
    if class_name:
        cls = getattr(module, class_name, None)
        if cls is None:
            raise PluginError(f"{kind.noun} file {path} has no class {class_name!r}")
        return kind.validate(cls, f"{path}:{class_name}")
    found = _classes_of(kind, module)
    if len(found) != 1:
        names = ", ".join(sorted(c.__name__ for c in found)) or "none"
        raise PluginError(f"{kind.noun} file {path} defines {len(found)} {kind.noun} classes ({names}); "
                          f"name one as {path}:ClassName")
    return kind.validate(found[0], str(path))

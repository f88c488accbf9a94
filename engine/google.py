"""The prebuilt google binding, on either engine, without the rest of it.

cdktf's `cdktf_cdktf_provider_google` 16.12.1 runs, in its package `__init__`, an import of
every one of its ~1,470 resource modules (8-13 s, ~400 MB): registering the package,
unexecuted, before the first import makes Python load only the modules bindings/google.py
names (each still registers its types with jsii, and the jsii assembly loads as before).

CDK Terrain's `cdktn_provider_google` 21.1.0 has the same modules and classes, and a lazy
`__init__`. Under `MODEL_REGISTRY_ENGINE=cdktn` the imports are answered from it: a
finder maps `cdktf_cdktf_provider_google.<module>` to `cdktn_provider_google.<module>`, the
module object itself, so one list of imports serves both (and mypy reads the first).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from types import ModuleType

from engine import GOOGLE_PACKAGE

_NAME = "cdktf_cdktf_provider_google"


class _SameModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """`cdktf_cdktf_provider_google[.x]` is `cdktn_provider_google[.x]`, not a copy of it."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> importlib.machinery.ModuleSpec | None:
        if name == _NAME or name.startswith(_NAME + "."):
            return importlib.util.spec_from_loader(name, self)
        return None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return importlib.import_module(GOOGLE_PACKAGE + spec.name[len(_NAME) :])

    def exec_module(self, module: ModuleType) -> None:
        pass  # already executed, under its own name


if GOOGLE_PACKAGE != _NAME:
    sys.meta_path.insert(0, _SameModules())
elif _NAME not in sys.modules and (_spec := importlib.util.find_spec(_NAME)) is not None:
    sys.modules[_NAME] = importlib.util.module_from_spec(_spec)

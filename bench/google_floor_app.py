"""The google binding floor: the floor app plus importing the prebuilt google binding.

Importing any module of `cdktf_cdktf_provider_google` runs its package `__init__`, which
imports all ~1,470 resource modules and loads the 31 MB jsii assembly into Node: this is
what any GCP stack pays before it builds anything. Nothing of the binding is used.
"""

from __future__ import annotations

import cdktf_cdktf_provider_google.provider  # noqa: F401  (the module GcpStack imports first)
from floor_app import main

if __name__ == "__main__":
    main()

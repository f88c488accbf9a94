"""The typed config: `load_config(path)` returns a validated AppConfig or raises ConfigError."""

from config.loader import ConfigError, load_config
from config.models import AppConfig

__all__ = ["AppConfig", "ConfigError", "load_config"]

"""Settings: frozen dataclasses whose fields hold each key's rules, read from strict YAML.

:mod:`~translate.config.schema` declares every key once (type, default, allowed
values or range, doc); :mod:`~translate.config.strict_yaml` reads a file with
the line of each key; :mod:`~translate.config.validation` checks values by the
schema's rules. ``python -m translate.config`` prints the key table of
``docs/config.md``.
"""

from translate.config.schema import (
    Config,
    DataConfig,
    DecodingConfig,
    ModelConfig,
    TrainingConfig,
    allowed,
    apply_overrides,
    check_key,
    config_from_dict,
    config_to_dict,
    load_config,
    replace_decoding,
    save_config,
)

__all__ = [
    "Config",
    "DataConfig",
    "DecodingConfig",
    "ModelConfig",
    "TrainingConfig",
    "allowed",
    "apply_overrides",
    "check_key",
    "config_from_dict",
    "config_to_dict",
    "load_config",
    "replace_decoding",
    "save_config",
]

"""Settings: every key declared once in :mod:`~translate.config.schema`, read from
strict YAML (:mod:`~translate.config.strict_yaml`) and checked by its rules
(:mod:`~translate.config.validation`); ``python -m translate.config`` prints ``docs/config.md``.
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

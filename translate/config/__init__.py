"""Settings: frozen dataclasses read from strict YAML, checked key by key."""

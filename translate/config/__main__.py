"""``python -m translate.config > docs/config.md``: the key table, made from the schema."""

from translate.config.schema import key_table

print(key_table(), end="")

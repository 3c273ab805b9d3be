"""A test aid: Python source that makes importing this package fail in a fresh process.

Run it first in a subprocess before loading an export: the code after it then
provably needs nothing but TensorFlow and tensorflow-text. (Keras cannot be
blocked: ``import tensorflow`` itself imports it when it is installed.)
"""

WITHOUT_THIS_PACKAGE = """
import sys


class _BlockThisPackage:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "translate":
            raise ImportError(f"{name} must not be imported to use an export")
        return None


sys.meta_path.insert(0, _BlockThisPackage())
"""

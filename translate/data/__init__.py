"""Parallel corpora as tf.data datasets of (source, target) strings."""

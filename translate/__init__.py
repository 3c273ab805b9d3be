"""An LSTM encoder-decoder translator with attention, built on Keras 3 and TensorFlow."""

__version__ = "0.1.0"


class TranslateError(Exception):
    """A problem with the user's input, config, data or files.

    The command-line tool prints its message on one line and exits with status 2,
    without a stack trace. The message names the file, line, key or value at fault.
    """

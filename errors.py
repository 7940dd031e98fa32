"""The one exception type for mistakes in the user's input.

Importers, passes and targets raise ``CompileError`` for anything the user can fix (an
unsupported ONNX node, a weight that is not constant, a bit-width past the design's
limits); the driver prints its message, which names where it happened, and exits non-zero.
"""


class CompileError(Exception):
    """A located, user-facing error: ``where`` names the file, node or op it concerns."""

    def __init__(self, where: str, message: str):
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message

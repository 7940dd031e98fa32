"""Source locations for IR read from a file, so that every error can say file:line:col.

xDSL's parser reports syntax errors with their position, but the ops it builds forget
where they came from, so a verifier error can only show the message.  ``LocatingParser``
gives every parsed op a ``FileLineColLoc`` (unless the text spells its own ``loc(...)``),
and ``locate`` prefixes a verifier error with the location of the op that fails.
"""

from __future__ import annotations

from xdsl.context import Context
from xdsl.dialects.builtin import FileLineColLoc, IntAttr, ModuleOp, StringAttr, UnknownLoc
from xdsl.ir import Operation
from xdsl.parser import Parser
from xdsl.utils.exceptions import ParseError, VerifyException


class LocatingParser(Parser):
    """xDSL's parser, with every op remembering the line and column where it starts.

    ``line_offset`` is the number of lines before this text in its file (a chunk of
    ``--split-input-file``)."""

    def __init__(self, ctx: Context, text: str | bytes, name: str, line_offset: int = 0):
        super().__init__(ctx, text, name)
        self._line_offset = line_offset
        self._op_start = self._current_token.span

    def parse_operation(self) -> Operation:
        self._op_start = start = self._current_token.span
        op = super().parse_operation()
        if isinstance(op.location, UnknownLoc):
            where = start.get_location()
            op.location = FileLineColLoc(
                StringAttr(where.file), IntAttr(where.line + self._line_offset), IntAttr(where.col)
            )
        return op

    def current_op_location(self) -> str:
        """file:line:col of the op being parsed, for errors raised while it is built."""
        where = self._op_start.get_location()
        return f"{where.file}:{where.line + self._line_offset}:{where.col}"

    def _get_op_by_name(self, name: str) -> type[Operation]:
        # Report an unregistered op where it starts, not at the token after its name
        # (which may be on the next line).
        try:
            return super()._get_op_by_name(name)
        except ParseError as e:
            self.raise_error(e.msg, self._op_start)


def locate(error: VerifyException, module: ModuleOp) -> VerifyException:
    """The error, prefixed with the source location of the op that raises it."""
    for op in module.walk():
        try:
            op.verify(verify_nested_ops=False)
        except VerifyException as e:
            if str(e) != str(error):  # another error, which xDSL did not report first
                continue
            if not isinstance(op.location, FileLineColLoc):  # built by a pass
                break
            loc = op.location
            located = VerifyException(
                f"{loc.filename.data}:{loc.line.data}:{loc.column.data}: {error}"
            )
            for note in getattr(error, "__notes__", ()):
                located.add_note(note)
            return located
    return error

"""Rounding and overflow modes as attributes: ``#fixedpoint<rounding RND>``."""

from xdsl.dialects.utils.enum_attribute import EnumAttribute
from xdsl.ir import SpacedOpaqueSyntaxAttribute
from xdsl.irdl import irdl_attr_definition

from ...numerics import Overflow, Rounding


@irdl_attr_definition
class RoundingAttr(EnumAttribute[Rounding], SpacedOpaqueSyntaxAttribute):
    name = "fixedpoint.rounding"


@irdl_attr_definition
class OverflowAttr(EnumAttribute[Overflow], SpacedOpaqueSyntaxAttribute):
    name = "fixedpoint.overflow"

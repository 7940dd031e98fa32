"""The ``rtl`` dialect: signless bit vectors of explicit width, modelled on CIRCT's
hw / comb / seq split, as the last IR before Verilog.

Values are builtin signless integers ``iN``: bags of N bits with no sign.  Signedness
lives in the operations that need it (``sext``, ``icmp slt``) and in the fixed-point
format recorded on each module port.  Every operation is strict about widths; nothing is
extended or truncated implicitly:

    rtl.module @dense(%x0: i8 fixed<1,7,0>, %x1: i8 fixed<1,7,0>)
        -> (y0: i9 fixed<1,8,0>) clock "clk" latency 1 {
      %a = rtl.sext %x0 : i8 to i9
      %b = rtl.sext %x1 : i8 to i9
      %s = rtl.add %a, %b : i9
      %r = rtl.reg %s : i9
      rtl.output %r : i9
    }

Operations: ``module`` / ``output`` (structure), ``constant``, ``add`` / ``sub`` (modulo
2^N, all three widths equal), ``extract`` (bit slice), ``concat`` (first operand is the
most significant), ``sext`` / ``zext``, ``icmp``, ``mux``, ``rom`` (a table of constants
indexed by an unsigned input) and ``reg`` (a register clocked by the module's clock).
"""

from xdsl.ir import Dialect

from .attributes import FixedFormatAttr
from .bitvectors import bits, is_port_name, width_of
from .combinational import (
    ICMP_PREDICATES,
    MAX_ROM_INDEX_BITS,
    AddOp,
    ConcatOp,
    ConstantOp,
    ExtractOp,
    ICmpOp,
    MuxOp,
    RomOp,
    SExtOp,
    SubOp,
    TernaryAddOp,
    ZExtOp,
)
from .sequential import RegOp
from .structure import ModuleOp, OutputOp, Port

ARITHMETIC_OPS = (AddOp, SubOp)

Rtl = Dialect(
    "rtl",
    [
        ModuleOp,
        OutputOp,
        ConstantOp,
        AddOp,
        SubOp,
        TernaryAddOp,
        ExtractOp,
        ConcatOp,
        SExtOp,
        ZExtOp,
        ICmpOp,
        MuxOp,
        RomOp,
        RegOp,
    ],
    [FixedFormatAttr],
)

__all__ = [
    "ARITHMETIC_OPS", "ICMP_PREDICATES", "MAX_ROM_INDEX_BITS", "AddOp", "ConcatOp",
    "ConstantOp", "ExtractOp", "FixedFormatAttr", "ICmpOp", "ModuleOp", "MuxOp", "OutputOp", "Port",
    "RegOp", "RomOp", "Rtl", "SExtOp", "SubOp", "TernaryAddOp", "ZExtOp", "bits", "is_port_name", "width_of",
]

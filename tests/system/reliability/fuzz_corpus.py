"""Malformed inputs for the fpga-opt driver, generated on the fly from seeds.

Each generator yields ``Case``s: the files to write (name -> bytes) and the driver
arguments (``{dir}`` stands for the folder the files are written to).  The corpus is
deterministic for a given seed, so a failing case is reproduced by its name alone.

Sources of malformed input:
- bytes of real models (bundled in ``tests/data``) truncated, bit-flipped, spliced;
- small QONNX graphs built with onnx.helper and then broken structurally (cycles,
  missing or dynamic initializers, wrong shapes, absurd Quant bit-widths, NaN/inf
  weights and scales, empty tensors, unknown domains and ops, bad attributes);
- the valid IR of the FileCheck suite, truncated or with characters flipped;
- invalid pass pipelines and options, and command-line misuse;
- corrupted ``.keras`` archives (zip damage, broken config.json, damaged weights).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from fpga_opt.testing.models import model_path

REPO = Path(__file__).resolve().parents[3]
FILECHECK = REPO / "tests" / "filecheck"
QONNX = "qonnx.custom_op.general"

# Import-only pipeline: the importer (and the precision pass) are what is being fuzzed;
# a few cases per source also run the whole compile pipeline to Verilog.
IMPORT_ONLY = ["-p", "fixedpoint-infer-precision"]


@dataclass
class Case:
    name: str
    files: dict[str, bytes]
    args: list[str]
    output: str | None = "out.txt"
    """The -o file (relative to the case folder) that must not exist after a failure."""
    extra: dict = field(default_factory=dict)

    def argv(self, folder: Path) -> list[str]:
        argv = [a.replace("{dir}", str(folder)) for a in self.args]
        if self.output is not None:
            argv += ["-o", str(folder / self.output)]
        return argv


# ---------------------------------------------------------------------------------------
# Byte-level damage


def truncations(data: bytes, rng: np.random.Generator, count: int) -> Iterator[tuple[str, bytes]]:
    cuts = sorted({0, 1, len(data) - 1, *rng.integers(0, len(data), count).tolist()})
    for cut in cuts[:count]:
        yield f"cut{cut}", data[:cut]


def bit_flips(data: bytes, rng: np.random.Generator, count: int) -> Iterator[tuple[str, bytes]]:
    for k in range(count):
        buf = bytearray(data)
        for position in rng.integers(0, len(buf), int(rng.integers(1, 9))):
            buf[position] ^= 1 << int(rng.integers(0, 8))
        yield f"flip{k}", bytes(buf)


def splices(data: bytes, rng: np.random.Generator, count: int) -> Iterator[tuple[str, bytes]]:
    """A random slice deleted or duplicated."""
    for k in range(count):
        a = int(rng.integers(0, len(data)))
        b = min(len(data), a + int(rng.integers(1, 64)))
        yield f"splice{k}", (data[:a] + data[b:]) if k % 2 else (data[:b] + data[a:])


# ---------------------------------------------------------------------------------------
# Real model files


def model_file_cases(rng: np.random.Generator, per_model: int) -> Iterator[Case]:
    sources = {
        "bnn_model_fc_1layer.onnx": [],
        "two_layer_keras.onnx": ["--default-precision", "fixed<8,3>"],
        "qkeras_jettagging.onnx": ["--default-precision", "fixed<1,5,10>"],
        "conv2d_small_keras.onnx": ["--default-precision", "fixed<8,3>"],
    }
    for model, options in sources.items():
        path = model_path(model)
        if not path.exists():
            continue
        data = path.read_bytes()
        damaged = [*truncations(data, rng, per_model), *bit_flips(data, rng, 2 * per_model),
                   *splices(data, rng, per_model)]
        for index, (how, content) in enumerate(damaged):
            args = ["{dir}/model.onnx", *options]
            # most cases stop after the import; every eighth compiles all the way
            args += ["-t", "verilog"] if index % 8 == 0 and model.startswith("bnn") else IMPORT_ONLY
            yield Case(f"{model}:{how}", {"model.onnx": content}, args)


# ---------------------------------------------------------------------------------------
# Structurally broken QONNX graphs


def onnx_tensor(name: str, value) -> TensorProto:
    return numpy_helper.from_array(np.asarray(value), name)


def quant_node(name, x, out, scale=0.25, zero=0.0, bits=4.0, **attrs):
    attrs = {"signed": 1, "narrow": 0, "rounding_mode": "ROUND", **attrs}
    node = helper.make_node("Quant", [x, f"{name}_s", f"{name}_z", f"{name}_b"], [out],
                            name=name, domain=QONNX, **attrs)
    inits = [onnx_tensor(f"{name}_s", np.float32(scale)), onnx_tensor(f"{name}_z", np.float32(zero)),
             onnx_tensor(f"{name}_b", np.float32(bits))]
    return node, inits


@dataclass
class Graph:
    """A tiny QONNX MLP, x[1,4] -> Quant -> MatMul(Quant(W)) -> Add(b) -> Relu -> Quant,
    as editable lists so each mutation breaks one thing."""

    nodes: list
    inits: list
    inputs: list
    outputs: list
    opset: int = 13
    domains: tuple = (QONNX,)

    @classmethod
    def base(cls, rng: np.random.Generator) -> "Graph":
        q_in, i_in = quant_node("q_in", "x", "xq", 0.25, 0, 6)
        q_w, i_w = quant_node("q_w", "W", "Wq", 0.5, 0, 4)
        q_out, i_out = quant_node("q_out", "r", "y", 0.125, 0, 8, signed=0)
        nodes = [q_in, q_w,
                 helper.make_node("MatMul", ["xq", "Wq"], ["m"], name="fc"),
                 helper.make_node("Add", ["m", "b"], ["a"], name="bias"),
                 helper.make_node("Relu", ["a"], ["r"], name="relu"), q_out]
        weights = rng.integers(-8, 8, (4, 3)).astype(np.float32) * 0.5
        inits = [*i_in, *i_w, *i_out, onnx_tensor("W", weights),
                 onnx_tensor("b", rng.integers(-4, 4, (3,)).astype(np.float32) * 0.25)]
        return cls(nodes, inits, [("x", [1, 4])], [("y", [1, 3])])

    def node(self, name: str):
        return next(n for n in self.nodes if n.name == name)

    def init(self, name: str) -> TensorProto:
        return next(t for t in self.inits if t.name == name)

    def set_init(self, name: str, value) -> None:
        self.inits = [onnx_tensor(name, value) if t.name == name else t for t in self.inits]

    def to_bytes(self) -> bytes:
        graph = helper.make_graph(
            self.nodes, "fuzz",
            [helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in self.inputs],
            [helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in self.outputs],
            self.inits)
        opsets = [helper.make_opsetid("", self.opset)] + [helper.make_opsetid(d, 1) for d in self.domains]
        return helper.make_model(graph, opset_imports=opsets).SerializeToString()


def _set_attr(node, name: str, value) -> None:
    for a in list(node.attribute):
        if a.name == name:
            node.attribute.remove(a)
    if value is not None:
        node.attribute.append(helper.make_attribute(name, value))


BAD_NUMBERS = [0.0, -1.0, -8.0, 0.5, 2.5, 1e6, 1e30, float("nan"), float("inf"), -float("inf")]


def graph_mutations() -> dict[str, Callable[[Graph], None]]:
    m: dict[str, Callable[[Graph], None]] = {}
    for q in ("q_in", "q_w", "q_out"):
        for value in BAD_NUMBERS:
            m[f"{q} bits={value}"] = lambda g, q=q, v=value: g.set_init(f"{q}_b", np.float32(v))
            m[f"{q} scale={value}"] = lambda g, q=q, v=value: g.set_init(f"{q}_s", np.float32(v))
        for value in (0.5, -3.0, 1e9, float("nan")):
            m[f"{q} zero={value}"] = lambda g, q=q, v=value: g.set_init(f"{q}_z", np.float32(v))
        m[f"{q} bits vector"] = lambda g, q=q: g.set_init(f"{q}_b", np.float32([4, 5, 6]))
        m[f"{q} bits empty"] = lambda g, q=q: g.set_init(f"{q}_b", np.zeros((0,), np.float32))
        m[f"{q} scale per-element wrong shape"] = lambda g, q=q: g.set_init(f"{q}_s", np.full((7, 2), 0.5, np.float32))
        m[f"{q} scale int64"] = lambda g, q=q: g.set_init(f"{q}_s", np.int64(1))
        m[f"{q} bits string"] = lambda g, q=q: g.set_init(f"{q}_b", np.array(["four"], dtype=object))
        for attr, value in (("signed", 7), ("narrow", -2), ("rounding_mode", "FOO"),
                            ("rounding_mode", ""), ("signed", "yes"), ("narrow", [1, 2]),
                            ("signed", None), ("rounding_mode", None), ("unknown_attr", 3)):
            m[f"{q} {attr}={value!r}"] = lambda g, q=q, a=attr, v=value: _set_attr(g.node(q), a, v)
        m[f"{q} missing input"] = lambda g, q=q: g.node(q).input.pop()
        m[f"{q} empty-name input"] = lambda g, q=q: g.node(q).input.__setitem__(1, "")
        m[f"{q} dynamic scale"] = lambda g, q=q: (g.inits.remove(g.init(f"{q}_s")), g.inputs.append((f"{q}_s", [])))
        m[f"{q} missing bits"] = lambda g, q=q: g.inits.remove(g.init(f"{q}_b"))
        m[f"{q} unknown domain"] = lambda g, q=q: setattr(g.node(q), "domain", "com.example.nothing")
        m[f"{q} standard domain"] = lambda g, q=q: setattr(g.node(q), "domain", "")
    for value in (float("nan"), float("inf"), -float("inf"), 1e38, 1e-45):
        m[f"W has {value}"] = lambda g, v=value: g.set_init("W", np.where(np.eye(4, 3) > 0, v, 1.0).astype(np.float32))
        m[f"b has {value}"] = lambda g, v=value: g.set_init("b", np.array([v, 0, 1], np.float32))
    m["W empty"] = lambda g: g.set_init("W", np.zeros((4, 0), np.float32))
    m["W 0x0"] = lambda g: g.set_init("W", np.zeros((0, 0), np.float32))
    m["W wrong rows"] = lambda g: g.set_init("W", np.ones((5, 3), np.float32))
    m["W rank 3"] = lambda g: g.set_init("W", np.ones((2, 4, 3), np.float32))
    m["W scalar"] = lambda g: g.set_init("W", np.float32(2.0))
    m["W float64"] = lambda g: g.set_init("W", np.ones((4, 3), np.float64))
    m["W int8"] = lambda g: g.set_init("W", np.ones((4, 3), np.int8))
    m["W bool"] = lambda g: g.set_init("W", np.ones((4, 3), bool))
    m["b wrong length"] = lambda g: g.set_init("b", np.ones((5,), np.float32))
    m["b rank 2"] = lambda g: g.set_init("b", np.ones((2, 3), np.float32))
    m["W missing"] = lambda g: g.inits.remove(g.init("W"))
    m["W dynamic"] = lambda g: (g.inits.remove(g.init("W")), g.inputs.append(("W", [4, 3])))
    m["b dynamic"] = lambda g: (g.inits.remove(g.init("b")), g.inputs.append(("b", [3])))
    m["input rank 0"] = lambda g: g.inputs.__setitem__(0, ("x", []))
    m["input zero dim"] = lambda g: g.inputs.__setitem__(0, ("x", [1, 0]))
    m["input dynamic dim"] = lambda g: g.inputs.__setitem__(0, ("x", ["N", 4]))
    m["input all dynamic"] = lambda g: g.inputs.__setitem__(0, ("x", ["N", "M"]))
    m["input wrong width"] = lambda g: g.inputs.__setitem__(0, ("x", [1, 7]))
    m["input negative dim"] = lambda g: g.inputs.__setitem__(0, ("x", [1, -4]))
    m["input huge dim"] = lambda g: g.inputs.__setitem__(0, ("x", [1, 10**12]))
    m["no inputs"] = lambda g: g.inputs.clear()
    m["no outputs"] = lambda g: g.outputs.clear()
    m["no nodes"] = lambda g: g.nodes.clear()
    m["output not produced"] = lambda g: g.outputs.__setitem__(0, ("nowhere", [1, 3]))
    m["output is input"] = lambda g: g.outputs.__setitem__(0, ("x", [1, 4]))
    m["output is initializer"] = lambda g: g.outputs.__setitem__(0, ("W", [4, 3]))
    m["output twice"] = lambda g: g.outputs.append(("y", [1, 3]))
    m["cycle"] = lambda g: g.node("fc").input.__setitem__(0, "r")
    m["self loop"] = lambda g: g.node("relu").input.__setitem__(0, "r")
    m["two producers"] = lambda g: g.nodes.append(helper.make_node("Relu", ["m"], ["a"], name="dup"))
    m["reversed node order"] = lambda g: g.nodes.reverse()
    m["duplicate node names"] = lambda g: [setattr(n, "name", "same") for n in g.nodes]
    m["unnamed nodes"] = lambda g: [setattr(n, "name", "") for n in g.nodes]
    m["unknown op"] = lambda g: setattr(g.node("relu"), "op_type", "Frobnicate")
    m["unknown op in custom domain"] = lambda g: (setattr(g.node("relu"), "op_type", "Thing"), setattr(g.node("relu"), "domain", "my.domain"))
    m["domain without opset"] = lambda g: setattr(g, "domains", ())
    for opset in (1, 7, 8, 22, 99, 0, -3):
        m[f"opset {opset}"] = lambda g, o=opset: setattr(g, "opset", o)
    m["relu extra input"] = lambda g: g.node("relu").input.append("m")
    m["relu no input"] = lambda g: g.node("relu").input.pop()
    m["matmul one input"] = lambda g: g.node("fc").input.pop()
    m["matmul two outputs"] = lambda g: g.node("fc").output.append("m2")
    m["add missing operand"] = lambda g: g.node("bias").input.__setitem__(1, "absent")
    m["Gemm bad transB"] = lambda g: (setattr(g.node("fc"), "op_type", "Gemm"), _set_attr(g.node("fc"), "transB", 5))
    m["Gemm attribute type"] = lambda g: (setattr(g.node("fc"), "op_type", "Gemm"), _set_attr(g.node("fc"), "alpha", "big"))
    m["reshape to nonsense"] = lambda g: (g.nodes.insert(5, helper.make_node("Reshape", ["r", "shape"], ["r2"], name="rs")),
                                          g.inits.append(onnx_tensor("shape", np.array([7, -1, -1], np.int64))),
                                          g.node("q_out").input.__setitem__(0, "r2"))
    m["reshape dynamic shape"] = lambda g: (g.nodes.insert(5, helper.make_node("Reshape", ["r", "m"], ["r2"], name="rs")),
                                            g.node("q_out").input.__setitem__(0, "r2"))
    m["transpose bad perm"] = lambda g: (g.nodes.insert(5, helper.make_node("Transpose", ["r"], ["r2"], name="tp", perm=[0, 0])),
                                         g.node("q_out").input.__setitem__(0, "r2"))
    m["concat bad axis"] = lambda g: (g.nodes.insert(5, helper.make_node("Concat", ["r", "r"], ["r2"], name="cc", axis=9)),
                                      g.node("q_out").input.__setitem__(0, "r2"))
    m["softmax in the middle"] = lambda g: (g.nodes.insert(5, helper.make_node("Softmax", ["r"], ["r2"], name="sm")),
                                            g.node("q_out").input.__setitem__(0, "r2"))
    m["conv with dense weights"] = lambda g: setattr(g.node("fc"), "op_type", "Conv")
    m["maxpool bad kernel"] = lambda g: (g.nodes.insert(5, helper.make_node("MaxPool", ["r"], ["r2"], name="mp", kernel_shape=[0])),
                                         g.node("q_out").input.__setitem__(0, "r2"))
    m["subgraph attribute"] = lambda g: _set_attr(g.node("relu"), "body", helper.make_graph([], "inner", [], []))
    return m


def graph_cases(rng: np.random.Generator) -> Iterator[Case]:
    seed = int(rng.integers(0, 2**31))
    for index, (name, mutate) in enumerate(graph_mutations().items()):
        g = Graph.base(np.random.default_rng(seed))
        mutate(g)
        try:
            data = g.to_bytes()
        except Exception as e:  # onnx.helper itself refuses this mutation
            raise AssertionError(f"corpus bug: {name}: {e}") from e
        args = ["{dir}/model.onnx"] + (["-t", "verilog"] if index % 3 == 0 else IMPORT_ONLY)
        yield Case(f"qonnx:{name}", {"model.onnx": data}, args)


# ---------------------------------------------------------------------------------------
# Mangled IR text


VALID_IR_DIRS = ["fixedpoint", "fixedpoint-infer-precision", "cmvm", "cmvm-csd",
                 "cmvm-cse", "cmvm-decompose", "cmvm-optimize", "rtl", "rtl-pipeline"]
FLIP_ALPHABET = "{}()<>[],:=%@!#^\"'x0123456789-+. \nabcfiktwe*"


def valid_ir_snippets() -> list[tuple[str, str]]:
    """Chunks of the FileCheck suite that parse: files not named *invalid*/*errors*, split
    at ``// -----``, comments stripped."""
    snippets = []
    for folder in VALID_IR_DIRS:
        for path in sorted((FILECHECK / folder).glob("*.mlir")):
            if re.search(r"invalid|error", path.name):
                continue
            for k, chunk in enumerate(path.read_text().split("// -----")):
                text = "\n".join(line for line in chunk.splitlines() if not line.lstrip().startswith("//"))
                if "module" in text or "func.func" in text or "rtl.module" in text:
                    snippets.append((f"{folder}/{path.name}#{k}", text))
    return snippets


def _pipeline_for(text: str) -> list[str]:
    if "fixedpoint." in text:
        return ["-p", "compile", "-t", "verilog"]
    if "cmvm." in text:
        return ["-p", "cmvm-optimize,cmvm-to-rtl,rtl-pipeline{cutoff=1}", "-t", "verilog"]
    if "rtl." in text:
        return ["-p", "rtl-pipeline{cutoff=2}", "-t", "verilog"]
    return []


def ir_cases(rng: np.random.Generator, per_snippet: int) -> Iterator[Case]:
    for source, text in valid_ir_snippets():
        pipeline = _pipeline_for(text)
        for k in range(per_snippet):
            chars = list(text)
            kind = k % 3
            if kind == 0:
                chars = chars[: int(rng.integers(0, len(chars)))]
            else:
                for _ in range(int(rng.integers(1, 4))):
                    position = int(rng.integers(0, len(chars)))
                    if kind == 1:
                        chars[position] = FLIP_ALPHABET[int(rng.integers(0, len(FLIP_ALPHABET)))]
                    else:  # swap a digit for a large or negative number
                        chars[position:position + 1] = list(str(rng.choice([0, -1, 63, 64, 10**6, -(10**9)])))
            args = ["{dir}/input.mlir"] + (pipeline if k % 2 else [])
            yield Case(f"ir:{source}:{k}", {"input.mlir": "".join(chars).encode()}, args)


# ---------------------------------------------------------------------------------------
# Pass pipelines, options and command lines


BAD_PIPELINES = [
    "rtl-pipeline{cutoff=-1}", "rtl-pipeline{cutoff=x}", "rtl-pipeline{cutoff=1.5}",
    "rtl-pipeline{cutoff=}", "rtl-pipeline{nonsense=3}", "rtl-pipeline{cutoff=1 cutoff=2}",
    "cmvm-optimize{objective=foo}", "cmvm-optimize{objective=}", "cmvm-optimize{max_depth=-5}",
    "cmvm-optimize{max_depth=abc}", "cmvm-cse{bogus=1}", "compile{cutoff=-3}",
    "compile{objective=latency}", "compile{max_depth=-1}", "compile{cutoff=99999999999999999999}",
    "nosuchpass", "compile,nosuchpass", "compile{", "compile}", "{}", ",", "compile,,compile",
    "compile{cutoff=1", "fixedpoint-infer-precision{x=1}", "cmvm-to-rtl,fixedpoint-to-cmvm",
    "rtl-pipeline,fixedpoint-to-cmvm", "cmvm-optimize,compile",
]


def option_cases() -> Iterator[Case]:
    ir = (FILECHECK / "fixedpoint-infer-precision" / "dense.mlir")
    text = "\n".join(line for line in ir.read_text().split("// -----")[0].splitlines()
                     if not line.lstrip().startswith("//"))
    files = {"input.mlir": text.encode()}
    for spec in BAD_PIPELINES:
        yield Case(f"pipeline:{spec}", files, ["{dir}/input.mlir", "-p", spec, "-t", "verilog"])
    bnn = model_path("bnn_model_fc_1layer.onnx")
    model = {"model.onnx": bnn.read_bytes()} if bnn.exists() else {"model.onnx": b""}
    for spec in BAD_PIPELINES[:12]:
        yield Case(f"model pipeline:{spec}", model, ["{dir}/model.onnx", "-p", spec])
    cli = {
        "unknown target": ["{dir}/input.mlir", "-t", "vhdl"],
        "missing file": ["{dir}/absent.mlir"],
        "missing model": ["{dir}/absent.onnx"],
        "directory input": ["{dir}"],
        "unknown extension": ["{dir}/input.xyz"],
        "negative cutoff": ["{dir}/model.onnx", "--cutoff", "-2"],
        "cutoff not a number": ["{dir}/model.onnx", "--cutoff", "two"],
        "bad default precision": ["{dir}/model.onnx", "--default-precision", "fixed<<3"],
        "absurd default precision": ["{dir}/model.onnx", "--default-precision", "fixed<1000000,3>"],
        "zero-width default precision": ["{dir}/model.onnx", "--default-precision", "fixed<0,0>"],
        "negative default precision": ["{dir}/model.onnx", "--default-precision", "fixed<-4,2>"],
        "bad softmax": ["{dir}/model.onnx", "--softmax", "max"],
        "empty mlir": ["{dir}/empty.mlir"],
        "empty onnx": ["{dir}/empty.onnx"],
        "empty keras": ["{dir}/empty.keras"],
        "binary as mlir": ["{dir}/model.mlir"],
        "text as onnx": ["{dir}/text.onnx"],
        "frontend mismatch": ["{dir}/input.mlir", "-f", "onnx"],
    }
    both = {**files, **model, "input.xyz": b"x", "empty.mlir": b"", "empty.onnx": b"",
            "empty.keras": b"", "model.mlir": model["model.onnx"], "text.onnx": text.encode()}
    for name, args in cli.items():
        yield Case(f"cli:{name}", both, args)
    yield Case("cli:output into missing folder", files, ["{dir}/input.mlir"],
               output="no/such/folder/out.v")


# ---------------------------------------------------------------------------------------
# .keras archives


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, content in members.items():
            z.writestr(name, content)
    return out.getvalue()


def _config_edits() -> dict[str, Callable[[dict], object]]:
    def layers(c):
        return c["config"]["layers"]

    def set_first_dense(c, key, value):
        for layer in layers(c):
            if "Dense" in layer["class_name"]:
                layer["config"][key] = value
                return

    return {
        "config not an object": lambda c: [],
        "no layers": lambda c: c["config"].pop("layers"),
        "layers not a list": lambda c: c["config"].__setitem__("layers", 7),
        "empty layers": lambda c: c["config"].__setitem__("layers", []),
        "unknown layer class": lambda c: layers(c)[1].__setitem__("class_name", "Frobnicate"),
        "layer without config": lambda c: layers(c)[1].pop("config"),
        "units negative": lambda c: set_first_dense(c, "units", -3),
        "units string": lambda c: set_first_dense(c, "units", "many"),
        "units huge": lambda c: set_first_dense(c, "units", 10**9),
        "reversed layers": lambda c: layers(c).reverse(),
        "duplicate layers": lambda c: layers(c).append(layers(c)[1]),
        "no class name": lambda c: c.pop("class_name"),
        "inbound to nowhere": lambda c: layers(c)[-1].__setitem__("inbound_nodes", [{"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": ["ghost", 0, 0]}}], "kwargs": {}}]),
        "null everywhere": lambda c: [layer.__setitem__("config", None) for layer in layers(c)],
    }


def keras_cases(rng: np.random.Generator, per_kind: int) -> Iterator[Case]:
    path = model_path("hgq2_jsc_openml_0.758.keras")
    if not path.exists():
        return
    data = path.read_bytes()
    for how, content in [*truncations(data, rng, per_kind), *bit_flips(data, rng, per_kind)]:
        yield Case(f"keras:{how}", {"model.keras": content}, ["{dir}/model.keras", *IMPORT_ONLY])
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = {n: z.read(n) for n in z.namelist()}
    variants: dict[str, dict[str, bytes]] = {
        "no config.json": {n: c for n, c in members.items() if n != "config.json"},
        "no weights": {n: c for n, c in members.items() if not n.endswith(".h5")},
        "empty zip": {},
        "config not json": {**members, "config.json": b"{not json"},
        "config binary": {**members, "config.json": bytes(range(256))},
        "weights truncated": {n: (c[: len(c) // 3] if n.endswith(".h5") else c) for n, c in members.items()},
        "weights garbage": {n: (bytes(len(c)) if n.endswith(".h5") else c) for n, c in members.items()},
    }
    for name, edit in _config_edits().items():
        config = json.loads(members["config.json"])
        replaced = edit(config)
        if name == "config not an object":
            config = replaced
        variants[name] = {**members, "config.json": json.dumps(config).encode()}
    for name, content in variants.items():
        yield Case(f"keras:{name}", {"model.keras": _zip(content)}, ["{dir}/model.keras", *IMPORT_ONLY])


def regression_cases() -> Iterator[Case]:
    """Inputs that once crashed or hung the driver, kept verbatim."""
    long_line = ("func.func @q(%x: !fixedpoint.tensor<2xfixed<1,3,2>>) {\n"
                 "  %g = fixedpoint.quantize %x to <[fixed<1,1,1>, fixed<0,\",-1>]> RND SAT : "
                 "!fixedpoint.tensor<2xfixed<1,3,2>> -> !fixedpoint.tensor<2x[fixed<1,1,1>, "
                 "fixed<0,2,-1>]>\n  func.return\n}\n")
    yield Case("regression:unterminated string in a long line", {"input.mlir": long_line.encode()},
               ["{dir}/input.mlir"])


def corpus(seed: int = 0, scale: int = 1) -> list[Case]:
    """Every case, deterministic in ``seed``; ``scale`` multiplies the random ones."""
    rng = np.random.default_rng(seed)
    cases = [*model_file_cases(rng, 12 * scale), *graph_cases(rng), *ir_cases(rng, 3 * scale),
             *option_cases(), *keras_cases(rng, 10 * scale), *regression_cases()]
    names = [c.name for c in cases]
    assert len(names) == len(set(names)), "corpus case names must be unique"
    return cases

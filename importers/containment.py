"""A model file reads nothing outside itself.

The importers get a model's bytes, never a path, but the formats inside can still point
elsewhere: an HDF5 dataset may keep its bytes in *external storage* (any file, e.g.
``/etc/passwd``), in other files through a *virtual dataset*, or behind an *external
link*; an ONNX tensor may keep its data in an *external data* file resolved against the
current directory.  These checks run on the parsed containers before any value is read
and refuse every such pointer with a located error.  They also bound what a small file
may ask for: a zip member's inflated size (zip bombs) and an HDF5 dataset's size are
checked against limits before anything is inflated or allocated.

ONNX external data is refused outright rather than read from sibling files: models this
compiler can turn into logic fit far below protobuf's 2 GB limit, so a model saved with
external data is re-saved in one file (``onnx.save(onnx.load(path), out,
save_as_external_data=False)``), and no path from the model is ever opened.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator

import h5py

from ..errors import CompileError

MAX_MEMBER_BYTES = 1 << 30
"""Largest inflated size of one ``.keras`` archive member (config.json, the weights)."""

MAX_DATASET_BYTES = 1 << 30
"""Largest HDF5 dataset (elements x item size) a weights file may declare."""

MAX_HDF5_OBJECTS = 1_000_000
"""Most groups and datasets walked in one weights file."""

# HDF5's built-in filters (deflate, shuffle, fletcher32, szip, nbit, scale-offset); any
# other filter id would make the HDF5 library look for a plugin library on disk.
BUILTIN_FILTERS = frozenset({1, 2, 3, 4, 5, 6})

ENCRYPTED_FLAG = 0x1


def read_zip_member(archive: zipfile.ZipFile, name: str, where: str) -> bytes:
    """The bytes of one member, refused before inflating when it is encrypted or declares
    more than ``MAX_MEMBER_BYTES``, and read at most that many bytes (zipfile stops at the
    declared size); a damaged member is a located error."""
    limit = MAX_MEMBER_BYTES
    info = archive.getinfo(name)
    if info.flag_bits & ENCRYPTED_FLAG:
        raise CompileError(where, "the archive member is encrypted; fpga-opt reads plain archives only")
    if info.file_size > limit:
        raise CompileError(where, f"the archive member inflates to {info.file_size:,} bytes; "
                                  f"the limit is {limit:,}")
    try:
        with archive.open(info) as member:
            data = member.read(limit + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
            ValueError, OSError) as e:
        raise CompileError(where, f"damaged archive member: {e}") from None
    if len(data) > limit:
        raise CompileError(where, f"the archive member inflates past {limit:,} bytes (the limit)")
    return data


def check_hdf5_contained(file: h5py.File, where: str) -> None:
    """Refuse links, external storage, virtual datasets, plugin filters and oversized
    datasets anywhere in ``file``; walks by hard links only, each object once."""
    for path, dataset in _hard_linked_datasets(file, where):
        _check_dataset(dataset, f"{where}:{path}")


def _hard_linked_datasets(file: h5py.File, where: str) -> Iterator[tuple[str, h5py.Dataset]]:
    seen: set[int] = set()
    stack: list[tuple[str, h5py.Group]] = [("", file)]
    count = 0
    while stack:
        prefix, group = stack.pop()
        for name in group:
            path = f"{prefix}/{name}"
            try:
                link = group.get(name, getlink=True)
            except (TypeError, KeyError, OSError, RuntimeError) as e:
                raise CompileError(f"{where}:{path}", f"unreadable HDF5 link: {e}") from None
            if not isinstance(link, h5py.HardLink):
                kind = type(link).__name__ if link is not None else "unknown link"
                raise CompileError(f"{where}:{path}", f"an HDF5 {kind} (Keras weights files "
                                   "hold groups and datasets only; links are not followed)")
            count += 1
            if count > MAX_HDF5_OBJECTS:
                raise CompileError(where, f"more than {MAX_HDF5_OBJECTS:,} HDF5 objects")
            try:
                obj = group[name]
                address = h5py.h5o.get_info(obj.id).addr
            except (KeyError, OSError, RuntimeError, ValueError) as e:
                raise CompileError(f"{where}:{path}", f"unreadable HDF5 object: {e}") from None
            if address in seen:
                continue
            seen.add(address)
            if isinstance(obj, h5py.Group):
                stack.append((path, obj))
            elif isinstance(obj, h5py.Dataset):
                yield path, obj


def _check_dataset(dataset: h5py.Dataset, where: str) -> None:
    plist = dataset.id.get_create_plist()
    if plist.get_layout() == h5py.h5d.VIRTUAL:
        raise CompileError(where, "is an HDF5 virtual dataset (its data lives in other files); refused")
    if plist.get_external_count() > 0:
        raise CompileError(where, "has HDF5 external storage (its data lives in another file); refused")
    for index in range(plist.get_nfilters()):
        filter_id = plist.get_filter(index)[0]
        if filter_id not in BUILTIN_FILTERS:
            raise CompileError(where, f"uses HDF5 filter {filter_id}, not a built-in one; refused")
    size = int(dataset.size or 0) * dataset.dtype.itemsize
    if size > MAX_DATASET_BYTES:
        raise CompileError(where, f"declares {size:,} bytes of data; the limit is {MAX_DATASET_BYTES:,}")


def refuse_onnx_external_data(model, filename: str) -> None:
    """Refuse any tensor of ``model`` (initializers, sparse initializers, node attributes,
    subgraphs, functions) that keeps its data in an external file."""
    graphs = [model.graph]
    nodes = [node for function in model.functions for node in function.node]
    while graphs or nodes:
        if graphs:
            graph = graphs.pop()
            for tensor in graph.initializer:
                _refuse_external(tensor, filename, f"initializer '{tensor.name}'")
            for sparse in graph.sparse_initializer:
                _refuse_external(sparse.values, filename, f"sparse initializer '{sparse.values.name}'")
                _refuse_external(sparse.indices, filename, f"sparse initializer '{sparse.values.name}'")
            nodes.extend(graph.node)
            continue
        node = nodes.pop()
        for attribute in node.attribute:
            where = f"node '{node.name}' ({node.op_type}) attribute '{attribute.name}'"
            tensors = [attribute.t, *attribute.tensors]
            for sparse in [attribute.sparse_tensor, *attribute.sparse_tensors]:
                tensors += [sparse.values, sparse.indices]
            for tensor in tensors:
                _refuse_external(tensor, filename, where)
            graphs.extend([attribute.g, *attribute.graphs] if attribute.HasField("g") else attribute.graphs)


def _refuse_external(tensor, filename: str, what: str) -> None:
    if tensor.data_location == tensor.EXTERNAL or len(tensor.external_data):
        raise CompileError(f"{filename}: {what}", "keeps its data in an external file; fpga-opt "
                           "reads nothing outside the model: save the model in one file "
                           "(onnx.save(model, path, save_as_external_data=False))")

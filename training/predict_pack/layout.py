"""Which graph input (and which category of it) feeds each column of a tree ensemble.

The layout is traced through the graph itself, not assumed from the pipeline: numbers passed
through and categories one-hot encoded (Identity, Cast, OneHotEncoder, Concat, Reshape).
Anything else in between (an imputer, a scaler) raises `PackError`: the thresholds then do
not compare raw input values, and the threshold cases fall back to probing.
"""

from dataclasses import dataclass

import onnx
from onnx import numpy_helper

from predict_pack.errors import PackError


@dataclass(frozen=True)
class Column:
    """One column of the tree input: a numeric input, or one category of a string input."""

    feature: str
    category: str | None = None


def trace(model: onnx.ModelProto, node: onnx.NodeProto) -> tuple[Column, ...]:
    """The columns of `node`'s first input, which must be a 2-D [N, columns] tensor."""
    columns, rank = _Tracer(model).columns(node.input[0])
    if rank != 2:
        raise PackError(f"expected a 2-D input to {node.op_type}, found rank {rank}")
    return tuple(columns)


class _Tracer:
    """Walks producers back from a tensor to the graph inputs, one op type at a time."""

    def __init__(self, model: onnx.ModelProto) -> None:
        graph = model.graph
        self.producers = {output: node for node in graph.node for output in node.output}
        self.inputs = {value.name: value for value in graph.input}
        self.constants = {tensor.name: tensor for tensor in graph.initializer}

    def columns(self, name: str) -> tuple[list[Column], int]:
        if name in self.inputs:
            element = self.inputs[name].type.tensor_type.elem_type
            if element != onnx.TensorProto.FLOAT:
                raise PackError(
                    f"expected graph input '{name}' to reach the trees as float, found "
                    f"{onnx.TensorProto.DataType.Name(element)} without an encoder"
                )
            return [Column(name)], 2
        node = self.producers.get(name)
        if node is None:
            raise PackError(f"expected a node producing '{name}', found none")
        attributes = {attribute.name: attribute for attribute in node.attribute}
        match node.op_type:
            case "Identity" | "Cast":
                return self.columns(node.input[0])
            case "OneHotEncoder":
                return self._one_hot(node, attributes)
            case "Concat":
                return self._concat(node, attributes)
            case "Reshape":
                return self._reshape(node)
            case other:
                raise PackError(
                    f"expected Identity, Cast, OneHotEncoder, Concat or Reshape before the "
                    f"trees, found {other} producing '{name}'"
                )

    def _one_hot(
        self, node: onnx.NodeProto, attributes: dict[str, onnx.AttributeProto]
    ) -> tuple[list[Column], int]:
        source = node.input[0]
        if source not in self.inputs or "cats_strings" not in attributes:
            raise PackError(
                f"expected OneHotEncoder '{node.name}' to encode a string graph input, "
                f"found input '{source}'"
            )
        categories = [value.decode() for value in attributes["cats_strings"].strings]
        # OneHotEncoder appends a one-hot axis to its [N,1] input.
        return [Column(source, category) for category in categories], 3

    def _concat(
        self, node: onnx.NodeProto, attributes: dict[str, onnx.AttributeProto]
    ) -> tuple[list[Column], int]:
        parts = [self.columns(name) for name in node.input]
        ranks = {rank for _, rank in parts}
        if len(ranks) != 1:
            raise PackError(f"expected Concat '{node.name}' inputs of one rank, found {ranks}")
        rank = ranks.pop()
        axis = attributes["axis"].i
        if axis % rank != rank - 1:
            raise PackError(
                f"expected Concat '{node.name}' on the last axis of rank-{rank} inputs, "
                f"found axis {axis}"
            )
        return [column for columns, _ in parts for column in columns], rank

    def _reshape(self, node: onnx.NodeProto) -> tuple[list[Column], int]:
        columns, _ = self.columns(node.input[0])
        shape = self.constants.get(node.input[1])
        if shape is None:
            raise PackError(f"expected Reshape '{node.name}' to a constant shape, found none")
        target = numpy_helper.to_array(shape).tolist()
        if target not in ([-1, len(columns)], [0, len(columns)]):
            raise PackError(
                f"expected Reshape '{node.name}' to [-1, {len(columns)}], found {target}"
            )
        return columns, 2

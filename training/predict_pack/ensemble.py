"""The branches of a graph's tree ensemble, read back from its attributes, and the paths to
them: what lets a threshold case be steered down to the branch it tests."""

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import onnx

from predict_pack import layout
from predict_pack.errors import PackError
from predict_pack.layout import Column
from predict_pack.schema import Value

NodeKey = tuple[int, int]
TREE_NODES = ("TreeEnsembleClassifier", "TreeEnsembleRegressor")
ATTRIBUTES = (
    "nodes_treeids",
    "nodes_nodeids",
    "nodes_featureids",
    "nodes_values",
    "nodes_modes",
    "nodes_truenodeids",
    "nodes_falsenodeids",
)


@dataclass(frozen=True)
class Branch:
    """A `BRANCH_LEQ` node: go to `true_child` when column value <= `threshold`."""

    key: NodeKey
    column: int
    threshold: np.float32
    true_child: NodeKey
    false_child: NodeKey


@dataclass(frozen=True)
class Step:
    """One branch on the way to a node, and whether the way takes its true side."""

    branch: Branch
    taken: bool


class TreeEnsemble:
    """The branches of the graph's single tree-ensemble node and its input columns.

    Raises `PackError` for any graph it cannot read this way: several ensembles, other
    branch modes, or a tree input that is not the raw inputs (see `layout`).
    """

    def __init__(self, model: onnx.ModelProto) -> None:
        nodes = [node for node in model.graph.node if node.op_type in TREE_NODES]
        if len(nodes) != 1:
            raise PackError(f"expected one tree-ensemble node, found {len(nodes)}")
        self.columns: tuple[Column, ...] = layout.trace(model, nodes[0])
        self.branches: dict[NodeKey, Branch] = _branches(nodes[0], len(self.columns))
        self.parents: dict[NodeKey, Step] = {}
        for branch in self.branches.values():
            self.parents[branch.true_child] = Step(branch, taken=True)
            self.parents[branch.false_child] = Step(branch, taken=False)

    def path(self, key: NodeKey) -> list[Step]:
        """The branches from the root of `key`'s tree down to (not including) `key`."""
        steps: list[Step] = []
        while key in self.parents:
            step = self.parents[key]
            steps.append(step)
            key = step.branch.key
        return steps[::-1]

    def thresholds(self, feature: str) -> dict[np.float32, NodeKey]:
        """Each distinct threshold on a numeric `feature`, with the first branch that uses it."""
        found: dict[np.float32, NodeKey] = {}
        for key in sorted(self.branches):
            branch = self.branches[key]
            if self.columns[branch.column] == Column(feature):
                found.setdefault(branch.threshold, key)
        return dict(sorted(found.items()))

    def reaches(self, key: NodeKey, row: Mapping[str, Value]) -> bool:
        """Whether `row` passes through the node `key` of its tree."""
        vector = self._vector(row)
        return all(
            (vector[step.branch.column] <= step.branch.threshold) == step.taken
            for step in self.path(key)
        )

    def _vector(self, row: Mapping[str, Value]) -> np.ndarray:
        """The tree input the graph computes for `row`: one-hot columns and float32 numbers
        (NaN for a null, which no `<=` branch takes)."""
        values = [
            (
                np.float32(np.nan if row[column.feature] is None else row[column.feature])
                if column.category is None
                else np.float32(row[column.feature] == column.category)
            )
            for column in self.columns
        ]
        return np.array(values, dtype=np.float32)


def read(model: onnx.ModelProto) -> TreeEnsemble | None:
    """The graph's tree ensemble, or None when it has none this module can follow."""
    try:
        return TreeEnsemble(model)
    except PackError:
        return None


def _branches(node: onnx.NodeProto, width: int) -> dict[NodeKey, Branch]:
    attributes = {
        attribute.name: onnx.helper.get_attribute_value(attribute) for attribute in node.attribute
    }
    missing = [name for name in ATTRIBUTES if name not in attributes]
    if missing:
        raise PackError(f"expected {node.op_type} attributes {missing}, found none")
    sizes = {name: len(attributes[name]) for name in ATTRIBUTES}
    if len(set(sizes.values())) != 1:
        raise PackError(f"expected the nodes_* attributes to have one length, found {sizes}")
    branches: dict[NodeKey, Branch] = {}
    for tree, ident, feature, value, mode, true_id, false_id in zip(
        *(attributes[name] for name in ATTRIBUTES), strict=True
    ):
        match mode.decode():
            case "LEAF":
                continue
            case "BRANCH_LEQ":
                pass
            case other:
                raise PackError(
                    f"expected BRANCH_LEQ or LEAF in nodes_modes, found {other} at tree {tree} "
                    f"node {ident}"
                )
        if not 0 <= feature < width:
            raise PackError(
                f"expected nodes_featureids below the tree input width {width}, found {feature} "
                f"at tree {tree} node {ident}"
            )
        branches[(tree, ident)] = Branch(
            key=(tree, ident),
            column=feature,
            threshold=np.float32(value),
            true_child=(tree, true_id),
            false_child=(tree, false_id),
        )
    return branches

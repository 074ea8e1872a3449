"""The branch nodes of the exported TreeEnsembleClassifier, read back from its attributes."""

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import onnx

from bank_marketing import layout
from bank_marketing.errors import TrainingError
from bank_marketing.layout import Column

NodeKey = tuple[int, int]


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
    """The branches of the model's single TreeEnsembleClassifier and its input columns."""

    def __init__(self, model: onnx.ModelProto) -> None:
        nodes = [node for node in model.graph.node if node.op_type == "TreeEnsembleClassifier"]
        if len(nodes) != 1:
            raise TrainingError(f"expected one TreeEnsembleClassifier, found {len(nodes)}")
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

    def vector(self, row: Mapping[str, float | str]) -> np.ndarray:
        """The tree input the graph computes for `row`: one-hot columns and float32 numbers."""
        values = [
            (
                np.float32(row[column.feature])
                if column.category is None
                else np.float32(row[column.feature] == column.category)
            )
            for column in self.columns
        ]
        return np.array(values, dtype=np.float32)

    def reaches(self, key: NodeKey, row: Mapping[str, float | str]) -> bool:
        """Whether `row` passes through the node `key` of its tree."""
        vector = self.vector(row)
        return all(
            (vector[step.branch.column] <= step.branch.threshold) == step.taken
            for step in self.path(key)
        )


def _branches(node: onnx.NodeProto, width: int) -> dict[NodeKey, Branch]:
    attributes = {
        attribute.name: onnx.helper.get_attribute_value(attribute) for attribute in node.attribute
    }
    names = (
        "nodes_treeids",
        "nodes_nodeids",
        "nodes_featureids",
        "nodes_values",
        "nodes_modes",
        "nodes_truenodeids",
        "nodes_falsenodeids",
    )
    missing = [name for name in names if name not in attributes]
    if missing:
        raise TrainingError(f"expected TreeEnsembleClassifier attributes {missing}, found none")
    sizes = {name: len(attributes[name]) for name in names}
    if len(set(sizes.values())) != 1:
        raise TrainingError(f"expected the nodes_* attributes to have one length, found {sizes}")
    branches: dict[NodeKey, Branch] = {}
    for tree, ident, feature, value, mode, true_id, false_id in zip(
        *(attributes[name] for name in names), strict=True
    ):
        match mode.decode():
            case "LEAF":
                continue
            case "BRANCH_LEQ":
                pass
            case other:
                raise TrainingError(
                    f"expected BRANCH_LEQ or LEAF in nodes_modes, found {other} at tree {tree} "
                    f"node {ident}"
                )
        if not 0 <= feature < width:
            raise TrainingError(
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

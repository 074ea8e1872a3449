"""ai.onnx.ml TreeEnsemble (opset 5), which no converter writes yet: graphs built with
`onnx.helper`, from fitted scikit-learn trees and by hand.

Opset 5 keeps branches in `nodes_*` and leaves in `leaf_*`, each pointing at the other by
position; a leaf feeds one target. The scikit-learn families check onnxruntime's answers on
the held-out rows against `predict_proba` before they are written, so a translation slip
cannot become a fixture.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from skl2onnx.common.data_types import DoubleTensorType, FloatTensorType
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier

from onnx_fixtures import data, expected
from onnx_fixtures.family import Fitted

SEED = data.SEED
OPSETS = [helper.make_opsetid("", 17), helper.make_opsetid("ai.onnx.ml", 5)]
# ai.onnx.ml opset 5 needs IR version 10.
IR_VERSION = 10
# The codes of opset 5's enumerations: nodes_modes, aggregate_function, post_transform.
LEQ, LT, GTE, GT, EQ, NEQ, MEMBER = range(7)
AVERAGE, SUM, MIN, MAX = range(4)
NONE, SOFTMAX, LOGISTIC, SOFTMAX_ZERO, PROBIT = range(5)
# How far onnxruntime may stray from scikit-learn: the graph computes in float32.
SKLEARN_TOLERANCE = 1e-4


@dataclass(frozen=True)
class Leaf:
    target: int
    weight: float


@dataclass(frozen=True)
class Split:
    """A branch: `true` when input `feature` compares true with `value` under `mode`, or is
    in `members` for MEMBER; NaN goes to `true` when `missing`."""

    feature: int
    mode: int
    value: float
    true: "Split | Leaf"
    false: "Split | Leaf"
    missing: bool = False
    members: tuple[float, ...] = ()


@dataclass
class Ensemble:
    """The attribute arrays of one TreeEnsemble node, grown tree by tree."""

    roots: list[int] = field(default_factory=list)
    features: list[int] = field(default_factory=list)
    modes: list[int] = field(default_factory=list)
    splits: list[float] = field(default_factory=list)
    true_ids: list[int] = field(default_factory=list)
    true_leafs: list[int] = field(default_factory=list)
    false_ids: list[int] = field(default_factory=list)
    false_leafs: list[int] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)
    members: list[float] = field(default_factory=list)
    targets: list[int] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)

    def tree(self, root: Split | Leaf) -> int:
        """Adds a tree and returns its root node. A lone leaf becomes the spec's one-leaf
        tree: a node whose true and false branches are that same leaf."""
        if isinstance(root, Leaf):
            position = self._branch(Split(0, LEQ, 0.0, root, root))
            leaf = self._leaf(root)
            self.true_ids[position] = self.false_ids[position] = leaf
            self.true_leafs[position] = self.false_leafs[position] = 1
        else:
            position = self._add(root)
        self.roots.append(position)
        return position

    def _branch(self, split: Split) -> int:
        """Appends the node of `split` with its children still unset."""
        position = len(self.features)
        self.features.append(split.feature)
        self.modes.append(split.mode)
        self.splits.append(split.value)
        self.missing.append(int(split.missing))
        if split.mode == MEMBER:
            self.members.extend([*split.members, np.nan])
        for ids, leafs in ((self.true_ids, self.true_leafs), (self.false_ids, self.false_leafs)):
            ids.append(-1)
            leafs.append(0)
        return position

    def _add(self, split: Split) -> int:
        position = self._branch(split)
        for child, ids, leafs in (
            (split.true, self.true_ids, self.true_leafs),
            (split.false, self.false_ids, self.false_leafs),
        ):
            if isinstance(child, Leaf):
                ids[position] = self._leaf(child)
                leafs[position] = 1
            else:
                ids[position] = self._add(child)
        return position

    def _leaf(self, leaf: Leaf) -> int:
        self.targets.append(leaf.target)
        self.weights.append(leaf.weight)
        return len(self.weights) - 1

    def node(
        self,
        output: str,
        dtype: type,
        targets: int,
        aggregate: int = SUM,
        transform: int = NONE,
    ) -> onnx.NodeProto:
        """The TreeEnsemble node reading graph input `input` into `output`."""
        attributes = {
            "tree_roots": self.roots,
            "nodes_featureids": self.features,
            "nodes_modes": _tensor(self.modes, np.uint8),
            "nodes_splits": _tensor(self.splits, dtype),
            "nodes_truenodeids": self.true_ids,
            "nodes_trueleafs": self.true_leafs,
            "nodes_falsenodeids": self.false_ids,
            "nodes_falseleafs": self.false_leafs,
            "leaf_targetids": self.targets,
            "leaf_weights": _tensor(self.weights, dtype),
            "n_targets": targets,
            "aggregate_function": aggregate,
            "post_transform": transform,
        }
        if any(self.missing):
            attributes["nodes_missing_value_tracks_true"] = self.missing
        if self.members:
            attributes["membership_values"] = _tensor(self.members, dtype)
        return helper.make_node(
            "TreeEnsemble", ["input"], [output], name=output, domain="ai.onnx.ml", **attributes
        )


def _tensor(values: list[float] | list[int], dtype: type) -> onnx.TensorProto:
    return numpy_helper.from_array(np.asarray(values, dtype=dtype))


def _model(
    nodes: list[onnx.NodeProto],
    dtype: type,
    width: int,
    outputs: list[tuple[str, int, list[int | None]]],
) -> onnx.ModelProto:
    element = TensorProto.DOUBLE if dtype == np.float64 else TensorProto.FLOAT
    graph = helper.make_graph(
        nodes,
        "ensemble_v5",
        [helper.make_tensor_value_info("input", element, [None, width])],
        [helper.make_tensor_value_info(name, kind, shape) for name, kind, shape in outputs],
    )
    model = helper.make_model(
        graph,
        opset_imports=OPSETS,
        producer_name="onnx.helper",
        producer_version=onnx.__version__,
    )
    model.ir_version = IR_VERSION
    return model


def _label(probabilities: str = "probabilities") -> onnx.NodeProto:
    """The label as the first most probable class, which is the class itself here."""
    return helper.make_node("ArgMax", [probabilities], ["label"], axis=1, keepdims=0)


def _sklearn_tree(tree: object, leaf: Callable[[int], Leaf], position: int = 0) -> Split | Leaf:
    """A fitted scikit-learn tree as `Split`s: `x <= threshold` goes left (true), and NaN
    goes where the tree learnt to send it."""
    left = int(tree.children_left[position])
    if left == -1:
        return leaf(position)
    return Split(
        feature=int(tree.feature[position]),
        mode=LEQ,
        value=float(tree.threshold[position]),
        true=_sklearn_tree(tree, leaf, left),
        false=_sklearn_tree(tree, leaf, int(tree.children_right[position])),
        missing=bool(tree.missing_go_to_left[position]),
    )


def _check(model: onnx.ModelProto, rows: np.ndarray, want: np.ndarray) -> None:
    """Refuses a translation whose probabilities stray from scikit-learn's."""
    got = expected.session(model).run(["probabilities"], {"input": rows})[0]
    worst = float(np.max(np.abs(got - want)))
    if worst > SKLEARN_TOLERANCE:
        raise AssertionError(f"onnxruntime strays {worst} from scikit-learn's predict_proba")


def gradient_boosting() -> Fitted:
    """GradientBoosting on iris: one tree per stage and class, SUM, the prior as one
    one-leaf tree per class (after the stages); Softmax and ArgMax outside the ensemble."""
    iris = data.iris()
    model = GradientBoostingClassifier(n_estimators=6, max_depth=2, random_state=SEED)
    model.fit(iris.train_x, iris.train_y)
    classes = model.n_classes_
    ensemble = Ensemble()
    rate = model.learning_rate
    for stage in model.estimators_:
        for target, estimator in enumerate(stage):
            values = estimator.tree_.value[:, 0, 0]
            ensemble.tree(
                _sklearn_tree(
                    estimator.tree_, lambda n, t=target, v=values: Leaf(t, rate * float(v[n]))
                )
            )
    # The raw prior per class: the decision function less every stage, on any row.
    row = iris.test_x[:1]
    staged = [
        sum(rate * stage[k].predict(row)[0] for stage in model.estimators_) for k in range(classes)
    ]
    prior = model.decision_function(row)[0] - np.array(staged)
    for target in range(classes):
        ensemble.tree(Leaf(target, float(prior[target])))
    nodes = [
        ensemble.node("scores", np.float32, classes),
        helper.make_node("Softmax", ["scores"], ["probabilities"], axis=1),
        _label(),
    ]
    onnx_model = _model(
        nodes,
        np.float32,
        iris.train_x.shape[1],
        [
            ("label", TensorProto.INT64, [None]),
            ("probabilities", TensorProto.FLOAT, [None, classes]),
            ("scores", TensorProto.FLOAT, [None, classes]),
        ],
    )
    _check(onnx_model, iris.test_x, model.predict_proba(iris.test_x))
    width = iris.train_x.shape[1]
    return Fitted(
        onnx_model, [("input", FloatTensorType([None, width]))], {"input": iris.test_x}, "onnx"
    )


def random_forest_double() -> Fitted:
    """RandomForest on the synthetic set with NaNs, double input: each tree once per class
    (a leaf feeds one target), weights its class fraction over the tree count, SUM."""
    base = data.with_missing()
    train_x = base.train_x.astype(np.float64)
    test_x = base.test_x.astype(np.float64)
    model = RandomForestClassifier(n_estimators=4, max_depth=3, random_state=SEED)
    model.fit(train_x, base.train_y)
    classes = model.n_classes_
    trees = len(model.estimators_)
    ensemble = Ensemble()
    for estimator in model.estimators_:
        counts = estimator.tree_.value[:, 0, :]
        fractions = counts / counts.sum(axis=1, keepdims=True)
        for target in range(classes):
            ensemble.tree(
                _sklearn_tree(
                    estimator.tree_,
                    lambda n, t=target, f=fractions: Leaf(t, float(f[n, t]) / trees),
                )
            )
    nodes = [ensemble.node("probabilities", np.float64, classes), _label()]
    onnx_model = _model(
        nodes,
        np.float64,
        train_x.shape[1],
        [
            ("label", TensorProto.INT64, [None]),
            ("probabilities", TensorProto.DOUBLE, [None, classes]),
        ],
    )
    _check(onnx_model, test_x, model.predict_proba(test_x))
    width = train_x.shape[1]
    return Fitted(
        onnx_model, [("input", DoubleTensorType([None, width]))], {"input": test_x}, "onnx"
    )


# Hand-made ensemble over 4 features: x0 and x1 continuous, x2 a small category code
# (MEMBER of a set onnxruntime tests exactly), x3 a large one (a set it truncates x into).
SMALL_SET = (0.0, 1.0, 3.0)
LARGE_SET = (3.0, 40.0, 100.0)
HANDMADE_ROWS = [
    [0.25, 0.0, 1.0, 3.0],
    [0.25, -0.5, 2.0, 40.5],
    [0.75, -2.0, 3.0, 100.0],
    [1.0, 1.5, 4.0, 7.0],
    [1.0, 0.25, 4.0, -3.9],
    [2.5, 0.25, 5.0, 0.0],
    [1.0, 0.5, 3.5, 99.99],
    [0.5, -1.25, 1.0000001, 3.7],
]
# Inputs the generic edge cases miss: members given as fractions, -0, NaN, out of int32.
HANDMADE_CASES = {
    "member_fractions": [[0.25, 0.0, 0.5, 100.9], [0.25, 0.0, 2.9999998, 2.9999998]],
    "member_negative": [[0.25, 0.0, -0.0, -0.5], [0.25, 0.0, -1.0, -3.0]],
    "member_nan": [[0.25, 0.0, np.nan, 3.0], [1.0, 1.5, 4.0, np.nan]],
    "member_out_of_int32": [[1.0, 1.5, 4.0, 3e9], [1.0, 1.5, 4.0, -np.inf]],
}


def _handmade_trees(target: Callable[[int], int]) -> Ensemble:
    """Every mode, missing values sent both ways, a one-leaf tree, and a tree that starts
    inside another (tree roots may share nodes). `target` maps each leaf's target."""

    def leaf(target_id: int, weight: float) -> Leaf:
        return Leaf(target(target_id), weight)

    ensemble = Ensemble()
    small = Split(2, MEMBER, 0.0, leaf(0, 0.6), leaf(1, 0.3), missing=True, members=SMALL_SET)
    ensemble.tree(
        Split(0, LEQ, 0.5, small, Split(1, GT, -1.25, leaf(2, 0.45), leaf(0, 0.15)), missing=True)
    )
    ensemble.tree(
        Split(
            3,
            MEMBER,
            0.0,
            Split(0, LT, 2.0, leaf(1, 0.7), leaf(2, 0.2), missing=True),
            Split(
                1,
                GTE,
                0.75,
                leaf(0, 0.25),
                Split(
                    2,
                    EQ,
                    4.0,
                    leaf(1, 0.05),
                    Split(0, NEQ, 1.0, leaf(2, 0.35), leaf(0, 0.55)),
                    missing=True,
                ),
            ),
            members=LARGE_SET,
        )
    )
    ensemble.tree(leaf(2, 0.1))
    # The small MEMBER node is the first tree's true child: a fourth tree starts there.
    ensemble.roots.append(ensemble.true_ids[ensemble.roots[0]])
    return ensemble


def handmade(dtype: type = np.float32) -> Fitted:
    """Three targets under every aggregate function and post transform, and one target:
    `probabilities` SUM + SOFTMAX_ZERO, `sum` SUM, `average` AVERAGE + PROBIT, `minimum`
    MIN + SOFTMAX (1), `maximum` MAX + LOGISTIC (2), `single_target` SUM + LOGISTIC on
    one target."""
    three = _handmade_trees(lambda target: target)
    one = _handmade_trees(lambda _: 0)
    element = TensorProto.DOUBLE if dtype == np.float64 else TensorProto.FLOAT
    nodes = [
        three.node("probabilities", dtype, 3, SUM, SOFTMAX_ZERO),
        _label(),
        three.node("sum", dtype, 3),
        three.node("average", dtype, 3, AVERAGE, PROBIT),
        three.node("minimum", dtype, 3, MIN, SOFTMAX),
        three.node("maximum", dtype, 3, MAX, LOGISTIC),
        one.node("single_target", dtype, 1, SUM, LOGISTIC),
    ]
    outputs = [("label", TensorProto.INT64, [None])]
    outputs += [
        (name, element, [None, 3])
        for name in ("probabilities", "sum", "average", "minimum", "maximum")
    ]
    outputs.append(("single_target", element, [None, 1]))
    width = len(HANDMADE_ROWS[0])
    tensor = DoubleTensorType if dtype == np.float64 else FloatTensorType
    return Fitted(
        _model(nodes, dtype, width, outputs),
        [("input", tensor([None, width]))],
        {"input": np.asarray(HANDMADE_ROWS, dtype=dtype)},
        "onnx",
        extra={
            name: {"input": np.asarray(rows, dtype=dtype)} for name, rows in HANDMADE_CASES.items()
        },
    )


def handmade_double() -> Fitted:
    return handmade(np.float64)

"""Meta-estimators: AdaBoost (SAMME), hard voting, one-vs-rest, and radius neighbours.

They exercise the ai.onnx ops skl2onnx composes them from (ConstantOfShape, CumSum, Slice,
LpNormalization, ...), with string labels in some and non-contiguous integers in others.
"""

import numpy as np
from sklearn.ensemble import AdaBoostClassifier, VotingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import RadiusNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier

from onnx_fixtures import data
from onnx_fixtures.family import Fitted, numeric

SEED = data.SEED
# Class labels that are neither 0..n-1 nor in the estimators' index order.
SPARSE = np.array([11, 2, 5])
IRIS_NAMES = np.array(["setosa", "versicolor", "virginica"])
EXTRA_ROWS = 8


def _relabel(base: data.Numeric, names: np.ndarray) -> data.Numeric:
    return data.Numeric(base.train_x, names[base.train_y], base.test_x)


def adaboost_samme() -> Fitted:
    """Ten stumps on iris with labels 11, 2 and 5 (SAMME, scikit-learn's only algorithm)."""
    model = AdaBoostClassifier(n_estimators=10, random_state=SEED)
    return numeric(model, _relabel(data.iris(), SPARSE))


def adaboost_samme_binary() -> Fitted:
    """Eight depth-2 trees on breast cancer with labels 'benign' and 'malignant'."""
    model = AdaBoostClassifier(
        DecisionTreeClassifier(max_depth=2, random_state=SEED), n_estimators=8, random_state=SEED
    )
    return numeric(model, _relabel(data.breast_cancer(), np.array(["malignant", "benign"])))


def voting_hard() -> Fitted:
    """Three voters on iris, string labels; the extra rows are ones where all three disagree,
    so the vote ties and the first class in label order wins."""
    voters = [
        ("logreg", LogisticRegression(max_iter=1000)),
        ("tree", DecisionTreeClassifier(max_depth=2, random_state=SEED)),
        ("bayes", GaussianNB()),
    ]
    model = VotingClassifier(voters, voting="hard", flatten_transform=False)
    fitted = numeric(model, _relabel(data.iris(), IRIS_NAMES))
    ties = _disagreements(model, [estimator for estimator in model.estimators_])
    return Fitted(fitted.model, fitted.inputs, fitted.rows, extra={"ties": {"input": ties}})


def _disagreements(model: VotingClassifier, voters: list) -> np.ndarray:
    """Seeded rows inside iris's range on which every voter predicts a different class."""
    rng = np.random.default_rng(SEED)
    low = data.iris().train_x.min(axis=0)
    high = data.iris().train_x.max(axis=0)
    candidates = rng.uniform(low, high, size=(4000, low.size)).astype(np.float32)
    votes = np.stack([voter.predict(candidates) for voter in voters], axis=1)
    distinct = np.array([len(set(row)) == len(voters) for row in votes])
    found = candidates[distinct][:EXTRA_ROWS]
    assert len(found) > 0, "no tied rows found"
    return found


def one_vs_rest() -> Fitted:
    """One LogisticRegression per class on wine, labels 11, 2 and 5."""
    model = OneVsRestClassifier(LogisticRegression(max_iter=5000))
    return numeric(model, _relabel(data.wine(), SPARSE))


def one_vs_rest_binary() -> Fitted:
    """Two classes: scikit-learn fits a single estimator."""
    model = OneVsRestClassifier(LogisticRegression(max_iter=5000))
    return numeric(model, _relabel(data.synthetic(2), np.array(["no", "yes"])))


def radius_neighbors() -> Fitted:
    """RadiusNeighbors on iris, distance weights, string labels.

    skl2onnx 1.20 ignores `outlier_label`, and its graph gives every training row outside the
    radius the gather index -1, which onnxruntime's ArrayFeatureExtractor refuses: the graph
    only runs on rows with every training row within the radius. So the radius spans the
    data, the generic edge cases (zeros, NaN, ±1e9) are left out, and the extra rows put the
    farthest training row just inside the radius.
    """
    model = RadiusNeighborsClassifier(radius=RADIUS, weights="distance")
    fitted = numeric(model, _relabel(data.iris(), IRIS_NAMES))
    extra = {
        f"boundary_{fraction}": {"input": _near_boundary(fraction)} for fraction in (0.99, 0.999)
    }
    return Fitted(fitted.model, fitted.inputs, fitted.rows, extra=extra, edge_cases=False)


RADIUS = 7.5


def _near_boundary(fraction: float) -> np.ndarray:
    """Held-out rows moved away from their farthest training row to `fraction` of the radius,
    kept where no other training row then lies farther."""
    train = data.iris().train_x.astype(np.float64)
    rows = data.iris().test_x.astype(np.float64)
    farthest = train[np.linalg.norm(rows[:, None] - train[None], axis=2).argmax(axis=1)]
    direction = rows - farthest
    direction /= np.linalg.norm(direction, axis=1, keepdims=True)
    moved = (farthest + direction * RADIUS * fraction).astype(np.float32)
    reach = np.linalg.norm(moved[:, None].astype(np.float64) - train[None], axis=2).max(axis=1)
    inside = moved[reach < RADIUS * (fraction + 1e-5)][:EXTRA_ROWS]
    assert len(inside) > 0, "no row lands near the boundary"
    return inside

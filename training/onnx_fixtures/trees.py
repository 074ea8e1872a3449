"""scikit-learn's tree families: TreeEnsembleClassifier, shallow and few, so fixtures stay small."""

from sklearn.ensemble import (
    ExtraTreesClassifier,
    GradientBoostingClassifier,
    HistGradientBoostingClassifier,
    RandomForestClassifier,
)
from sklearn.tree import DecisionTreeClassifier

from onnx_fixtures import data
from onnx_fixtures.family import Fitted, numeric

SEED = data.SEED


def decision_tree() -> Fitted:
    return numeric(DecisionTreeClassifier(max_depth=4, random_state=SEED), data.wine())


def decision_tree_binary() -> Fitted:
    return numeric(DecisionTreeClassifier(max_depth=4, random_state=SEED), data.breast_cancer())


def random_forest() -> Fitted:
    model = RandomForestClassifier(n_estimators=5, max_depth=4, random_state=SEED)
    return numeric(model, data.breast_cancer())


def random_forest_multiclass() -> Fitted:
    model = RandomForestClassifier(n_estimators=5, max_depth=3, random_state=SEED)
    return numeric(model, data.iris())


def extra_trees() -> Fitted:
    model = ExtraTreesClassifier(n_estimators=5, max_depth=4, random_state=SEED)
    return numeric(model, data.wine())


def gradient_boosting_binary() -> Fitted:
    model = GradientBoostingClassifier(n_estimators=10, max_depth=2, random_state=SEED)
    return numeric(model, data.breast_cancer())


def gradient_boosting_multiclass() -> Fitted:
    model = GradientBoostingClassifier(n_estimators=8, max_depth=2, random_state=SEED)
    return numeric(model, data.iris())


def hist_gradient_boosting_binary() -> Fitted:
    """Trained with NaNs, so some nodes send missing values to the true branch."""
    model = HistGradientBoostingClassifier(max_iter=10, max_depth=3, random_state=SEED)
    return numeric(model, data.with_missing())


def hist_gradient_boosting_multiclass() -> Fitted:
    model = HistGradientBoostingClassifier(max_iter=6, max_depth=3, random_state=SEED)
    return numeric(model, data.synthetic(3))

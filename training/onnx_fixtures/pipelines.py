"""Pipelines: scalers in front of trees (threshold landings), and ColumnTransformer fronts with
imputers and one-hot encoders on mixed frames, around scikit-learn, XGBoost and LightGBM."""

from typing import Any

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import MinMaxScaler, Normalizer, OneHotEncoder, StandardScaler
from sklearn.tree import DecisionTreeClassifier

from onnx_fixtures import boosting, data
from onnx_fixtures.family import Fitted, mixed, numeric

SEED = data.SEED


def scaler_tree() -> Fitted:
    model = make_pipeline(StandardScaler(), DecisionTreeClassifier(max_depth=4, random_state=SEED))
    return numeric(model, data.breast_cancer())


def minmax_gradient_boosting() -> Fitted:
    model = make_pipeline(
        MinMaxScaler(),
        GradientBoostingClassifier(n_estimators=6, max_depth=2, random_state=SEED),
    )
    return numeric(model, data.wine())


def normalizer_logreg() -> Fitted:
    return numeric(make_pipeline(Normalizer(), LogisticRegression(max_iter=2000)), data.wine())


def front(frame: data.Mixed, scale: bool = True) -> ColumnTransformer:
    """Numeric: median imputer (then StandardScaler); integer: MinMaxScaler; categories: blank
    imputed as 'missing', then one-hot with unseen categories encoded as all zeros."""
    numeric_steps: list[Any] = [SimpleImputer(strategy="median")]
    if scale:
        numeric_steps.append(StandardScaler())
    categorical = make_pipeline(
        SimpleImputer(strategy="constant", missing_values="", fill_value="missing"),
        OneHotEncoder(handle_unknown="ignore"),
    )
    return ColumnTransformer(
        [
            ("numeric", make_pipeline(*numeric_steps), list(frame.numeric)),
            ("integer", MinMaxScaler(), list(frame.integer)),
            ("categorical", categorical, list(frame.categorical)),
        ]
    )


def mixed_logreg() -> Fitted:
    frame = data.mixed(2)
    model = Pipeline([("front", front(frame)), ("model", LogisticRegression(max_iter=2000))])
    return mixed(model, frame)


def mixed_random_forest() -> Fitted:
    frame = data.mixed(3)
    forest = RandomForestClassifier(n_estimators=4, max_depth=4, random_state=SEED)
    return mixed(Pipeline([("front", front(frame, scale=False)), ("model", forest)]), frame)


def _codes(frame: data.Mixed) -> np.ndarray:
    """XGBoost and LightGBM want integer classes: the label's index among the sorted labels."""
    return np.searchsorted(np.unique(frame.train_y), frame.train_y)


def mixed_xgb(classes: int) -> Fitted:
    frame = data.mixed(classes)
    model = Pipeline([("front", front(frame, scale=False)), ("model", boosting.xgboost())])
    return mixed(model, frame, labels=_codes(frame))


def mixed_lgbm(classes: int) -> Fitted:
    frame = data.mixed(classes)
    model = Pipeline([("front", front(frame, scale=False)), ("model", boosting.lightgbm())])
    return mixed(model, frame, labels=_codes(frame))


def _infrequent_front(frame: data.Mixed, **encoder: Any) -> ColumnTransformer:
    """Numbers imputed and scaled; the two category columns one-hot encoded straight from the
    graph inputs with rare categories pooled into one "infrequent" column. skl2onnx 1.20
    converts infrequent categories only when the encoder reads one graph input per column (an
    imputer in front would hand it one `[N, 2]` tensor, which it refuses)."""
    numbers = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
    return ColumnTransformer(
        [
            ("numeric", numbers, list(frame.numeric)),
            ("integer", MinMaxScaler(), list(frame.integer)),
            ("categorical", OneHotEncoder(**encoder), list(frame.categorical)),
        ]
    )


def ohe_min_frequency_logreg() -> Fitted:
    """`min_frequency`: categories seen fewer times than that share the infrequent column;
    unseen ones (`handle_unknown='ignore'`) are all zeros."""
    frame = data.mixed(2)
    front = _infrequent_front(frame, min_frequency=60, handle_unknown="ignore")
    return mixed(Pipeline([("front", front), ("model", LogisticRegression(max_iter=2000))]), frame)


def ohe_max_categories_random_forest() -> Fitted:
    """`max_categories=2`: the most frequent category of each column keeps its own column."""
    frame = data.mixed(3)
    front = _infrequent_front(frame, max_categories=2, handle_unknown="ignore")
    forest = RandomForestClassifier(n_estimators=4, max_depth=4, random_state=SEED)
    return mixed(Pipeline([("front", front), ("model", forest)]), frame)

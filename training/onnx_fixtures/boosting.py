"""XGBoost and LightGBM, converted directly with onnxmltools (its default, irregular graphs:
old IR versions, no default-domain opset import, a label declared `[1]`), and CatBoost as its
own `save_model(format="onnx")` writes it (ai.onnx.ml opset 2 alone, ZipMap over int64 or
string class labels)."""

import numpy as np
from catboost import CatBoostClassifier
from lightgbm import LGBMClassifier
from skl2onnx.common.data_types import FloatTensorType
from xgboost import XGBClassifier

from onnx_fixtures import data
from onnx_fixtures.family import Fitted, numeric

SEED = data.SEED


def xgboost() -> XGBClassifier:
    return XGBClassifier(n_estimators=6, max_depth=3, random_state=SEED, n_jobs=1)


def lightgbm() -> LGBMClassifier:
    return LGBMClassifier(
        n_estimators=6, num_leaves=7, max_depth=3, random_state=SEED, n_jobs=1, verbose=-1
    )


def xgb_binary() -> Fitted:
    return numeric(xgboost(), data.breast_cancer(), converter="onnxmltools")


def xgb_multiclass() -> Fitted:
    return numeric(xgboost(), data.iris(), converter="onnxmltools")


def xgb_missing() -> Fitted:
    """Trained with NaNs: XGBoost's learnt default directions become missing-tracks-true."""
    return numeric(xgboost(), data.with_missing(), converter="onnxmltools")


def lgbm_binary() -> Fitted:
    return numeric(lightgbm(), data.breast_cancer(), converter="onnxmltools")


def lgbm_multiclass() -> Fitted:
    return numeric(lightgbm(), data.iris(), converter="onnxmltools")


def lgbm_missing() -> Fitted:
    return numeric(lightgbm(), data.with_missing(), converter="onnxmltools")


def catboost() -> CatBoostClassifier:
    # One thread: CatBoost's trees, and so the fixture's bytes, then depend on the seed alone.
    return CatBoostClassifier(
        iterations=8,
        depth=4,
        random_seed=SEED,
        thread_count=1,
        verbose=False,
        allow_writing_files=False,
    )


def _catboost_fitted(base: data.Numeric) -> Fitted:
    """CatBoost's exporter names its one `[N, width]` float input `features`."""
    model = catboost().fit(base.train_x, base.train_y)
    width = base.train_x.shape[1]
    features = FloatTensorType([None, width])
    return Fitted(model, [("features", features)], {"features": base.test_x}, "catboost")


def _relabelled(base: data.Numeric, labels: tuple[int, ...] | tuple[str, ...]) -> data.Numeric:
    """`base` with class i renamed labels[i]: non-contiguous integers or strings."""
    return data.Numeric(base.train_x, np.asarray(labels)[base.train_y], base.test_x)


def catboost_binary() -> Fitted:
    """Two classes named 3 and 10: the ZipMap's int64 keys are the labels, not 0 and 1."""
    return _catboost_fitted(_relabelled(data.breast_cancer(), (3, 10)))


def catboost_multiclass() -> Fitted:
    """Three classes named 1, 4 and 7, softmax over the trees' sums."""
    return _catboost_fitted(_relabelled(data.wine(), (1, 4, 7)))


def catboost_strings() -> Fitted:
    """String class names: CatBoost writes classlabels_strings and a string-keyed ZipMap."""
    names = ("setosa", "versicolor", "virginica")
    return _catboost_fitted(_relabelled(data.iris(), names))


def catboost_missing() -> Fitted:
    """Trained with NaNs (CatBoost's default `nan_mode='Min'`): NaN goes where the smallest
    value goes."""
    return _catboost_fitted(data.with_missing())

"""XGBoost and LightGBM, converted directly with onnxmltools (its default, irregular graphs:
old IR versions, no default-domain opset import, a label declared `[1]`)."""

from lightgbm import LGBMClassifier
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

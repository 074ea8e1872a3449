"""Export to ONNX: skl2onnx for scikit-learn (XGBoost and LightGBM registered inside it) and
onnxmltools' own converters for XGBoost and LightGBM on their own."""

import tempfile
from pathlib import Path
from typing import Any

import onnx
import onnxmltools
from onnxmltools.convert.common.data_types import FloatTensorType as MLFloatTensorType
from predict_pack.convert import TARGET_OPSET, allowed_options, register, sort_opsets
from predict_pack.estimator import final
from skl2onnx import to_onnx
from xgboost import XGBClassifier

from onnx_fixtures import compat
from onnx_fixtures.family import Family, Fitted

# skl2onnx graphs use the opsets the packer pins (TARGET_OPSET). onnxmltools' direct
# converters run with their own defaults, which are what a data team gets and what the
# runtime must accept.


def export(family: Family, fitted: Fitted) -> onnx.ModelProto:
    """The family's ONNX model, with its opset imports sorted so the bytes are reproducible."""
    if fitted.converter == "onnx":
        model = onnx.ModelProto()
        model.CopyFrom(fitted.model)
    elif fitted.converter == "onnxmltools":
        model = _direct(family, fitted)
    elif fitted.converter == "catboost":
        model = _catboost(fitted)
    else:
        register()
        compat.patch_hist_gradient_boosting()
        classifier = final(fitted.model)
        options: dict[int, Any] = {}
        if not family.zipmap and "zipmap" in allowed_options(classifier):
            options[id(classifier)] = {"zipmap": False}
        model = to_onnx(
            fitted.model,
            initial_types=fitted.inputs,
            options=options,
            target_opset=dict(TARGET_OPSET),
        )
    sort_opsets(model)
    model.graph.name = family.name
    return model


def _direct(family: Family, fitted: Fitted) -> onnx.ModelProto:
    inputs = [(name, MLFloatTensorType(kind.shape)) for name, kind in fitted.inputs]
    if isinstance(fitted.model, XGBClassifier):
        return onnxmltools.convert_xgboost(fitted.model, initial_types=inputs)
    return onnxmltools.convert_lightgbm(fitted.model, initial_types=inputs, zipmap=family.zipmap)


# CatBoost stamps these metadata entries anew on every fit; dropped so the bytes reproduce.
CATBOOST_VOLATILE = ("train_finish_time", "model_guid")


def _catboost(fitted: Fitted) -> onnx.ModelProto:
    """CatBoost writes ONNX only to a file."""
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "model.onnx"
        fitted.model.save_model(str(path), format="onnx")
        model = onnx.load(str(path))
    kept = [entry for entry in model.metadata_props if entry.key not in CATBOOST_VOLATILE]
    del model.metadata_props[:]
    model.metadata_props.extend(kept)
    return model

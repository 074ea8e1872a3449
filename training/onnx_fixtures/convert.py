"""Export to ONNX: skl2onnx for scikit-learn (XGBoost and LightGBM registered inside it) and
onnxmltools' own converters for XGBoost and LightGBM on their own."""

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

"""Export to ONNX: skl2onnx for scikit-learn (XGBoost and LightGBM registered inside it) and
onnxmltools' own converters for XGBoost and LightGBM on their own."""

from functools import cache
from typing import Any

import onnx
import onnxmltools
from lightgbm import LGBMClassifier
from onnxmltools.convert.common.data_types import FloatTensorType as MLFloatTensorType
from onnxmltools.convert.lightgbm.operator_converters.LightGbm import convert_lightgbm
from onnxmltools.convert.xgboost.operator_converters.XGBoost import convert_xgboost
from skl2onnx import get_model_alias, to_onnx, update_registered_converter
from skl2onnx.common._registration import get_converter
from skl2onnx.common.shape_calculator import calculate_linear_classifier_output_shapes
from sklearn.pipeline import Pipeline
from xgboost import XGBClassifier

from onnx_fixtures import compat
from onnx_fixtures.family import Family, Fitted

# skl2onnx graphs: the opsets the default model pins. onnxmltools' direct converters run with
# their own defaults, which are what a data team gets and what the runtime must accept.
TARGET_OPSET = {"": 17, "ai.onnx.ml": 3}
CLASSIFIER_OPTIONS = {"nocl": [True, False], "zipmap": [True, False, "columns"]}


@cache
def register() -> None:
    """Lets skl2onnx convert XGBoost and LightGBM inside a pipeline, with onnxmltools' code."""
    update_registered_converter(
        XGBClassifier,
        "XGBoostXGBClassifier",
        calculate_linear_classifier_output_shapes,
        convert_xgboost,
        options=CLASSIFIER_OPTIONS,
    )
    update_registered_converter(
        LGBMClassifier,
        "LightGbmLGBMClassifier",
        calculate_linear_classifier_output_shapes,
        convert_lightgbm,
        options=CLASSIFIER_OPTIONS,
    )


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
        classifier = _classifier(fitted.model)
        options: dict[int, Any] = {}
        if not family.zipmap and "zipmap" in _allowed_options(classifier):
            options[id(classifier)] = {"zipmap": False}
        model = to_onnx(
            fitted.model,
            initial_types=fitted.inputs,
            options=options,
            target_opset=dict(TARGET_OPSET),
        )
    # skl2onnx lists opsets in set order, which follows the per-process string hash seed.
    imports = sorted((entry.domain, entry.version) for entry in model.opset_import)
    del model.opset_import[:]
    model.opset_import.extend(
        onnx.helper.make_opsetid(domain, version) for domain, version in imports
    )
    model.graph.name = family.name
    return model


def _classifier(model: Any) -> Any:
    """The estimator that owns the `zipmap` option: a pipeline's last step."""
    return _classifier(model.steps[-1][1]) if isinstance(model, Pipeline) else model


def _allowed_options(model: Any) -> dict[str, Any]:
    """The options skl2onnx's converter for `model` accepts (LinearSVC has no ZipMap)."""
    return get_converter(get_model_alias(type(model))).get_allowed_options() or {}


def _direct(family: Family, fitted: Fitted) -> onnx.ModelProto:
    inputs = [(name, MLFloatTensorType(kind.shape)) for name, kind in fitted.inputs]
    if isinstance(fitted.model, XGBClassifier):
        return onnxmltools.convert_xgboost(fitted.model, initial_types=inputs)
    return onnxmltools.convert_lightgbm(fitted.model, initial_types=inputs, zipmap=family.zipmap)

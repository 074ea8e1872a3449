"""Converting the fitted estimator to ONNX with skl2onnx: one [N,1] graph input per column.

XGBoost and LightGBM are converted by onnxmltools' converters, CatBoost by its own exporter,
all registered inside skl2onnx so they work on their own and inside pipelines. The opsets are pinned; opset imports are sorted
so the bytes do not depend on the per-process string hash seed.
"""

import re
import warnings
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np
import onnx
from onnx import numpy_helper
from skl2onnx import get_model_alias, to_onnx, update_registered_converter
from skl2onnx._supported_operators import sklearn_classifier_list
from skl2onnx.common._registration import get_converter
from skl2onnx.common.data_types import FloatTensorType, StringTensorType
from skl2onnx.common.shape_calculator import calculate_linear_classifier_output_shapes
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline

from predict_pack import estimator as estimators
from predict_pack.errors import PackError
from predict_pack.schema import Feature

TARGET_OPSET = {"": 17, "ai.onnx.ml": 3}
CLASSIFIER_OPTIONS = {"nocl": [True, False], "zipmap": [True, False, "columns"]}
# The one matrix input of an estimator without a ColumnTransformer, fed by a Concat.
MATRIX = "packed_columns"
SEMVER = re.compile(r"(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})")


def model_version(version: str) -> int:
    """ONNX's integer `model_version` for a MAJOR.MINOR.PATCH version: 1.2.3 is 1002003."""
    match = SEMVER.fullmatch(version)
    if match is None:
        raise PackError(
            f"--version: expected MAJOR.MINOR.PATCH with parts below 1000, found '{version}'"
        )
    major, minor, patch = (int(part) for part in match.groups())
    return major * 1_000_000 + minor * 1_000 + patch


@cache
def register() -> list[str]:
    """Registers onnxmltools' XGBoost and LightGBM converters and CatBoost's; the libraries it
    found."""
    found: list[str] = []
    try:
        from onnxmltools.convert.xgboost.operator_converters.XGBoost import convert_xgboost
        from xgboost import XGBClassifier
    except ImportError:
        pass
    else:
        update_registered_converter(
            XGBClassifier,
            "XGBoostXGBClassifier",
            calculate_linear_classifier_output_shapes,
            convert_xgboost,
            options=CLASSIFIER_OPTIONS,
        )
        found.append("xgboost")
    try:
        from lightgbm import LGBMClassifier
        from onnxmltools.convert.lightgbm.operator_converters.LightGbm import convert_lightgbm
    except ImportError:
        pass
    else:
        update_registered_converter(
            LGBMClassifier,
            "LightGbmLGBMClassifier",
            calculate_linear_classifier_output_shapes,
            convert_lightgbm,
            options=CLASSIFIER_OPTIONS,
        )
        found.append("lightgbm")
    try:
        from catboost import CatBoostClassifier
    except ImportError:
        pass
    else:
        update_registered_converter(
            CatBoostClassifier,
            "CatBoostCatBoostClassifier",
            calculate_linear_classifier_output_shapes,
            _convert_catboost,
            options=CLASSIFIER_OPTIONS,
        )
        # CatBoost's classifier is no scikit-learn ClassifierMixin: unlisted, skl2onnx would
        # give it one output instead of a label and probabilities.
        if CatBoostClassifier not in sklearn_classifier_list:
            sklearn_classifier_list.append(CatBoostClassifier)
        found.append("catboost")
    return found


def _convert_catboost(scope: Any, operator: Any, container: Any) -> None:
    """CatBoost's own ONNX export (one TreeEnsembleClassifier over a `features` matrix, then
    a ZipMap) spliced into the skl2onnx graph: the tree node reads the operator's input and
    writes its label and probabilities; skl2onnx adds its own ZipMap if asked."""
    from catboost.utils import convert_to_onnx_object

    exported = convert_to_onnx_object(operator.raw_operator)
    trees = [node for node in exported.graph.node if node.op_type == "TreeEnsembleClassifier"]
    if len(trees) != 1:
        raise PackError(
            "expected CatBoost's export to hold one TreeEnsembleClassifier, found "
            f"{[node.op_type for node in exported.graph.node]}"
        )
    attributes = {
        attribute.name: onnx.helper.get_attribute_value(attribute)
        for attribute in trees[0].attribute
    }
    container.add_node(
        "TreeEnsembleClassifier",
        [operator.inputs[0].full_name],
        [operator.outputs[0].full_name, operator.outputs[1].full_name],
        op_domain="ai.onnx.ml",
        op_version=1,
        name=scope.get_unique_operator_name("CatBoost"),
        **attributes,
    )


def initial_types(features: Sequence[Feature]) -> list[tuple[str, Any]]:
    """float32 [N,1] for numbers, string [N,1] for categories, in feature order."""
    return [
        (
            feature.name,
            FloatTensorType([None, 1]) if feature.kind == "number" else StringTensorType([None, 1]),
        )
        for feature in features
    ]


def convert(
    fitted: Any, features: Sequence[Feature], *, name: str, version: str, description: str
) -> onnx.ModelProto:
    """The checked ONNX model with outputs `label` and `probabilities` (no ZipMap)."""
    register()
    classifier = estimators.final(fitted)
    options = {"zipmap": False} if "zipmap" in allowed_options(classifier) else None
    by_column = _takes_columns(fitted)
    if not by_column and any(feature.kind == "category" for feature in features):
        raise PackError(
            f"{_describe(fitted)} takes one matrix, but the columns "
            f"{[feature.name for feature in features if feature.kind == 'category']} hold text: "
            "put a ColumnTransformer with an encoder for them first"
        )
    types = (
        initial_types(features) if by_column else [(MATRIX, FloatTensorType([None, len(features)]))]
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = to_onnx(
                fitted,
                initial_types=types,
                options=options,
                target_opset=dict(TARGET_OPSET),
            )
    except Exception as error:  # skl2onnx raises RuntimeError, NotImplementedError, ...
        raise PackError(
            f"skl2onnx cannot convert {_describe(fitted)}: {type(error).__name__}: {error}"
        ) from error
    if not by_column:
        _split_matrix(model, features)
    _widen_label_lookups(model)
    return finish(model, name=name, version=version, description=description)


def _takes_columns(fitted: Any) -> bool:
    """Whether skl2onnx takes one input per column: a ColumnTransformer comes first."""
    first = fitted.steps[0][1] if isinstance(fitted, Pipeline) else fitted
    if isinstance(first, Pipeline):
        return _takes_columns(first)
    return isinstance(first, ColumnTransformer)


def _split_matrix(model: onnx.ModelProto, features: Sequence[Feature]) -> None:
    """Replaces the one [N, columns] input by an [N,1] input per column, concatenated."""
    graph = model.graph
    del graph.input[:]
    graph.input.extend(
        onnx.helper.make_tensor_value_info(feature.name, onnx.TensorProto.FLOAT, [None, 1])
        for feature in features
    )
    concat = onnx.helper.make_node(
        "Concat", [feature.name for feature in features], [MATRIX], name="PackColumns", axis=1
    )
    nodes = [concat, *graph.node]
    del graph.node[:]
    graph.node.extend(nodes)


def _widen_label_lookups(model: onnx.ModelProto) -> None:
    """Stores int32 class lists that an ArrayFeatureExtractor looks labels up in as int64.

    skl2onnx writes integer classes of GaussianNB and MLPClassifier as int32 and casts the
    looked-up label to int64 afterwards; predict-fcgi reads a label lookup's classes from an
    int64 or string constant only. The values, and so every output, stay the same.
    """
    graph = model.graph
    lookups = {node.input[0] for node in graph.node if node.op_type == "ArrayFeatureExtractor"}
    for position, tensor in enumerate(graph.initializer):
        if (
            tensor.name in lookups
            and tensor.data_type == onnx.TensorProto.INT32
            and len(tensor.dims) == 1
        ):
            values = numpy_helper.to_array(tensor).astype(np.int64)
            graph.initializer[position].CopyFrom(numpy_helper.from_array(values, tensor.name))
    widened = {tensor.name for tensor in graph.initializer if tensor.name in lookups}
    outputs = {
        output
        for node in graph.node
        if node.op_type == "ArrayFeatureExtractor" and node.input[0] in widened
        for output in node.output
    }
    kept = [info for info in graph.value_info if info.name not in outputs]
    del graph.value_info[:]
    graph.value_info.extend(kept)


def finish(model: onnx.ModelProto, *, name: str, version: str, description: str) -> onnx.ModelProto:
    """Sorted opset imports, the version, name and description; checked by onnx."""
    sort_opsets(model)
    model.model_version = model_version(version)
    model.doc_string = description
    model.graph.name = re.sub(r"\W", "_", name)
    del model.metadata_props[:]
    onnx.helper.set_model_props(model, {"name": name, "version": version})
    outputs = [output.name for output in model.graph.output]
    if outputs[:2] != ["label", "probabilities"]:
        raise PackError(f"expected the outputs ['label', 'probabilities'], found {outputs}")
    try:
        onnx.checker.check_model(model, full_check=True)
    except onnx.checker.ValidationError as error:
        raise PackError(f"the converted model does not pass onnx's checker: {error}") from error
    return model


def sort_opsets(model: onnx.ModelProto) -> None:
    """Sorts the opset imports: skl2onnx lists them in set order, which follows the
    per-process string hash seed, and the bytes must not."""
    imports = sorted((entry.domain, entry.version) for entry in model.opset_import)
    del model.opset_import[:]
    model.opset_import.extend(onnx.helper.make_opsetid(domain, opset) for domain, opset in imports)


def opsets(model: onnx.ModelProto) -> dict[str, int]:
    """The opset of each domain the model imports, as the manifest records them."""
    return {entry.domain: entry.version for entry in model.opset_import}


def allowed_options(classifier: Any) -> dict[str, Any]:
    """The options skl2onnx's converter for `classifier` accepts (LinearSVC has no ZipMap);
    none for an estimator it has no converter for (`to_onnx` then says so itself)."""
    try:
        converter = get_converter(get_model_alias(type(classifier)))
    except Exception:  # unknown estimators fail in to_onnx with skl2onnx's own message
        return {}
    return converter.get_allowed_options() or {}


def _describe(fitted: Any) -> str:
    final = estimators.final(fitted)
    if final is fitted:
        return type(fitted).__name__
    return f"{type(fitted).__name__} ending in {type(final).__name__}"

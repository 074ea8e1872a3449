"""Converting the fitted pipeline to ONNX, with one graph input per feature column."""

import re

import onnx
from skl2onnx import to_onnx
from skl2onnx.common.data_types import FloatTensorType, StringTensorType
from sklearn.pipeline import Pipeline

from bank_marketing import recipe
from bank_marketing.errors import TrainingError

SEMVER = re.compile(r"(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})")


def model_version(version: str) -> int:
    """ONNX's integer `model_version` for a MAJOR.MINOR.PATCH version: 1.2.3 is 1002003."""
    match = SEMVER.fullmatch(version)
    if match is None:
        raise TrainingError(
            f"--version: expected MAJOR.MINOR.PATCH with parts below 1000, found '{version}'"
        )
    major, minor, patch = (int(part) for part in match.groups())
    return major * 1_000_000 + minor * 1_000 + patch


def export(pipeline: Pipeline, version: str) -> onnx.ModelProto:
    """The ONNX model: float32 [N,1] inputs for numbers, string [N,1] for categories.

    Outputs are `label` (int64 class) and `probabilities` (float [N,2]); `zipmap=False`
    keeps the probabilities a plain tensor instead of a sequence of maps.
    """
    inputs = [
        (
            name,
            FloatTensorType([None, 1]) if name in recipe.NUMERIC else StringTensorType([None, 1]),
        )
        for name in recipe.FEATURES
    ]
    model = to_onnx(
        pipeline,
        initial_types=inputs,
        options={"zipmap": False},
        target_opset=dict(recipe.TARGET_OPSET),
    )
    # skl2onnx lists the opsets in set order, which follows the per-process string hash
    # seed; sorting them keeps model.onnx byte-identical from one run to the next.
    imports = sorted((entry.domain, entry.version) for entry in model.opset_import)
    del model.opset_import[:]
    model.opset_import.extend(onnx.helper.make_opsetid(domain, opset) for domain, opset in imports)
    model.model_version = model_version(version)
    model.doc_string = recipe.DESCRIPTION
    model.graph.name = recipe.NAME.replace("-", "_")
    onnx.helper.set_model_props(model, {"name": recipe.NAME, "version": version})
    outputs = [output.name for output in model.graph.output]
    if outputs != ["label", "probabilities"]:
        raise TrainingError(f"expected the outputs ['label', 'probabilities'], found {outputs}")
    onnx.checker.check_model(model, full_check=True)
    return model


def opsets(model: onnx.ModelProto) -> dict[str, int]:
    """The opset of each domain the model imports, as the manifest records them."""
    return {entry.domain: entry.version for entry in model.opset_import}

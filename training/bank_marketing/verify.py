"""The self-check after writing: the bundle on disk agrees with itself."""

import json
from pathlib import Path

import numpy as np
import onnx

from bank_marketing import data, export, files, golden, manifest, recipe, runtime
from bank_marketing.errors import TrainingError


def bundle(out: Path) -> int:
    """Re-reads `out`; checks the hash, opsets, inputs and every golden case. Returns the count.

    The golden replay must reproduce onnxruntime's outputs exactly: same runtime, same model,
    one thread, so any difference means the written file is not the one that was checked.
    """
    document = json.loads(files.read(out / "model.json"))
    content = files.read(out / document["model_file"])
    if files.sha256(content) != document["sha256"]:
        raise TrainingError(
            f"{out / 'model.json'}: expected sha256 {files.sha256(content)} of "
            f"{document['model_file']}, found {document['sha256']}"
        )
    model = onnx.load_from_string(content)
    onnx.checker.check_model(model, full_check=True)
    if export.opsets(model) != document["opsets"]:
        raise TrainingError(
            f"{out / 'model.json'}: expected opsets {export.opsets(model)}, "
            f"found {document['opsets']}"
        )
    inputs = [value.name for value in model.graph.input]
    declared = [feature["name"] for feature in document["features"]]
    if inputs != declared:
        raise TrainingError(
            f"{out / 'model.json'}: expected features {inputs} as in the graph, found {declared}"
        )
    cases = golden.parse(files.read(out / manifest.GOLDEN_FILE))
    frame = data.frame_of(case["input"] for case in cases)
    labels, probabilities = runtime.predict(runtime.session(content), frame)
    for number, (case, label, row) in enumerate(zip(cases, labels, probabilities, strict=True)):
        found = {
            "label": recipe.LABELS[int(label)],
            "probabilities": {
                name: float(np.float32(value))
                for name, value in zip(recipe.LABELS, row, strict=True)
            },
        }
        if found != case["expected"]:
            raise TrainingError(
                f"{manifest.GOLDEN_FILE} line {number + 1} ({case['id']}): expected "
                f"{case['expected']}, found {found} on replay"
            )
    return len(cases)

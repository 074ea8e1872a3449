"""`pack`: from a fitted classifier (or an exported .onnx) and a sample of its data to a
checked bundle: convert, compare, generate golden cases, write the manifest last."""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import onnx
import onnxruntime as ort
import pandas as pd

from predict_pack import cases, check, convert, files, golden, manifest, metrics, runtime, schema
from predict_pack import estimator as estimators
from predict_pack import thresholds as tree_thresholds
from predict_pack.errors import PackError
from predict_pack.parity import Parity, compare
from predict_pack.schema import Feature, Row

SEED = 42
ORDER = (manifest.MODEL_FILE, golden.FILE, manifest.FILE)


@dataclass(frozen=True)
class Bundle:
    """What `pack` wrote, and what it found on the way."""

    out: Path
    document: dict[str, Any]
    model: bytes
    cases: int
    sharp_thresholds: int
    parity: Parity | None
    check: str | None


@dataclass(frozen=True)
class _Served:
    """The converted model as onnxruntime runs it, with its classes' display names."""

    model: onnx.ModelProto
    content: bytes
    runner: ort.InferenceSession
    types: dict[str, type]
    classes: list[Any]
    names: list[str]

    def predict(self, frame: pd.DataFrame) -> tuple[list[str], np.ndarray, np.ndarray]:
        """Display labels, raw labels and probabilities for a typed frame."""
        labels, probabilities = runtime.predict(self.runner, frame, self.types)
        lookup = {
            estimators.label_text(value): name
            for value, name in zip(self.classes, self.names, strict=True)
        }
        try:
            shown = [lookup[estimators.label_text(value)] for value in labels.tolist()]
        except KeyError as error:
            raise PackError(f"onnxruntime answered a label {error} that is no class") from None
        return shown, labels, probabilities


@dataclass(frozen=True)
class _Request:
    """What both entry points were asked for, checked before any work is done."""

    name: str
    version: str
    out: Path
    target: str | None
    seed: int
    created: str

    @classmethod
    def of(
        cls, name: str, version: str, out: Path | None, target: str | None, seed: int
    ) -> "_Request":
        """Refuses a bad version or SOURCE_DATE_EPOCH up front; `out` defaults to
        `models/NAME`."""
        convert.model_version(version)
        return cls(name, version, out or Path("models") / name, target, seed, manifest.created())


@dataclass(frozen=True)
class _Contents:
    """The served model and what the manifest says about where it came from."""

    served: _Served
    features: list[Feature]
    description: str
    training: dict[str, Any]
    parity: Parity | None
    libraries: dict[str, str]
    metrics: dict[str, Any] | None = None


def pack(
    fitted: Any,
    sample: pd.DataFrame,
    *,
    name: str,
    version: str = "1.0.0",
    out: Path | None = None,
    target: str | None = None,
    description: str | None = None,
    labels: Sequence[str] | None = None,
    metrics_section: dict[str, Any] | None = None,
    training: dict[str, Any] | None = None,
    parity_rows: pd.DataFrame | None = None,
    parity_on: str = "the parity rows",
    seed: int = SEED,
) -> Bundle:
    """Converts `fitted` and writes `out` (default `models/NAME`).

    `sample` gives the schema, the profile the golden cases are drawn from and the rows the
    estimator and onnxruntime must agree on (`parity_rows` too, when given: the manifest then
    reports those, as `parity_on`). `labels` renames the classes for display;
    `metrics_section` replaces the metrics computed on the sample's `target`; `training` is
    merged into the manifest's `training` section. Raises `PackError`, having written
    nothing, on any disagreement.
    """
    request = _Request.of(name, version, out, target, seed)
    columns = schema.input_columns(fitted, sample, target)
    features = schema.infer(sample, columns)
    classes = estimators.classes(fitted)
    names = _names(classes, labels)
    description = description or f"{name}: {type(estimators.final(fitted)).__name__} classifier"
    model = convert.convert(fitted, features, name=name, version=version, description=description)
    served = _serve(model, classes, names)
    frame = schema.typed(sample, features)
    shown, raw, probabilities = served.predict(frame)
    parity = compare(fitted, frame, raw, probabilities, names, "the sample")
    if parity_rows is not None:
        rows = schema.typed(parity_rows, features)
        _, other_raw, other_probabilities = served.predict(rows)
        parity = compare(fitted, rows, other_raw, other_probabilities, names, parity_on)
    final = estimators.final(fitted)
    section: dict[str, Any] = {
        "estimator": type(final).__name__,
        "params": estimators.json_params(final),
    }
    if final is not fitted:
        section["pipeline"] = _steps(fitted)
    section.update(training or {})
    used = [library for library in convert.register() if _uses(fitted, library)]
    libraries = manifest.libraries([*used, "onnxmltools"] if used else [])
    contents = _Contents(served, features, description, section, parity, libraries, metrics_section)
    return _write(request, contents, sample)


def pack_onnx(
    content: bytes,
    sample: pd.DataFrame,
    *,
    name: str,
    version: str = "1.0.0",
    out: Path | None = None,
    target: str | None = None,
    description: str | None = None,
    labels: Sequence[str] | None = None,
    seed: int = SEED,
) -> Bundle:
    """Writes a bundle around an already exported model, its bytes unchanged.

    There is no original estimator to compare with: the manifest says parity was not checked.
    """
    request = _Request.of(name, version, out, target, seed)
    try:
        model = onnx.load_from_string(content)
    except Exception as error:  # protobuf's DecodeError and friends
        raise PackError(
            f"expected an ONNX model, found bytes that do not parse: {error}"
        ) from error
    types = runtime.input_types(model)
    missing = [column for column in types if column not in sample.columns]
    if missing:
        raise PackError(f"expected the data to hold every graph input, found {missing} missing")
    features = schema.infer(sample, list(types))
    for feature in features:
        is_text = types[feature.name] is np.object_
        if is_text != (feature.kind == "category"):
            raise PackError(
                f"graph input '{feature.name}' takes {'strings' if is_text else 'numbers'}, but "
                f"the data's column holds {'numbers' if not is_text else 'text'}"
            )
    outputs = runtime.output_names(model)
    if outputs[:2] != runtime.OUTPUTS:
        raise PackError(
            f"expected the outputs {runtime.OUTPUTS} (skl2onnx with zipmap=False), found {outputs}"
        )
    named = runtime.class_labels(model)
    if named is None:
        raise PackError(
            "expected the graph to name its classes (a classifier node's classlabels_*, or an "
            "int64 or string list an ArrayFeatureExtractor looks the label up in), found none"
        )
    classes: list[Any] = list(named)
    names = _names(classes, labels)
    served = _Served(model, content, runtime.session(content), types, classes, names)
    training = {
        "estimator": "unknown: packed from an exported .onnx",
        "producer": model.producer_name,
    }
    description = description or model.doc_string or f"{name}: an ONNX classifier"
    contents = _Contents(served, features, description, training, None, manifest.libraries())
    return _write(request, contents, sample)


def _write(request: _Request, contents: _Contents, sample: pd.DataFrame) -> Bundle:
    """Golden cases, metrics and the manifest; then the staged bundle, checked by the
    worker, is moved into `request.out`."""
    served, features = contents.served, contents.features
    found, sharp = _cases(served, features, request.seed)
    shown, _, probabilities = served.predict(
        schema.frame_of((case.input for case in found), features)
    )
    # A huge number squared or exponentiated in float32 (GaussianNB, distances) overflows:
    # onnxruntime then answers NaN, which is no output a golden case can expect.
    finite = np.isfinite(probabilities).all(axis=1)
    found = [case for case, kept in zip(found, finite, strict=True) if kept]
    shown = [label for label, kept in zip(shown, finite, strict=True) if kept]
    probabilities = probabilities[finite]
    metrics_section = contents.metrics
    if metrics_section is None and request.target is not None:
        sample_shown, _, sample_probabilities = served.predict(schema.typed(sample, features))
        metrics_section = metrics.evaluate(
            sample[request.target], sample_shown, sample_probabilities, served.names
        )
    parity = contents.parity
    document = manifest.build(
        name=request.name,
        version=request.version,
        description=contents.description,
        created=request.created,
        sha256=files.sha256(served.content),
        libraries=contents.libraries,
        opsets=convert.opsets(served.model),
        features=[feature.to_json() for feature in features],
        labels=served.names,
        metrics=metrics_section,
        training=contents.training,
        parity=(
            parity.to_json() if parity else {"rows": 0, "note": "not checked: no original model"}
        ),
        golden=golden.families(found),
    )
    staging = files.stage(
        request.out,
        {
            manifest.MODEL_FILE: served.content,
            golden.FILE: golden.render(found, shown, probabilities, served.names),
            manifest.FILE: manifest.render(document),
        },
    )
    try:
        verdict = check.run(staging)
    except PackError:
        files.discard(staging)
        raise
    files.publish(staging, request.out, ORDER)
    return Bundle(
        out=request.out,
        document=document,
        model=served.content,
        cases=len(found),
        sharp_thresholds=sharp,
        parity=parity,
        check=verdict,
    )


def _cases(served: _Served, features: list[Feature], seed: int) -> tuple[list[cases.Case], int]:
    """Random rows, edge cases and threshold cases, from one seeded generator."""
    rng = np.random.default_rng(seed)
    found = cases.random(features, rng, golden.RANDOM_CASES)
    typical = schema.typical(features)
    found.extend(cases.edges(features, typical))

    def outputs(rows: Sequence[Row]) -> np.ndarray:
        shown, _, probabilities = served.predict(schema.frame_of(rows, features))
        codes = np.asarray([served.names.index(label) for label in shown], dtype=np.float64)
        return np.column_stack([probabilities.astype(np.float64), codes])

    sharp_cases, sharp = tree_thresholds.cases(
        served.model, features, outputs, rng, typical, golden.THRESHOLD_BUDGET
    )
    found.extend(sharp_cases)
    golden.check_unique(found)
    return found, sharp


def _serve(model: onnx.ModelProto, classes: list[Any], names: list[str]) -> _Served:
    """The converted model in onnxruntime, once the classes its graph names (if it names
    any: else the worker labels by position, in the estimator's order) are the estimator's."""
    content = model.SerializeToString()
    graph_classes = runtime.class_labels(model)
    expected = [estimators.label_text(value) for value in classes]
    if (
        graph_classes is not None
        and [estimators.label_text(value) for value in graph_classes] != expected
    ):
        raise PackError(
            f"expected the graph's classes {expected} as the estimator's, found {graph_classes}"
        )
    return _Served(
        model, content, runtime.session(content), runtime.input_types(model), classes, names
    )


def _names(classes: Sequence[Any], labels: Sequence[str] | None) -> list[str]:
    names = [estimators.label_text(value) for value in classes]
    if labels is None:
        return names
    if len(labels) != len(names):
        raise PackError(
            f"expected {len(names)} display labels for the classes {names}, found {list(labels)}"
        )
    return [str(label) for label in labels]


def _steps(fitted: Any) -> list[str]:
    """The pipeline's step names and types, for the manifest."""
    return [f"{step}: {type(part).__name__}" for step, part in getattr(fitted, "steps", [])]


def _uses(fitted: Any, library: str) -> bool:
    """Whether `fitted` holds an estimator from the module `library` (xgboost, lightgbm)."""
    found = [fitted]
    while found:
        part = found.pop()
        if type(part).__module__.split(".")[0] == library:
            return True
        found.extend(step for _, step in getattr(part, "steps", []))
        found.extend(item[1] for item in getattr(part, "transformers_", []))
    return False

"""Loading the MODEL file, and what the packer needs to know about a fitted classifier."""

import pickle
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from sklearn.pipeline import Pipeline

from predict_pack.errors import PackError

ONNX_SUFFIX = ".onnx"


def load(path: Path) -> Any:
    """Unpickles `path` with joblib (plain pickles load too). This runs the file's code: only
    load files you trust. Says which file it unpickles before it does."""
    print(f"unpickling {path} (this runs code from the file: only pack models you trust)")
    try:
        return joblib.load(path)
    except FileNotFoundError as error:
        raise PackError(f"cannot read the model file {path}: {error.strerror}") from error
    except (pickle.UnpicklingError, EOFError, ValueError, KeyError) as error:
        raise PackError(
            f"{path}: expected a model saved with joblib.dump or pickle.dump, or an .onnx file; "
            f"found a file that does not unpickle ({error})"
        ) from error
    except (ImportError, AttributeError) as error:
        raise PackError(
            f"{path}: unpickling needs code this environment lacks ({error}); the model was "
            "saved with other library versions or a custom class"
        ) from error


def final(estimator: Any) -> Any:
    """The estimator that classifies: a pipeline's last step, else `estimator` itself."""
    return final(estimator.steps[-1][1]) if isinstance(estimator, Pipeline) else estimator


def classes(estimator: Any) -> list[Any]:
    """The fitted classes in probability-column order; refuses what is no classifier."""
    found = getattr(estimator, "classes_", None)
    if found is None or not hasattr(estimator, "predict_proba"):
        raise PackError(
            f"expected a fitted classifier with classes_ and predict_proba, found "
            f"{type(final(estimator)).__name__}"
        )
    values = list(np.asarray(found).tolist())
    if len(values) < 2:
        raise PackError(f"expected at least two classes, found {values}")
    return values


def label_text(value: Any) -> str:
    """A class as the manifest names it: integers (also 1.0) as decimal strings."""
    if isinstance(value, bool | np.bool_):
        return str(bool(value)).lower()
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def json_params(estimator: Any) -> dict[str, Any]:
    """`get_params(deep=False)` made JSON-safe: plain values kept, the rest as their repr."""
    params: dict[str, Any] = {}
    for key, value in sorted(estimator.get_params(deep=False).items()):
        params[key] = _plain(value)
    return params


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | str | int):
        return value
    if isinstance(value, float):
        return value if np.isfinite(value) else None
    if isinstance(value, np.generic):
        return _plain(value.item())
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return repr(value)

"""Pipelines behind preprocessing steps the other families lack: PolynomialFeatures
(ConstantOfShape, ReduceProd) and Binarizer (ai.onnx.ml Binarizer)."""

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import Binarizer, PolynomialFeatures, StandardScaler

from onnx_fixtures import data
from onnx_fixtures.family import Fitted, numeric

SPARSE = np.array([2, 5, 11])
THRESHOLD = 3.0


def polynomial_logreg() -> Fitted:
    """Degree-2 products of iris's four features into a logistic regression, labels 2, 5, 11."""
    model = make_pipeline(
        PolynomialFeatures(degree=2), StandardScaler(), LogisticRegression(max_iter=5000)
    )
    iris = data.iris()
    return numeric(model, data.Numeric(iris.train_x, SPARSE[iris.train_y], iris.test_x))


def binarizer_logreg() -> Fitted:
    """Iris's features above 3 cm become 1; the extra rows put every feature exactly on the
    threshold (which stays 0), then one float32 step above and below it. onnxruntime's
    Binarizer fails on NaN, so the generic edge cases give way to NaN-free ones."""
    model = make_pipeline(Binarizer(threshold=THRESHOLD), LogisticRegression(max_iter=1000))
    iris = data.iris()
    names = np.array(["setosa", "versicolor", "virginica"])
    fitted = numeric(model, data.Numeric(iris.train_x, names[iris.train_y], iris.test_x))
    at = np.float32(THRESHOLD)
    base = iris.test_x[:3].copy()
    rows = {"at": np.full_like(base, at)}
    rows["above"] = np.full_like(base, np.nextafter(at, np.float32(np.inf)))
    rows["below"] = np.full_like(base, np.nextafter(at, np.float32(-np.inf)))
    mixed = base.copy()
    mixed[:, ::2] = at
    rows["mixed"] = mixed
    extra = {f"threshold_{name}": {"input": values[:1]} for name, values in rows.items()}
    extra["threshold_batch"] = {"input": np.vstack(list(rows.values()))}
    for name, value in (("zeros", 0.0), ("large_positive", 1e9), ("large_negative", -1e9)):
        extra[name] = {"input": np.full_like(base[:1], value)}
    return Fitted(fitted.model, fitted.inputs, fitted.rows, extra=extra, edge_cases=False)

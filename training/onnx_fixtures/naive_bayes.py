"""Multinomial, complement and Bernoulli naive Bayes: skl2onnx builds their joint log
likelihood with MatMul (and Add), summing hundreds of products of counts and log
probabilities, so the fixtures check MatMul's float32 order (see SgemmOrder) on large sums."""

from dataclasses import replace
from functools import cache
from typing import Any

import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import BernoulliNB, ComplementNB, MultinomialNB

from onnx_fixtures import data
from onnx_fixtures.data import Numeric
from onnx_fixtures.family import Fitted, numeric

# More than one of MLAS's 256-deep K blocks, so the order of the block sums matters.
COUNT_FEATURES = 300
COUNT_CLASSES = 4
STRING_LABELS = np.array(["alpha", "beta", "gamma", "delta"])
SPARSE_LABELS = np.array([3, 10, 42, 57, 99])
DIGITS_SCALE = 40


@cache
def counts() -> Numeric:
    """A seeded bag-of-words-like count matrix: 400 documents, COUNT_FEATURES terms, each
    class favouring its own terms (Poisson counts, mostly 0 to 30)."""
    rng = np.random.default_rng(data.SEED)
    rows = 400
    labels = rng.integers(0, COUNT_CLASSES, rows)
    rates = rng.gamma(0.6, 2.0, (COUNT_CLASSES, COUNT_FEATURES))
    x = rng.poisson(rates[labels] * rng.uniform(0.5, 3.0, (rows, 1)))
    train_x, test_x, train_y, _ = train_test_split(
        x.astype(np.float32), labels, test_size=0.25, random_state=data.SEED, stratify=labels
    )
    return Numeric(train_x, train_y, test_x)


TIE_ROWS = 3


def with_ties(fitted: Fitted) -> Fitted:
    """Adds cases whose two best classes nearly tie: for pairs of held-out rows predicted as
    different classes, the point between them where the two joint log likelihoods meet
    (bisection on float64 scores). There the probabilities sit mid-range, and a float32
    summing order that moves a score by a few ulps (of sums in the thousands) moves them by
    more than 1e-5."""
    rows = fitted.rows["input"].astype(np.float64)
    predicted = fitted.model.predict(rows)
    ties = []
    for first in range(len(rows)):
        second = next(
            (j for j in range(first + 1, len(rows)) if predicted[j] != predicted[first]), None
        )
        if second is not None:
            ties.append(_tie(fitted.model, rows[first], rows[second]))
        if len(ties) == TIE_ROWS:
            break
    extra = {f"tie{index}": {"input": row.reshape(1, -1)} for index, row in enumerate(ties)}
    extra["ties_batch"] = {"input": np.stack(ties)}
    return replace(fitted, extra=fitted.extra | extra)


def _tie(model: Any, one: np.ndarray, other: np.ndarray) -> np.ndarray:
    """The point between two rows of different predicted classes where those two classes'
    joint log likelihoods are equal."""
    classes = [
        int(np.flatnonzero(model.classes_ == model.predict(row[None])[0])[0])
        for row in (one, other)
    ]

    def gap(t: float) -> float:
        scores = model.predict_joint_log_proba((t * one + (1 - t) * other)[None])[0]
        return float(scores[classes[0]] - scores[classes[1]])

    low, high = 0.0, 1.0
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (low, middle) if gap(middle) > 0 else (middle, high)
    return (low * one + (1 - low) * other).astype(np.float32)


def _relabelled(base: Numeric, names: np.ndarray) -> Numeric:
    return Numeric(base.train_x, names[base.train_y], base.test_x)


def _scaled_digits() -> Numeric:
    base = data.digits()
    return Numeric(base.train_x * DIGITS_SCALE, base.train_y, base.test_x * DIGITS_SCALE)


def multinomial_nb() -> Fitted:
    """MatMul then Add of the class log priors (which onnxruntime fuses into a Gemm)."""
    return with_ties(numeric(MultinomialNB(), counts()))


def multinomial_nb_digits() -> Fitted:
    """Digits' 64 pixels scaled to 0..640, with non-contiguous integer labels."""
    return with_ties(numeric(MultinomialNB(), _relabelled(_scaled_digits(), SPARSE_LABELS)))


def complement_nb() -> Fitted:
    """MatMul alone, with string labels."""
    return with_ties(numeric(ComplementNB(), _relabelled(counts(), STRING_LABELS)))


def complement_nb_digits() -> Fitted:
    return with_ties(numeric(ComplementNB(), _scaled_digits()))


def bernoulli_nb() -> Fitted:
    """Binarized counts times a B computed from initializers (onnxruntime folds it into a
    constant and prepacks it), then two Adds, with non-contiguous integer labels."""
    base = _relabelled(counts(), SPARSE_LABELS[:COUNT_CLASSES])
    return numeric(BernoulliNB(binarize=1.5), base)

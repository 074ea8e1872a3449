"""The sklearn pipeline: one-hot categories, numbers passed through, gradient-boosted trees."""

from sklearn.compose import ColumnTransformer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

from bank_marketing import recipe
from bank_marketing.data import Split


def build() -> Pipeline:
    """An unfitted pipeline.

    Trees split on raw values, so the numbers are not scaled; categories never seen in
    training encode as all zeros instead of failing.
    """
    columns = ColumnTransformer(
        [
            ("cat", OneHotEncoder(handle_unknown="ignore"), list(recipe.CATEGORICAL)),
            ("num", "passthrough", list(recipe.NUMERIC)),
        ]
    )
    return Pipeline(
        [
            ("columns", columns),
            ("trees", GradientBoostingClassifier(**recipe.GRADIENT_BOOSTING)),
        ]
    )


def fit(split: Split) -> Pipeline:
    """Fits a fresh pipeline on the training half of `split`."""
    pipeline = build()
    pipeline.fit(split.train_x, split.train_y)
    return pipeline

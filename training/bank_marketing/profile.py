"""What the training split looks like: ranges, quantiles and categories of each feature."""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

from bank_marketing import model, recipe
from bank_marketing.case import Row

# Percentiles kept per numeric column; random clients draw from their interpolation.
QUANTILES = np.linspace(0.0, 1.0, 101)


@dataclass(frozen=True)
class NumericProfile:
    """Observed minimum, maximum and percentiles of one numeric column."""

    minimum: float
    maximum: float
    quantiles: tuple[float, ...]


@dataclass(frozen=True)
class Profile:
    """The training split seen per feature, in `recipe.FEATURES` order."""

    numeric: dict[str, NumericProfile]
    categories: dict[str, list[str]]
    typical: Row

    @classmethod
    def of(cls, train_x: pd.DataFrame, pipeline: Pipeline) -> "Profile":
        """Profiles `train_x`; categories come from the pipeline's fitted encoder."""
        numeric = {
            name: NumericProfile(
                minimum=float(train_x[name].min()),
                maximum=float(train_x[name].max()),
                quantiles=tuple(float(value) for value in np.quantile(train_x[name], QUANTILES)),
            )
            for name in recipe.NUMERIC
        }
        categories = model.categories(pipeline)
        # A made-up client built from medians and most frequent categories, not a data row.
        typical: Row = {}
        for name in recipe.FEATURES:
            if name in recipe.NUMERIC:
                typical[name] = float(np.median(train_x[name]))
            else:
                counts = train_x[name].value_counts()
                typical[name] = str(counts.index[counts == counts.max()].sort_values()[0])
        return cls(numeric=numeric, categories=categories, typical=typical)

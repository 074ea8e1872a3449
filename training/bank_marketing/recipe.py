"""The fixed recipe of the model: columns, labels, seeds, hyper-parameters.

Everything of this model that decides the bytes of the bundle lives here, so a change to the
model is a change to this file; how any model is exported (opsets, golden cases) is
predict_pack's.
"""

from typing import Final

NAME: Final = "bank-marketing"

NUMERIC: Final = ("age", "balance", "day", "campaign", "pdays", "previous")
CATEGORICAL: Final = (
    "job",
    "marital",
    "education",
    "default",
    "housing",
    "loan",
    "contact",
    "month",
    "poutcome",
)
# The call's length is only known once the call is over, and it nearly decides the outcome:
# the UCI description says to discard it for a realistic predictive model.
LEAKY: Final = "duration"
TARGET: Final = "y"
# bank-full.csv's column order without `duration` and `y`; the graph inputs follow it.
FEATURES: Final = (
    "age",
    "job",
    "marital",
    "education",
    "default",
    "balance",
    "housing",
    "loan",
    "contact",
    "day",
    "month",
    "campaign",
    "pdays",
    "previous",
    "poutcome",
)
# Display names in probability-column order: class 0 is "no", class 1 is "yes".
LABELS: Final = ("no", "yes")
POSITIVE: Final = "yes"

SEED: Final = 42
TEST_FRACTION: Final = 0.2

GRADIENT_BOOSTING: Final[dict[str, int | float]] = {
    "n_estimators": 200,
    "max_depth": 3,
    "learning_rate": 0.1,
    "subsample": 0.8,
    "random_state": SEED,
}

DESCRIPTION: Final = (
    "Predicts whether a bank client subscribes to a term deposit after a marketing call "
    "(UCI Bank Marketing). The call's duration is excluded: it is only known after the call "
    "and nearly decides the outcome, so it would leak the target into the model."
)

"""A workaround for skl2onnx 1.20.0 with protobuf 7, applied before any conversion.

skl2onnx's HistGradientBoosting converter records a leaf's missing-value flag as the Python
bool `False`; protobuf 7 refuses a bool in an `ints` attribute ("Expected an int, got a
boolean"), so every HistGradientBoosting model fails to convert. Coercing the flag to int
yields exactly the graph skl2onnx means to write.
"""

from functools import cache, wraps
from typing import Any

from skl2onnx.common import tree_ensemble


@cache
def patch_hist_gradient_boosting() -> None:
    original = tree_ensemble.add_node

    @wraps(original)
    def add_node(*args: Any, **kwargs: Any) -> Any:
        flag = kwargs.get("nodes_missing_value_tracks_true")
        if flag is not None:
            kwargs["nodes_missing_value_tracks_true"] = int(flag)
        return original(*args, **kwargs)

    tree_ensemble.add_node = add_node

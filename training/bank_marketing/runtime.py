"""Running the exported model under onnxruntime, the reference for every expected output."""

import numpy as np
import onnxruntime as ort
import pandas as pd

from bank_marketing import recipe


def session(model: bytes) -> ort.InferenceSession:
    """A CPU session on one thread: the results do not depend on thread scheduling."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])


def feeds(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """One [N,1] tensor per feature: float32 for numbers, strings for categories."""
    return {
        name: (
            frame[name].to_numpy(dtype=np.float32).reshape(-1, 1)
            if name in recipe.NUMERIC
            else frame[name].to_numpy(dtype=object).reshape(-1, 1)
        )
        for name in recipe.FEATURES
    }


def predict(runner: ort.InferenceSession, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The `label` [N] int64 and `probabilities` [N,2] float32 outputs for `frame`."""
    labels, probabilities = runner.run(["label", "probabilities"], feeds(frame))
    return np.asarray(labels), np.asarray(probabilities)

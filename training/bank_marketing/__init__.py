"""Trains the default bank-marketing classifier and has predict-pack write its bundle.

The bundle is `model.onnx`, its manifest `model.json` and the replay cases `golden.jsonl`
that predict-fcgi checks before it serves the model; `predict_pack.pack` writes it, as it
does for every other model, so there is one way to make a bundle.
"""

"""Trains the default bank-marketing classifier and writes its model bundle.

The bundle is `model.onnx`, its manifest `model.json` and the replay cases `golden.jsonl`
that predict-fcgi checks before it serves the model.
"""

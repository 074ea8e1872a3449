"""ONNX parity fixtures: small classifiers of every supported family, with onnxruntime's outputs.

`python -m onnx_fixtures --out DIR` fits each model, exports it with skl2onnx or onnxmltools,
and writes `<family>.onnx` next to `<family>.json` (inputs and onnxruntime's expected outputs).
"""

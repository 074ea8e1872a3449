"""ONNX parity fixtures: small classifiers of every supported family, with onnxruntime's outputs.

`python -m onnx_fixtures --out DIR` fits each model, exports it with skl2onnx or onnxmltools
(or, for TreeEnsemble opset 5, builds the graph with onnx.helper), and writes `<family>.onnx`
next to `<family>.json` (inputs and onnxruntime's expected outputs).
"""

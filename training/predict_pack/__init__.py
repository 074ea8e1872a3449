"""predict-pack: turn a fitted classifier and a sample of its data into a predict-fcgi bundle.

`pack` is the Python API (`python -m bank_marketing` uses it); `predict-pack` the command.
A bundle is `model.onnx`, its manifest `model.json` and the replay cases `golden.jsonl`.
"""

from predict_pack.errors import PackError
from predict_pack.pack import Bundle, pack, pack_onnx

__all__ = ["Bundle", "PackError", "pack", "pack_onnx"]

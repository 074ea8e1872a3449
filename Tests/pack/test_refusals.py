"""What the packer refuses, and that a refusal writes nothing."""

from __future__ import annotations

from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import pytest
from conftest import pack
from families import CATEGORICAL, FAMILIES, NUMERIC, frame
from predict_pack import sample
from predict_pack.errors import PackError
from predict_pack.pack import pack as pack_api
from sklearn.semi_supervised import LabelSpreading


def test_an_unsupported_estimator_is_refused_by_name(tmp_path: Path, binary: Path) -> None:
    data = frame(1, nulls=False)
    model = LabelSpreading().fit(data[list(NUMERIC)], data["tier"])
    joblib.dump(model, tmp_path / "m.joblib")
    data[list(NUMERIC) + ["tier"]].to_csv(tmp_path / "d.csv", index=False)
    done = pack(
        tmp_path / "m.joblib",
        tmp_path / "d.csv",
        "odd",
        tmp_path / "out",
        binary,
        "--target",
        "tier",
    )
    assert done.returncode != 0
    assert "LabelSpreading" in done.stderr
    assert "unpickl" in done.stdout + done.stderr
    assert not (tmp_path / "out").exists()


def test_a_model_that_disagrees_with_its_onnx_is_refused(tmp_path: Path) -> None:
    fitted = FAMILIES[0].fit(tmp_path)
    estimator = fitted.estimator
    honest = estimator.predict_proba
    estimator.predict_proba = lambda x: honest(x)[:, ::-1]  # what the graph will not do
    frame_ = pd.read_csv(fitted.data_file)
    with pytest.raises(PackError) as refused:
        pack_api(estimator, frame_, name="liar", out=tmp_path / "out", target="churned")
    assert "differ" in str(refused.value)
    assert not (tmp_path / "out").exists()


def test_an_exported_onnx_file_packs(tmp_path: Path, binary: Path, repository: Path) -> None:
    onnx_file = repository / "forest" / "model.onnx"
    data = frame(2, nulls=True).drop(columns=["tier"])
    data.to_csv(tmp_path / "d.csv", index=False)
    done = pack(
        onnx_file,
        tmp_path / "d.csv",
        "forest-again",
        tmp_path / "out",
        binary,
        "--target",
        "churned",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert {p.name for p in (tmp_path / "out").iterdir()} >= {
        "model.onnx",
        "model.json",
        "golden.jsonl",
    }


@pytest.mark.parametrize("separator", [",", ";", "\t", "|"])
def test_the_separator_is_detected(tmp_path: Path, separator: str) -> None:
    path = tmp_path / "d.csv"
    frame(3, nulls=True).to_csv(path, index=False, sep=separator)
    read = sample.read(path)
    assert list(read.frame.columns)[:5] == list(NUMERIC + CATEGORICAL)
    assert np.isnan(read.frame["visits"]).any()

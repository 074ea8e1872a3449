"""Text families: CountVectorizer / TfidfVectorizer (StringNormalizer, com.microsoft
Tokenizer, TfIdfVectorizer) in front of a linear model or a naive Bayes, on a seeded
synthetic corpus. One string per row, behind one `[N, 1]` input named `input`.
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from skl2onnx.common.data_types import StringTensorType
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import ComplementNB, MultinomialNB
from sklearn.pipeline import make_pipeline

from onnx_fixtures import data
from onnx_fixtures.family import Fitted

LOCALE = "en_US.UTF-8"
DOCUMENTS = 240
HELD_OUT = 8

WORDS = {
    "spam": "free win winner prize cash money offer click claim urgent bonus cheap deal",
    "ham": "meeting lunch tomorrow project report thanks family weekend call notes dinner",
    "news": "election market minister report weather sports economy storm vote league",
}
SHARED = "the and to of a you your is for on this today now please Please"
FLAVOUR = ("Café", "naïve", "ÉCOLE", "σοφία", "東京", "😀", "FREE", "Meeting", "!!!", "...")

EDGES = {
    "empty": "",
    "blank_punctuation": "  ... !!! ?? ,, --  ",
    "unicode": "Café naïve ÉCOLE Σοφία ΣΟΦΙΑ straße ẞ İstanbul 東京 😀😀 money",
    "upper_case": "FREE CASH PRIZE CLICK NOW Meeting TOMORROW",
    "unseen_tokens": "zqx blorf quux wibble",
    "stop_word_only": "The",
}


def ensure_locale() -> None:
    """onnxruntime's StringNormalizer refuses to load without its default locale,
    en_US.UTF-8. Where the system lacks it, compile it (from glibc's sources, which
    Debian ships) into a private directory and point glibc at it with LOCPATH."""
    if "LOCPATH" in os.environ or Path(f"/usr/lib/locale/{LOCALE}").exists():
        return
    archive = Path("/usr/lib/locale/locale-archive")
    listed = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False)
    if archive.exists() and "en_US.utf8" in listed.stdout.split():
        return
    directory = Path(tempfile.gettempdir()) / "onnx_fixtures_locale"
    if not (directory / LOCALE).exists():
        if shutil.which("localedef") is None:
            raise RuntimeError(f"text fixtures need the {LOCALE} locale or localedef")
        directory.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["localedef", "-i", "en_US", "-f", "UTF-8", str(directory / LOCALE)], check=True
        )
    os.environ["LOCPATH"] = str(directory)


def corpus(classes: tuple[str, ...], seed: int) -> tuple[list[str], list[str]]:
    """Short documents: words of their class, shared words, a few cased, accented or
    non-Latin ones, punctuation."""
    rng = np.random.default_rng(seed)
    shared = SHARED.split()
    texts, labels = [], []
    for index in range(DOCUMENTS + HELD_OUT):
        label = classes[index % len(classes)]
        own = WORDS[label].split()
        others = [w for c in classes if c != label for w in WORDS[c].split()]
        count = int(rng.integers(3, 12))
        pool = [own, own, shared, others]
        words = [str(rng.choice(pool[int(rng.integers(0, 4))])) for _ in range(count)]
        if rng.random() < 0.3:
            words.insert(int(rng.integers(0, len(words) + 1)), str(rng.choice(FLAVOUR)))
        if rng.random() < 0.2:
            words[0] = words[0].capitalize()
        texts.append(" ".join(words) + str(rng.choice(["", ".", "!", "?", ","])))
        labels.append(label)
    return texts, labels


def long_text(seed: int) -> str:
    """About 5,000 characters of every class's words."""
    rng = np.random.default_rng(seed)
    words = " ".join(WORDS.values()).split() + SHARED.split()
    text = ""
    while len(text) < 5000:
        text += str(rng.choice(words)) + " "
    return text.strip()


def _column(texts: list[str]) -> np.ndarray:
    return np.array(texts, dtype=object).reshape(-1, 1)


def fit(model: object, classes: tuple[str, ...]) -> Fitted:
    """Fits `model` on the corpus; held-out rows, then one case per edge and all of them
    in one batch (rows of very different token counts share one padded Tokenizer output)."""
    texts, labels = corpus(classes, data.SEED)
    model.fit(texts[:DOCUMENTS], labels[:DOCUMENTS])  # type: ignore[attr-defined]
    edges = dict(EDGES, long=long_text(data.SEED))
    extra = {name: {"input": _column([text])} for name, text in edges.items()}
    batch = [text for name, text in edges.items() if name != "stop_word_only"]
    extra["edge_batch"] = {"input": _column(batch + texts[DOCUMENTS : DOCUMENTS + 2])}
    ensure_locale()
    return Fitted(
        model,
        [("input", StringTensorType([None, 1]))],
        {"input": _column(texts[DOCUMENTS:])},
        extra=extra,
        edge_cases=False,  # the numeric and category edge cases do not apply to text
    )


def count_word_logreg() -> Fitted:
    """Word uni- and bigrams, lowercased (StringNormalizer LOWER), spam/ham."""
    model = make_pipeline(CountVectorizer(ngram_range=(1, 2)), LogisticRegression(max_iter=2000))
    return fit(model, ("spam", "ham"))


def tfidf_word_stopwords_complement_nb() -> Fitted:
    """English stop words: the StringNormalizer filters whole documents equal to one."""
    model = make_pipeline(TfidfVectorizer(stop_words="english"), ComplementNB())
    return fit(model, ("spam", "ham", "news"))


def tfidf_char_multinomial_nb() -> Fitted:
    """Characters 1 to 3 (Tokenizer tokenexp '.'), the 300 most frequent."""
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), max_features=300)
    return fit(make_pipeline(vectorizer, MultinomialNB()), ("spam", "ham", "news"))


def count_word_cased_multinomial_nb() -> Fitted:
    """lowercase=False: no StringNormalizer, the Tokenizer reads the `[N, 1]` input."""
    model = make_pipeline(CountVectorizer(lowercase=False), MultinomialNB())
    return fit(model, ("spam", "ham"))

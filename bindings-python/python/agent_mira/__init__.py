"""agent-mira: an embeddable property recommendation engine.

The engine is a Rust core; this package hands it to Python unchanged::

    import agent_mira as mira

    catalog = mira.Catalog.from_path("listings.csv")
    engine = mira.Engine(catalog, profile="balanced")
    for rec in engine.recommend({"budget": 650_000, "location": "Bellevue, WA"}, k=3):
        print(rec.id, round(rec.score, 1), rec.reasons)

Classes: :class:`Catalog` (immutable, versioned listings, with optional
vectors: ``Catalog.with_embeddings(ids, array)``), :class:`Engine`
(recommendations; ``Engine.similar`` for homes like one listing),
:class:`Recommendation`, :class:`PriceModel` (imported or trained price
models); ``Engine.search`` for a plain filtered, paged search. The MCP
server for LLM agents is :mod:`agent_mira.mcp` (``agent-mira-mcp``; the
``mcp`` extra, Python 3.10+).
:func:`input_schema` gives the JSON Schema of a core input type by name.
:func:`hashed_ngrams` is a deterministic toy text embedding for offline
tests and examples (not a language model). Input types:
:mod:`agent_mira.types` (``TypedDict`` classes generated from the core's
JSON Schemas: :class:`Preferences`, :class:`ListingInput`,
:class:`ProfileSpec`, :class:`SimilarTo`, :class:`SimilarFilters`, :class:`SearchQuery`,
:class:`TrainSpec` with :class:`GbdtParams`, :class:`OlsParams`, :class:`RidgeParams` and
:class:`ElasticNetParams`, :class:`Holdout`). Errors:
:mod:`agent_mira.exceptions` (every one a :class:`MiraError` and a ``ValueError`` / ``TypeError`` /
``OSError`` / ``KeyError`` as fits).

Threads: parallel work runs on the package's own pool of
``AGENT_MIRA_THREADS`` threads (default: one per CPU); :func:`set_threads`
resizes it at any time. Every call that scans, predicts or loads releases
the GIL. After ``fork`` (gunicorn, multiprocessing) the child builds a fresh
pool on first use, so nothing deadlocks.
"""

from __future__ import annotations

import os

from . import _core, types
from ._core import (
    MAX_EMBEDDING_DIM,
    MAX_RESULTS,
    THREADS_ENV,
    Catalog,
    Engine,
    PriceModel,
    Recommendation,
    get_threads,
    hashed_ngrams,
    input_schema,
    set_threads,
)
from .exceptions import (
    CorruptFileError,
    DuplicateIdError,
    InternalError,
    InvalidFieldError,
    MiraError,
    MiraFileNotFoundError,
    MiraIOError,
    MiraPermissionError,
    MiraTypeError,
    MissingFieldError,
    ModelMismatchError,
    NotFoundError,
    ParseError,
    UnknownFieldError,
    UnsupportedError,
    UnsupportedVersionError,
)
from .types import (
    ElasticNetParams,
    GbdtParams,
    Holdout,
    ListingInput,
    OlsParams,
    Preferences,
    ProfileSpec,
    RidgeParams,
    SearchQuery,
    SimilarFilters,
    SimilarTo,
    TrainSpec,
)

__version__: str = _core.__version__

__all__ = [
    "Catalog",
    "CorruptFileError",
    "DuplicateIdError",
    "ElasticNetParams",
    "Engine",
    "GbdtParams",
    "Holdout",
    "InternalError",
    "InvalidFieldError",
    "ListingInput",
    "MAX_EMBEDDING_DIM",
    "MAX_RESULTS",
    "MiraError",
    "MiraFileNotFoundError",
    "MiraIOError",
    "MiraPermissionError",
    "MiraTypeError",
    "MissingFieldError",
    "ModelMismatchError",
    "NotFoundError",
    "OlsParams",
    "ParseError",
    "Preferences",
    "PriceModel",
    "ProfileSpec",
    "Recommendation",
    "RidgeParams",
    "SearchQuery",
    "SimilarFilters",
    "SimilarTo",
    "THREADS_ENV",
    "TrainSpec",
    "UnknownFieldError",
    "UnsupportedError",
    "UnsupportedVersionError",
    "__version__",
    "get_threads",
    "hashed_ngrams",
    "input_schema",
    "set_threads",
    "types",
]

# A forked child inherits the parent's thread pool without its threads:
# forget it there so that the first parallel call builds a new one.
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_core._after_fork_in_child)

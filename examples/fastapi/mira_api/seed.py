"""Load the King County fixture (or MIRA_LISTINGS_PATH), the rentals
fixture (or MIRA_RENTALS_PATH) and the investment fixture (hand-written
US-dollar sales with `estimated_rent`, or MIRA_INVESTMENT_PATH) into
`properties`, and on request the real India rent listings (`--india-rent`,
or MIRA_INDIA_RENT_PATH).

    python -m mira_api.seed                          # only when the table is empty
    python -m mira_api.seed --replace                # truncate and reload, one transaction
    python -m mira_api.seed --replace --india-rent   # with the 4,746 India rentals

The files are read by agent_mira's own loader (so they are validated exactly
as the engine would), then written with COPY: one statement, one catalog
version. A listing without a currency is written as USD (the engine reads a
missing currency as dollars; King County's prices are), so every row of the
table says its currency.

Vectors (the `embedding` column, migration 006), in this order:

1. a listing's own `embedding` in its file is kept;
2. `--embeddings FILE.npz` (arrays `ids` and `vectors`, an n × dim float32
   matrix from any model) sets the vectors of the listings it names;
3. `--embed MODULE:CALLABLE` embeds every listing still without a vector:
   the callable takes a list of texts (`listing_text`) and returns an
   n × dim array (e.g. a sentence-transformers model's `encode`);
4. otherwise, when no listing has a vector yet, every listing gets the
   deterministic offline toy embedding `agent_mira.hashed_ngrams(text,
   EMBEDDING_DIM)` (hashed character 3-grams; 256 numbers, or
   `--embedding-dim`) — no model, no download, the same vectors on every
   machine. `--no-embeddings` writes none.

A listing whose text is empty (or embeds to all zeros) gets no vector.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Optional

import agent_mira
import numpy as np
import psycopg

from . import db
from .config import (
    DEFAULT_INDIA_RENT_PATH,
    DEFAULT_INVESTMENT_PATH,
    DEFAULT_RENTALS_PATH,
    Settings,
)
from .currency import DEFAULT_CURRENCY

log = logging.getLogger("mira_api.seed")


def read_listings(*sources: tuple[Optional[Path], Optional[str]]) -> list[dict[str, Any]]:
    """The listings of every given (file, CSV mapping) pair, each with its
    currency said."""
    records: list[dict[str, Any]] = []
    for path, mapping in sources:
        if path is None:
            continue
        catalog = (agent_mira.Catalog.from_path(path, mapping=mapping) if mapping
                   else agent_mira.Catalog.from_path(path))
        for rec in catalog.to_records():
            rec.setdefault("currency", DEFAULT_CURRENCY)
            records.append(rec)
    return records


# The toy embedding's dimension (`agent_mira.hashed_ngrams`): enough buckets
# that the 3-grams of a title, a place and a few amenities rarely collide.
EMBEDDING_DIM = 256

# A text embedder: a list of texts in, an n × dim array of numbers out.
Embedder = Callable[[list[str]], Any]


def listing_text(rec: dict[str, Any]) -> str:
    """The text a listing is embedded from: its title and description
    (`attributes.description`), then its property type, location and
    amenities, one per line, leaving out what it lacks (so a listing without
    a title is still described by its place and kind)."""
    attrs = rec.get("attributes") or {}
    parts = [rec.get("title"), attrs.get("description") if isinstance(attrs, dict) else None,
             rec.get("property_type"), rec.get("location"),
             ", ".join(rec.get("amenities") or []) or None]
    return "\n".join(str(p).strip() for p in parts if p is not None and str(p).strip())


def toy_embedder(dim: int = EMBEDDING_DIM) -> Embedder:
    """`agent_mira.hashed_ngrams(texts, dim)`: the deterministic offline
    embedding (a toy for tests and demos, not a language model)."""
    return lambda texts: agent_mira.hashed_ngrams(texts, dim)


def load_embedder(spec: str) -> Embedder:
    """`MODULE:CALLABLE` (e.g. `my_models:encode`) imported: the hook for
    vectors from a real model."""
    module, sep, name = spec.partition(":")
    if not sep or not module or not name:
        raise SystemExit(f"--embed {spec!r}: expected MODULE:CALLABLE, e.g. my_models:encode")
    fn = getattr(importlib.import_module(module), name, None)
    if not callable(fn):
        raise SystemExit(f"--embed {spec!r}: {module} has no callable {name!r}")
    return fn  # type: ignore[no-any-return]


def load_vectors_file(path: Path) -> dict[str, np.ndarray]:
    """An `.npz` with `ids` (n ids, numbers or strings) and `vectors` (an
    n × dim matrix): the vectors by listing id (as the table writes ids)."""
    with np.load(path, allow_pickle=False) as f:
        missing = {"ids", "vectors"} - set(f.files)
        if missing:
            raise ValueError(f"{path}: expected arrays `ids` and `vectors`, "
                             f"missing {', '.join(sorted(missing))}")
        ids, vectors = f["ids"], np.asarray(f["vectors"], dtype=np.float32)
    if vectors.ndim != 2 or ids.ndim != 1 or len(ids) != len(vectors):
        raise ValueError(f"{path}: expected `ids` of n ids and `vectors` of n rows, got "
                         f"ids {ids.shape} and vectors {vectors.shape}")
    out: dict[str, np.ndarray] = {}
    for i, raw in enumerate(ids.tolist()):
        key = str(raw)
        if key in out:
            raise ValueError(f"{path}: ids[{i}] = {key!r} appears twice")
        out[key] = vectors[i]
    return out


def attach_embeddings(records: Sequence[dict[str, Any]], *,
                      vectors: Optional[dict[str, np.ndarray]] = None,
                      embed: Optional[Embedder] = None,
                      dim: int = EMBEDDING_DIM) -> int:
    """Sets `embedding` on the records (see the module docs for the order:
    their own, then `vectors` by id, then `embed`, else the toy embedding
    when none has one yet). `embed` is called once with every text. Returns
    how many records have a vector."""
    if vectors:
        by_id = {db.id_to_db(rec["id"]): rec for rec in records}
        unknown = sorted(set(vectors) - set(by_id))
        if unknown:
            raise ValueError(f"embeddings: {len(unknown)} ids are not listings being seeded, "
                             f"e.g. {unknown[0]!r}")
        for key, vec in vectors.items():
            by_id[key]["embedding"] = vec
    todo = [rec for rec in records if rec.get("embedding") is None]
    if embed is None and len(todo) == len(records):
        embed = toy_embedder(dim)
    if embed is not None and todo:
        texts = [listing_text(rec) for rec in todo]
        matrix = np.asarray(embed(texts), dtype=np.float32)
        if matrix.ndim != 2 or matrix.shape[0] != len(texts):
            raise ValueError(f"embeddings: the embedder returned shape {matrix.shape} for "
                             f"{len(texts)} texts: expected {len(texts)} rows")
        for rec, text, vec in zip(todo, texts, matrix, strict=True):
            if text and np.any(vec):
                rec["embedding"] = vec
    return sum(1 for rec in records if rec.get("embedding") is not None)


def check_catalog(records: Sequence[dict[str, Any]]) -> agent_mira.Catalog:
    """The records as the engine will read them (duplicate ids across the
    files, bad fields, bad vectors: refused here, before anything is
    written): the listings, then their vectors as one matrix."""
    plain = [{k: v for k, v in rec.items() if k != "embedding"} for rec in records]
    catalog = agent_mira.Catalog.from_records(plain)
    with_vec = [rec for rec in records if rec.get("embedding") is not None]
    if with_vec:
        dims = {len(rec["embedding"]) for rec in with_vec}
        if len(dims) > 1:
            first = with_vec[0]
            odd = next(r for r in with_vec if len(r["embedding"]) != len(first["embedding"]))
            raise ValueError(
                f"listing {odd['id']}: field `embedding` = {len(odd['embedding'])} numbers: "
                f"expected {len(first['embedding'])} numbers, the dimension of listing "
                f"{first['id']}'s; one dimension per catalog")
        matrix = np.stack([np.asarray(rec["embedding"], dtype=np.float32) for rec in with_vec])
        catalog = catalog.with_embeddings([rec["id"] for rec in with_vec], matrix)
    return catalog


def seed(database_url: str, listings_path: Path, replace: bool = False,
         rentals_path: Optional[Path] = DEFAULT_RENTALS_PATH,
         india_rent_path: Optional[Path] = None,
         investment_path: Optional[Path] = DEFAULT_INVESTMENT_PATH, *,
         embeddings: bool = True,
         vectors: Optional[dict[str, np.ndarray]] = None,
         embed: Optional[Embedder] = None,
         embedding_dim: int = EMBEDDING_DIM) -> int:
    """Writes the listings of `listings_path`, `rentals_path` (None: no
    rentals), `investment_path` (sales with `estimated_rent`; None: none)
    and `india_rent_path` (the India rent CSV, read with the `india-rent`
    preset; None: not loaded), with their vectors (`attach_embeddings`:
    `vectors` by id, the `embed` hook, or the toy embedding of
    `embedding_dim`; `embeddings=False`: none but the files' own). Returns
    the number of listings written (0 when skipped)."""
    with psycopg.connect(database_url) as conn:
        db.migrate(conn)
        with conn.transaction():
            # One seeder at a time.
            conn.execute("LOCK TABLE properties IN SHARE ROW EXCLUSIVE MODE")
            existing = db.count_properties(conn)
            if existing and not replace:
                log.info("properties already holds %d listings: not seeding", existing)
                return 0
            t0 = time.perf_counter()
            records = read_listings((listings_path, None), (rentals_path, None),
                                    (investment_path, None), (india_rent_path, "india-rent"))
            if embeddings:
                attach_embeddings(records, vectors=vectors, embed=embed, dim=embedding_dim)
            # One catalog over all of them: duplicate ids across the files
            # and bad vectors are refused here.
            check_catalog(records)
            if existing:
                conn.execute("DELETE FROM properties")
            n = db.copy_records(conn, records)
        log.info("seeded %d listings from %s in %.2f s", n,
                 ", ".join(str(p) for p in (listings_path, rentals_path, investment_path,
                                            india_rent_path) if p),
                 time.perf_counter() - t0)
        return n


def main(argv: Optional[list[str]] = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    ap = argparse.ArgumentParser(prog="python -m mira_api.seed", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--listings", type=Path,
                    help="listings file (default: MIRA_LISTINGS_PATH or the King County fixture)")
    ap.add_argument("--rentals", type=Path,
                    help="rentals file (default: MIRA_RENTALS_PATH or fixtures/listings/rentals.json)")
    ap.add_argument("--no-rentals", action="store_true", help="seed no rentals")
    ap.add_argument("--investment", type=Path,
                    help="investment listings (default: MIRA_INVESTMENT_PATH or "
                    "fixtures/listings/investment.json)")
    ap.add_argument("--no-investment", action="store_true", help="seed no investment listings")
    ap.add_argument("--india-rent", type=Path, nargs="?", const=DEFAULT_INDIA_RENT_PATH,
                    help="also seed the real India rent listings (default file: "
                    "fixtures/india_rent/india_house_rent.csv; or MIRA_INDIA_RENT_PATH)")
    ap.add_argument("--replace", action="store_true", help="replace the table's listings")
    ap.add_argument("--embeddings", type=Path, metavar="FILE.npz",
                    help="vectors from your model: an .npz with `ids` and `vectors` (n × dim)")
    ap.add_argument("--embed", metavar="MODULE:CALLABLE",
                    help="embed each listing's text with this callable (list of texts -> "
                    "n × dim array), e.g. a real model's encode")
    ap.add_argument("--embedding-dim", type=int, default=EMBEDDING_DIM,
                    help=f"dimension of the toy hashed n-gram embedding (default {EMBEDDING_DIM})")
    ap.add_argument("--no-embeddings", action="store_true",
                    help="write no vectors (but the listing files' own)")
    args = ap.parse_args(argv)
    settings = Settings.from_env()
    rentals = None if args.no_rentals else (args.rentals or settings.rentals_path)
    investment = None if args.no_investment else (args.investment or settings.investment_path)
    seed(settings.database_url, args.listings or settings.listings_path, args.replace, rentals,
         args.india_rent or settings.india_rent_path, investment,
         embeddings=not args.no_embeddings,
         vectors=load_vectors_file(args.embeddings) if args.embeddings else None,
         embed=load_embedder(args.embed) if args.embed else None,
         embedding_dim=args.embedding_dim)
    return 0


if __name__ == "__main__":
    sys.exit(main())

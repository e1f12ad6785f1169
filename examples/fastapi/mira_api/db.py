"""PostgreSQL access: pool, migrations, and every query the app runs.

All SQL here takes its values as parameters (`%s` / `%(name)s`); nothing a
client sends is ever formatted into a statement.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import struct
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional

import numpy as np
import psycopg
from psycopg.adapt import Buffer, Loader
from psycopg.pq import Format
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from .config import MIGRATIONS_DIR

log = logging.getLogger("mira_api.db")

# The columns of `properties` that are agent_mira Property fields, in the
# core's schema order.
PROPERTY_COLUMNS: tuple[str, ...] = (
    "id", "title", "price", "location", "latitude", "longitude", "bedrooms",
    "bathrooms", "size_sqft", "lot_sqft", "year_built", "property_type",
    "listing_type", "amenities", "school_rating", "commute_time",
    # renting (migration 004)
    "rent_period", "available_from", "available_until", "min_lease_months",
    "max_lease_months", "deposit", "furnishing", "pets_allowed", "floor",
    "total_floors",
    # investors (migration 005)
    "estimated_rent",
    "currency",
    "image_urls", "attributes",
)
# DATE columns: `datetime.date` in psycopg, `"YYYY-MM-DD"` in records.
DATE_COLUMNS = frozenset({"available_from", "available_until"})
# NUMERIC columns: `decimal.Decimal` in psycopg, floats in records.
NUMERIC_COLUMNS = frozenset({"estimated_rent"})
_COLS = ", ".join(PROPERTY_COLUMNS)
# The listing's vector (migration 006, `real[]`): written with the listing,
# read apart from it into one matrix (see `load_catalog_rows`), never part of
# what /api/properties returns.
EMBEDDING_COLUMN = "embedding"
WRITE_COLUMNS: tuple[str, ...] = PROPERTY_COLUMNS + (EMBEDDING_COLUMN,)
_WRITE_COLS = ", ".join(WRITE_COLUMNS)
# PostgreSQL's type oid of real[] (float4[]).
FLOAT4_ARRAY_OID = 1021
_U64_MAX = 2**64 - 1
_MIGRATION_NAME = re.compile(r"^(\d+)_[A-Za-z0-9_]+\.sql$")


def make_pool(url: str, max_size: int = 8) -> ConnectionPool:
    pool = ConnectionPool(
        url, min_size=1, max_size=max_size, open=False, name="mira",
        kwargs={"autocommit": False},
    )
    pool.open(wait=True, timeout=30)
    return pool


# --- migrations ---------------------------------------------------------------

def migration_files(directory: Path = MIGRATIONS_DIR) -> list[tuple[str, Path]]:
    """`NNN_name.sql` files, ordered by their number."""
    found = []
    for p in directory.iterdir():
        m = _MIGRATION_NAME.match(p.name)
        if m:
            found.append((int(m.group(1)), p.stem, p))
    found.sort()
    numbers = [n for n, _, _ in found]
    if len(set(numbers)) != len(numbers):
        raise RuntimeError(f"two migrations share a number in {directory}")
    return [(stem, p) for _, stem, p in found]


def migrate(conn: psycopg.Connection, directory: Path = MIGRATIONS_DIR) -> list[str]:
    """Apply the migrations not yet recorded in `schema_migrations`, in order,
    each in its own transaction. Safe to run from several processes at once
    (an advisory lock serialises them). Returns the names applied now."""
    applied_now: list[str] = []
    with conn.transaction():
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version text PRIMARY KEY,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
    for name, path in migration_files(directory):
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (0x6D697261,))
            done = conn.execute(
                "SELECT 1 FROM schema_migrations WHERE version = %s", (name,)
            ).fetchone()
            if done:
                continue
            conn.execute(path.read_text(encoding="utf-8"))
            conn.execute("INSERT INTO schema_migrations (version) VALUES (%s)", (name,))
            applied_now.append(name)
            log.info("applied migration %s", name)
    return applied_now


# --- rows <-> agent_mira records ------------------------------------------------

def id_from_db(text_id: str) -> int | str:
    """Text ids back to what the CSV/JSON loaders would give: plain decimal
    digits without a leading zero (fitting in u64) are integers, everything
    else stays a string ("0114101516", "kc-2")."""
    if text_id.isascii() and text_id.isdigit() and (text_id == "0" or text_id[0] != "0"):
        n = int(text_id)
        if n <= _U64_MAX:
            return n
    return text_id


def id_to_db(value: int | str) -> str:
    return str(value)


def row_to_record(row: Mapping[str, Any]) -> dict[str, Any]:
    """A `properties` row as an agent_mira record: NULL columns are left out
    (missing, not zero)."""
    rec: dict[str, Any] = {}
    for col in PROPERTY_COLUMNS:
        v = row.get(col)
        if v is None:
            continue
        if col == "id":
            v = id_from_db(v)
        elif col == "image_urls" and not v:
            continue
        elif col == "attributes" and not v:
            continue
        elif col in DATE_COLUMNS and isinstance(v, dt.date):
            v = v.isoformat()
        elif col in NUMERIC_COLUMNS and isinstance(v, Decimal):
            v = float(v)
        rec[col] = v
    return rec


def record_to_row(rec: Mapping[str, Any]) -> tuple[Any, ...]:
    out = []
    for col in PROPERTY_COLUMNS:
        v = rec.get(col)
        if col == "id":
            v = id_to_db(v)  # type: ignore[arg-type]
        elif col == "image_urls":
            v = list(v or [])
        elif col == "attributes":
            v = Jsonb(dict(v or {}))
        elif col in DATE_COLUMNS and v is not None and not isinstance(v, dt.date):
            v = dt.date.fromisoformat(str(v))
        out.append(v)
    return tuple(out)


def embedding_to_db(value: Any) -> Optional[list[float]]:
    """A listing's vector as the list psycopg writes into `real[]`: None
    stays NULL; a NumPy row or a list of numbers becomes Python floats (a
    float32 value is exactly a Python float, and PostgreSQL reads its
    shortest decimal back to the same float4, so the vector is stored bit
    for bit)."""
    if value is None:
        return None
    if isinstance(value, np.ndarray):
        return value.astype(np.float32, copy=False).tolist()  # type: ignore[no-any-return]
    return [float(x) for x in value]


def write_row(rec: Mapping[str, Any]) -> tuple[Any, ...]:
    """The values of `WRITE_COLUMNS` for one record: its Property columns
    and its `embedding` (None: NULL)."""
    return record_to_row(rec) + (embedding_to_db(rec.get(EMBEDDING_COLUMN)),)


# --- real[] read as float32 ------------------------------------------------------

def float4_array_from_binary(data: bytes) -> np.ndarray:
    """A `real[]` value in PostgreSQL's binary array format as a float32
    vector, read in one NumPy call (no Python float per number): a header
    (dimensions, has-NULLs flag, element type, then size and lower bound per
    dimension), then for each element its length (4) and its big-endian
    IEEE 754 bits, which are kept exactly."""
    ndim, has_null, _elem = struct.unpack_from(">iiI", data, 0)
    if ndim == 0:
        return np.empty(0, dtype=np.float32)
    if ndim != 1 or has_null:
        raise ValueError(f"embedding: expected a one-dimensional real[] without NULLs, "
                         f"got {ndim} dimensions{' with NULLs' if has_null else ''}")
    (n,) = struct.unpack_from(">i", data, 12)
    cells = np.frombuffer(data, dtype=np.dtype([("len", ">i4"), ("bits", ">f4")]),
                          count=n, offset=20)
    return cells["bits"].astype(np.float32)


class Float4ArrayBinaryLoader(Loader):
    """psycopg loader: binary `real[]` → `numpy.ndarray` of float32."""

    format = Format.BINARY

    def load(self, data: Buffer) -> np.ndarray:
        return float4_array_from_binary(bytes(data))


# --- catalog ------------------------------------------------------------------

@dataclass(frozen=True)
class CatalogRows:
    """What the engine is built from, read in one snapshot: the version,
    every listing as a record (without its vector), and the vectors of the
    listings that have one as one matrix (row i is `embedding_ids[i]`'s;
    None when no listing has a vector)."""

    version: int
    records: list[dict[str, Any]]
    embedding_ids: list[int | str]
    embeddings: Optional[np.ndarray]


def read_embeddings(conn: psycopg.Connection) -> tuple[list[int | str], Optional[np.ndarray]]:
    """The ids and the `len(ids) × dim` float32 matrix of every listing with
    a vector (ordered by id), read in binary (bit for bit). Vectors of
    different lengths are refused naming a listing of each length (the
    engine keeps one dimension per catalog)."""
    ids: list[int | str] = []
    vectors: list[np.ndarray] = []
    with conn.cursor(binary=True) as cur:
        cur.adapters.register_loader(FLOAT4_ARRAY_OID, Float4ArrayBinaryLoader)
        cur.execute(f"SELECT id, {EMBEDDING_COLUMN} FROM properties"
                    f" WHERE {EMBEDDING_COLUMN} IS NOT NULL ORDER BY id")
        for text_id, vector in cur:
            if vectors and len(vector) != len(vectors[0]):
                raise ValueError(
                    f"listing {text_id}: field `embedding` = {len(vector)} numbers: expected "
                    f"{len(vectors[0])} numbers, the dimension of the other listings' vectors "
                    f"(listing {ids[0]} has {len(vectors[0])}); one dimension per catalog")
            ids.append(id_from_db(text_id))
            vectors.append(vector)
    if not vectors:
        return ids, None
    return ids, np.stack(vectors)



def catalog_version(conn: psycopg.Connection) -> int:
    row = conn.execute("SELECT version FROM catalog_state WHERE id = 1").fetchone()
    return int(row[0]) if row else 0


def load_catalog_rows(conn: psycopg.Connection) -> CatalogRows:
    """The catalog version, every listing and the listings' vectors, from
    one consistent snapshot."""
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        version = catalog_version(conn)
        with conn.cursor(row_factory=dict_row) as cur:
            cur.execute(f"SELECT {_COLS} FROM properties ORDER BY id")
            records = [row_to_record(r) for r in cur]
        ids, matrix = read_embeddings(conn)
    return CatalogRows(version, records, ids, matrix)


def count_properties(conn: psycopg.Connection) -> int:
    row = conn.execute("SELECT count(*) FROM properties").fetchone()
    return int(row[0]) if row else 0


def copy_records(conn: psycopg.Connection, records: Iterable[Mapping[str, Any]]) -> int:
    """Bulk-load records, with their `embedding` when they have one, with
    COPY (one statement: one catalog version bump)."""
    n = 0
    with conn.cursor() as cur:
        with cur.copy(f"COPY properties ({_WRITE_COLS}) FROM STDIN") as copy:
            for rec in records:
                copy.write_row(write_row(rec))
                n += 1
    return n


def upsert_records(conn: psycopg.Connection, records: Iterable[Mapping[str, Any]]) -> int:
    """Insert or replace listings, their `embedding` included (absent:
    NULL), one statement per listing."""
    placeholders = ", ".join(["%s"] * len(WRITE_COLUMNS))
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in WRITE_COLUMNS if c != "id")
    sql = (
        f"INSERT INTO properties ({_WRITE_COLS}) VALUES ({placeholders}) "
        f"ON CONFLICT (id) DO UPDATE SET {updates}"
    )
    rows = [write_row(r) for r in records]
    with conn.cursor() as cur:
        cur.executemany(sql, rows)
    return len(rows)


# --- listings queries ---------------------------------------------------------

def get_property(conn: psycopg.Connection, property_id: str) -> Optional[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(f"SELECT {_COLS}, updated_at FROM properties WHERE id = %s", (property_id,))
        row = cur.fetchone()
    return row


def search_properties(
    conn: psycopg.Connection,
    *,
    location: Optional[str] = None,
    min_price: Optional[float] = None,
    max_price: Optional[float] = None,
    min_bedrooms: Optional[int] = None,
    min_bathrooms: Optional[float] = None,
    property_type: Optional[str] = None,
    listing_type: Optional[str] = None,
    available_on: Optional[dt.date] = None,
    sort: str = "id",
    limit: int = 20,
    offset: int = 0,
) -> tuple[int, list[dict[str, Any]]]:
    """Filtered, paginated listings and the total number that match.

    `location` matches the whole location ("Bellevue, WA") or its city part
    ("bellevue"), case-insensitively. `available_on` keeps listings that can
    be moved into on that day: `available_from <= day <= available_until`, a
    missing end being open; a listing with neither date (availability
    unknown) is left out, never assumed available."""
    where: list[str] = []
    params: dict[str, Any] = {}
    if location is not None:
        where.append(
            "(lower(location) = lower(%(location)s)"
            " OR lower(split_part(location, ',', 1)) = lower(%(location)s))"
        )
        params["location"] = location.strip()
    if min_price is not None:
        where.append("price >= %(min_price)s")
        params["min_price"] = min_price
    if max_price is not None:
        where.append("price <= %(max_price)s")
        params["max_price"] = max_price
    if min_bedrooms is not None:
        where.append("bedrooms >= %(min_bedrooms)s")
        params["min_bedrooms"] = min_bedrooms
    if min_bathrooms is not None:
        where.append("bathrooms >= %(min_bathrooms)s")
        params["min_bathrooms"] = min_bathrooms
    if property_type is not None:
        where.append("property_type = %(property_type)s")
        params["property_type"] = property_type
    if listing_type is not None:
        where.append("listing_type = %(listing_type)s")
        params["listing_type"] = listing_type
    if available_on is not None:
        where.append(
            "(available_from IS NOT NULL OR available_until IS NOT NULL)"
            " AND (available_from IS NULL OR available_from <= %(available_on)s)"
            " AND (available_until IS NULL OR available_until >= %(available_on)s)"
        )
        params["available_on"] = available_on
    # Sort keys come from a fixed table, never from the request text.
    order = {
        "id": "id",
        "price": "price, id",
        "-price": "price DESC, id",
        "newest": "year_built DESC NULLS LAST, id",
    }[sort]
    sql = f"SELECT {_COLS}, updated_at, count(*) OVER () AS total FROM properties"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {order} LIMIT %(limit)s OFFSET %(offset)s"
    params["limit"] = limit
    params["offset"] = offset
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    if rows:
        total = int(rows[0]["total"])
    elif offset > 0:
        # Past the end: count separately so `total` is still right.
        count_sql = "SELECT count(*) AS total FROM properties"
        if where:
            count_sql += " WHERE " + " AND ".join(where)
        with conn.cursor(row_factory=dict_row) as cur:
            cur.execute(count_sql, params)
            total = int(cur.fetchone()["total"])  # type: ignore[index]
    else:
        total = 0
    return total, rows


# --- sessions ------------------------------------------------------------------

def store_preferences(conn: psycopg.Connection, prefs: Mapping[str, Any]) -> uuid.UUID:
    session_id = uuid.uuid4()
    conn.execute(
        "INSERT INTO user_preferences (session_id, preferences) VALUES (%s, %s)",
        (session_id, Jsonb(dict(prefs))),
    )
    return session_id


def load_preferences(conn: psycopg.Connection, session_id: uuid.UUID) -> Optional[dict[str, Any]]:
    row = conn.execute(
        "SELECT preferences FROM user_preferences WHERE session_id = %s", (session_id,)
    ).fetchone()
    return None if row is None else dict(row[0])

"""PostgreSQL access: pool, migrations, and every query the app runs.

All SQL here takes its values as parameters (`%s` / `%(name)s`); nothing a
client sends is ever formatted into a statement.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional

import psycopg
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


# --- catalog ------------------------------------------------------------------

def catalog_version(conn: psycopg.Connection) -> int:
    row = conn.execute("SELECT version FROM catalog_state WHERE id = 1").fetchone()
    return int(row[0]) if row else 0


def load_catalog_rows(conn: psycopg.Connection) -> tuple[int, list[dict[str, Any]]]:
    """The catalog version and every listing, from one consistent snapshot."""
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        version = catalog_version(conn)
        with conn.cursor(row_factory=dict_row) as cur:
            cur.execute(f"SELECT {_COLS} FROM properties ORDER BY id")
            records = [row_to_record(r) for r in cur]
    return version, records


def count_properties(conn: psycopg.Connection) -> int:
    row = conn.execute("SELECT count(*) FROM properties").fetchone()
    return int(row[0]) if row else 0


def copy_records(conn: psycopg.Connection, records: Iterable[Mapping[str, Any]]) -> int:
    """Bulk-load records with COPY (one statement: one catalog version bump)."""
    n = 0
    with conn.cursor() as cur:
        with cur.copy(f"COPY properties ({_COLS}) FROM STDIN") as copy:
            for rec in records:
                copy.write_row(record_to_row(rec))
                n += 1
    return n


def upsert_records(conn: psycopg.Connection, records: Iterable[Mapping[str, Any]]) -> int:
    """Insert or replace listings (one statement per listing)."""
    placeholders = ", ".join(["%s"] * len(PROPERTY_COLUMNS))
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in PROPERTY_COLUMNS if c != "id")
    sql = (
        f"INSERT INTO properties ({_COLS}) VALUES ({placeholders}) "
        f"ON CONFLICT (id) DO UPDATE SET {updates}"
    )
    rows = [record_to_row(r) for r in records]
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

"""Load the King County fixture (or MIRA_LISTINGS_PATH) into `properties`.

    python -m mira_api.seed              # only when the table is empty
    python -m mira_api.seed --replace    # truncate and reload, one transaction

The file is read by agent_mira's own loader (so it is validated exactly as the
engine would), then written with COPY: one statement, one catalog version.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path
from typing import Optional

import agent_mira
import psycopg

from . import db
from .config import Settings

log = logging.getLogger("mira_api.seed")


def seed(database_url: str, listings_path: Path, replace: bool = False) -> int:
    """Returns the number of listings written (0 when skipped)."""
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
            catalog = agent_mira.Catalog.from_path(listings_path)
            records = catalog.to_records()
            if existing:
                conn.execute("DELETE FROM properties")
            n = db.copy_records(conn, records)
        log.info("seeded %d listings from %s in %.2f s", n, listings_path, time.perf_counter() - t0)
        return n


def main(argv: Optional[list[str]] = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    ap = argparse.ArgumentParser(prog="python -m mira_api.seed", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--listings", type=Path,
                    help="listings file (default: MIRA_LISTINGS_PATH or the King County fixture)")
    ap.add_argument("--replace", action="store_true", help="replace the table's listings")
    args = ap.parse_args(argv)
    settings = Settings.from_env()
    seed(settings.database_url, args.listings or settings.listings_path, args.replace)
    return 0


if __name__ == "__main__":
    sys.exit(main())

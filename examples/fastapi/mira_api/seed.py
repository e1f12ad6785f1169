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
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path
from typing import Any, Optional

import agent_mira
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


def seed(database_url: str, listings_path: Path, replace: bool = False,
         rentals_path: Optional[Path] = DEFAULT_RENTALS_PATH,
         india_rent_path: Optional[Path] = None,
         investment_path: Optional[Path] = DEFAULT_INVESTMENT_PATH) -> int:
    """Writes the listings of `listings_path`, `rentals_path` (None: no
    rentals), `investment_path` (sales with `estimated_rent`; None: none)
    and `india_rent_path` (the India rent CSV, read with the `india-rent`
    preset; None: not loaded). Returns the number of listings written (0
    when skipped)."""
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
            # One catalog over both: duplicate ids across the files are refused here.
            agent_mira.Catalog.from_records(records)
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
    args = ap.parse_args(argv)
    settings = Settings.from_env()
    rentals = None if args.no_rentals else (args.rentals or settings.rentals_path)
    investment = None if args.no_investment else (args.investment or settings.investment_path)
    seed(settings.database_url, args.listings or settings.listings_path, args.replace, rentals,
         args.india_rent or settings.india_rent_path, investment)
    return 0


if __name__ == "__main__":
    sys.exit(main())

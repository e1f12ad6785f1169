"""Settings from environment variables (read once, when the app is created)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

# examples/fastapi/mira_api/config.py -> the repository root
REPO_ROOT = Path(__file__).resolve().parents[3]
EXAMPLE_DIR = Path(__file__).resolve().parents[1]
MIGRATIONS_DIR = EXAMPLE_DIR / "migrations"

DEFAULT_MODEL_PATH = REPO_ROOT / "fixtures" / "models" / "king-county" / "model.json"
DEFAULT_LISTINGS_PATH = REPO_ROOT / "fixtures" / "king_county" / "listings.csv"
# Hand-written rentals (Mumbai and Pune in INR, Seattle in USD): seeded beside
# the King County sales.
DEFAULT_RENTALS_PATH = REPO_ROOT / "fixtures" / "listings" / "rentals.json"
# Hand-written US-dollar sales with the rent each would fetch per month
# (`estimated_rent`), for investors: seeded beside them.
DEFAULT_INVESTMENT_PATH = REPO_ROOT / "fixtures" / "listings" / "investment.json"
# The real India rent listings (4,746 rows, INR), read with the `india-rent`
# preset: seeded only on request.
DEFAULT_INDIA_RENT_PATH = REPO_ROOT / "fixtures" / "india_rent" / "india_house_rent.csv"


def _split_origins(raw: str) -> list[str]:
    return [o.strip() for o in raw.split(",") if o.strip()]


@dataclass(frozen=True)
class Settings:
    """What the app needs to run.

    | env var | default |
    |---|---|
    | `DATABASE_URL` | required (a libpq URL/DSN) |
    | `PORT` | 8000 (used by `serve` / `python -m mira_api`) |
    | `CORS_ORIGINS` | empty: no cross-origin access; comma-separated origins or `*` |
    | `MIRA_MODEL_PATH` | the bundled King County model; empty: no price model |
    | `MIRA_LISTINGS_PATH` | the King County fixture (read by the seed script) |
    | `MIRA_RENTALS_PATH` | the rentals fixture, seeded beside them; empty: none |
    | `MIRA_INDIA_RENT_PATH` | unset: not seeded; a path: the India rent CSV to seed too |
    | `MIRA_INVESTMENT_PATH` | the investment fixture (sales with `estimated_rent`), seeded beside them; empty: none |
    | `MIRA_RENT_MODEL_PATH` | unset: no rent model; a path: a price model trained on rents, handed to the engine as `rent_model` |
    | `MIRA_PROFILE` | `balanced` (or `case-study`) |
    | `MIRA_CURRENT_YEAR` | the clock's year |
    | `MIRA_MAX_BODY_BYTES` | 65536: larger request bodies get 413 (0: no limit) |
    | `MIRA_RATE_LIMIT` | 20 requests per second per client address (0: no limit) |
    | `MIRA_RATE_BURST` | 40 requests at once per client address |
    """

    database_url: str
    port: int = 8000
    cors_origins: list[str] = field(default_factory=list)
    model_path: Optional[Path] = DEFAULT_MODEL_PATH
    listings_path: Path = DEFAULT_LISTINGS_PATH
    rentals_path: Optional[Path] = DEFAULT_RENTALS_PATH
    india_rent_path: Optional[Path] = None
    investment_path: Optional[Path] = DEFAULT_INVESTMENT_PATH
    # A price model trained on rental listings (rent per month): the engine's
    # rent estimate for sales without their own `estimated_rent`.
    rent_model_path: Optional[Path] = None
    profile: str = "balanced"
    current_year: Optional[int] = None
    # Rebuild coalescing: notifications arriving within this window after the
    # first one are folded into one rebuild.
    rebuild_debounce_seconds: float = 0.2
    pool_max_size: int = 8
    # Request limits (mira_api/limits.py).
    max_body_bytes: int = 64 * 1024
    rate_limit_per_second: float = 20.0
    rate_limit_burst: int = 40

    @classmethod
    def from_env(cls, env: Optional[dict[str, str]] = None) -> "Settings":
        e = os.environ if env is None else env
        url = e.get("DATABASE_URL", "").strip()
        if not url:
            raise RuntimeError(
                "DATABASE_URL is not set (e.g. postgresql://postgres@127.0.0.1:5432/mira); "
                "examples/fastapi/serve starts a throwaway cluster when it is unset"
            )
        model_raw = e.get("MIRA_MODEL_PATH")
        if model_raw is None:
            model_path: Optional[Path] = DEFAULT_MODEL_PATH
        elif model_raw.strip() in ("", "none"):
            model_path = None
        else:
            model_path = Path(model_raw)
        rentals_raw = e.get("MIRA_RENTALS_PATH")
        if rentals_raw is None:
            rentals_path: Optional[Path] = DEFAULT_RENTALS_PATH
        elif rentals_raw.strip() in ("", "none"):
            rentals_path = None
        else:
            rentals_path = Path(rentals_raw)
        india_raw = e.get("MIRA_INDIA_RENT_PATH", "").strip()
        investment_raw = e.get("MIRA_INVESTMENT_PATH")
        if investment_raw is None:
            investment_path: Optional[Path] = DEFAULT_INVESTMENT_PATH
        elif investment_raw.strip() in ("", "none"):
            investment_path = None
        else:
            investment_path = Path(investment_raw)
        rent_model_raw = e.get("MIRA_RENT_MODEL_PATH", "").strip()
        year = e.get("MIRA_CURRENT_YEAR", "").strip()
        return cls(
            database_url=url,
            port=int(e.get("PORT", "8000") or 8000),
            cors_origins=_split_origins(e.get("CORS_ORIGINS", "")),
            model_path=model_path,
            listings_path=Path(e.get("MIRA_LISTINGS_PATH") or DEFAULT_LISTINGS_PATH),
            rentals_path=rentals_path,
            india_rent_path=Path(india_raw) if india_raw else None,
            investment_path=investment_path,
            rent_model_path=(Path(rent_model_raw) if rent_model_raw not in ("", "none")
                             else None),
            profile=e.get("MIRA_PROFILE", "balanced") or "balanced",
            current_year=int(year) if year else None,
            max_body_bytes=int(e.get("MIRA_MAX_BODY_BYTES", "") or 64 * 1024),
            rate_limit_per_second=float(e.get("MIRA_RATE_LIMIT", "") or 20.0),
            rate_limit_burst=int(e.get("MIRA_RATE_BURST", "") or 40),
        )

"""Shared paths and fixtures for the agent-mira Python tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"
# The raw King County sales file (fixtures/king_county/README.md says where it comes from).
KC_DATA = FIXTURES / "king_county" / "kc_house_data.csv"


def read_json(path: Path) -> Any:
    with open(path) as f:
        return json.load(f)


@pytest.fixture(scope="session")
def sample_catalog():  # type: ignore[no-untyped-def]
    import agent_mira as mira

    return mira.Catalog.from_path(FIXTURES / "listings" / "sample.json")


@pytest.fixture(scope="session")
def kc_frame():  # type: ignore[no-untyped-def]
    """King County house sales as a DataFrame (skips when the data is absent)."""
    pd = pytest.importorskip("pandas")
    if not KC_DATA.exists():
        pytest.skip(f"{KC_DATA} not found")
    return pd.read_csv(KC_DATA)

"""Which currency a request is in, when it does not say.

agent_mira never compares prices in different currencies: against a catalog
that mixes them (the seed has King County sales in USD and Mumbai/Pune
rentals in INR) a request must name its `currency`. The app fills it in when
the request's `location` settles it: when every listing at that place is
priced in one currency. A listing without a currency is in dollars (the
engine's rule), so it counts as USD here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Optional

DEFAULT_CURRENCY = "USD"
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def place_key(text: str) -> str:
    """A place as the index keys it: lower case, without punctuation or spaces
    ("Bandra West, Mumbai" -> "bandrawestmumbai")."""
    return _NOT_WORD.sub("", text.casefold())


@dataclass(frozen=True)
class CurrencyIndex:
    """The currencies of a catalog, overall and per place. A listing's place
    keys are its whole location and each comma-separated part of it, so
    "Bandra West, Mumbai" is found as "Bandra West, Mumbai", "Bandra West"
    and "Mumbai"."""

    currencies: frozenset[str] = frozenset()
    by_place: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]]) -> "CurrencyIndex":
        every: set[str] = set()
        places: dict[str, set[str]] = {}
        for rec in records:
            cur = str(rec.get("currency") or DEFAULT_CURRENCY).upper()
            every.add(cur)
            loc = rec.get("location")
            if not loc:
                continue
            keys = {place_key(loc)} | {place_key(part) for part in str(loc).split(",")}
            for key in keys:
                if key:
                    places.setdefault(key, set()).add(cur)
        return cls(frozenset(every), {k: frozenset(v) for k, v in places.items()})

    @property
    def mixed(self) -> bool:
        """True when the catalog holds prices in more than one currency."""
        return len(self.currencies) > 1

    def at(self, location: str) -> frozenset[str]:
        """The currencies of the listings at `location` (empty: no listing there)."""
        return self.by_place.get(place_key(location), frozenset())

    def infer(self, prefs: Mapping[str, Any]) -> Optional[str]:
        """The currency `prefs` is in when it does not name one and the
        catalog mixes currencies: the one currency of the listings at its
        location, else None."""
        if prefs.get("currency") is not None or not self.mixed:
            return None
        location = prefs.get("location")
        if not isinstance(location, str):
            return None
        found = self.at(location)
        return next(iter(found)) if len(found) == 1 else None

    def unsettled(self, prefs: Mapping[str, Any]) -> Optional[str]:
        """Why `prefs` (after `infer`) cannot be answered in one currency, or
        None. A location no listing is in is left to the engine (it refuses
        the place with the closest known one), so it is not reported here."""
        if prefs.get("currency") is not None or not self.mixed:
            return None
        names = " and ".join(sorted(self.currencies))
        options = " or ".join(f'"{c}"' for c in sorted(self.currencies))
        location = prefs.get("location")
        if not isinstance(location, str) or not location.strip():
            return (f"currency: listings are priced in {names}; name the currency of your "
                    f"budget ({options})")
        found = self.at(location)
        if len(found) > 1:
            here = " and ".join(sorted(found))
            return (f"currency: listings in \"{location}\" are priced in {here}; name the "
                    f"currency of your budget ({options})")
        return None

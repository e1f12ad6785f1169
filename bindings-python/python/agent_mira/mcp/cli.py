"""The command line of the MCP server: ``agent-mira-mcp`` and
``python -m agent_mira.mcp``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Callable, NoReturn, TypeVar

if TYPE_CHECKING:
    from agent_mira import Engine

T = TypeVar("T")

PROG = "agent-mira-mcp"


def parser() -> argparse.ArgumentParser:
    """The argument parser (its ``--help`` is the command's documentation)."""
    p = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "Serve an agent-mira engine over the Model Context Protocol (MCP) on "
            "stdio: tools search_properties, recommend, explain, compare_listings, "
            "predict_price, similar_listings and model_info, and resources "
            "mira://catalog/stats and mira://profile. Register it with an MCP host "
            '({"mcpServers": {"agent-mira": {"command": "agent-mira-mcp", "args": '
            '["--catalog", "listings.csv", "--model", "model.json"]}}}).'
        ),
    )
    p.add_argument(
        "--catalog",
        required=True,
        metavar="PATH",
        help="the listings: a .csv, .json or .jsonl file or a case-study directory "
        "(as Catalog.from_path reads them)",
    )
    p.add_argument(
        "--model",
        metavar="PATH",
        help="a price model JSON file (PriceModel.save's format); without one the "
        "listed prices are the predictions and predict_price is unsupported",
    )
    p.add_argument(
        "--rent-model",
        metavar="PATH",
        help="a rent model JSON file (predicts the rent per month of sale listings)",
    )
    p.add_argument(
        "--profile",
        metavar="NAME",
        default="balanced",
        help='the scoring profile: "balanced" (default), "case-study" or "investment"',
    )
    return p


def fail(message: str) -> NoReturn:
    """Print `message` on one line to stderr, prefixed with the program's
    name, and exit with status 2."""
    print(f"{PROG}: {' '.join(message.split())}", file=sys.stderr)
    raise SystemExit(2)


def _load(flag: str, path: str, loader: Callable[[str], T]) -> T:
    import agent_mira as mira

    try:
        return loader(path)
    except (mira.MiraError, OSError, ValueError) as err:
        fail(f"cannot load {flag} {path}: {err}")


def load_engine(args: argparse.Namespace) -> Engine:
    """The engine the flags describe; a bad path, file or profile exits
    with a one-line error naming the flag and the path."""
    import agent_mira as mira

    catalog = _load("--catalog", args.catalog, mira.Catalog.from_path)
    model = _load("--model", args.model, mira.PriceModel.load) if args.model else None
    rent_model = (
        _load("--rent-model", args.rent_model, mira.PriceModel.load) if args.rent_model else None
    )
    try:
        return mira.Engine(catalog, model=model, profile=args.profile, rent_model=rent_model)
    except (mira.MiraError, ValueError) as err:
        fail(f"cannot build the engine (--profile {args.profile}): {err}")


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the flags, load the engine and serve it over MCP on stdio."""
    args = parser().parse_args(argv)
    from . import require_sdk

    try:
        require_sdk()
    except ImportError as err:
        fail(str(err))
    engine = load_engine(args)
    from .server import serve_stdio

    try:
        serve_stdio(engine)
    except KeyboardInterrupt:
        pass

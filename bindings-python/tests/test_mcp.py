"""The MCP server (agent_mira.mcp), used as an agent uses it: started with
the SDK's own stdio client over the bundled King County listings and price
model; every tool called with good input (answers equal to direct engine
calls, compared as JSON exactly) and bad input (tool errors naming the
field); a scripted multi-step agent session."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Awaitable
from pathlib import Path
from typing import Any, Callable

import pytest

from conftest import FIXTURES

if sys.version_info < (3, 10):
    pytest.skip("the MCP server needs Python 3.10+ (the mcp SDK does)", allow_module_level=True)
pytest.importorskip("mcp", reason="the `mcp` package (the agent-mira[mcp] extra) is not installed")

import anyio  # noqa: E402
from mcp import ClientSession  # noqa: E402
from mcp.client.stdio import StdioServerParameters, stdio_client  # noqa: E402

import agent_mira as mira  # noqa: E402

CATALOG = FIXTURES / "king_county" / "listings.csv"
MODEL = FIXTURES / "models" / "king-county" / "model.json"
TOOLS = [
    "search_properties",
    "recommend",
    "explain",
    "compare_listings",
    "predict_price",
    "similar_listings",
    "model_info",
]
BUYER = {
    "budget": 950_000,
    "location": "Bellevue, WA",
    "min_bedrooms": 3,
    "min_bathrooms": 2,
    "min_size_sqft": 1800,
    "preferred_amenities": ["view"],
}
NEW_LISTING = {
    "id": "new-1",
    "price": 650_000,
    "location": "Kirkland, WA",
    "latitude": 47.68,
    "longitude": -122.2,
    "bedrooms": 3,
    "bathrooms": 2.5,
    "size_sqft": 2100,
    "lot_sqft": 6000,
    "year_built": 1995,
    "property_type": "sfh",
}


@pytest.fixture(scope="module")
def engine() -> mira.Engine:
    """The engine the server builds from the same flags, in this process."""
    return mira.Engine(mira.Catalog.from_path(CATALOG), model=mira.PriceModel.load(MODEL))


def as_json(value: Any) -> Any:
    """`value` as the server sends it: through compact JSON (NaN → null)."""
    from agent_mira.mcp.tools import jsonable

    return json.loads(json.dumps(jsonable(value), separators=(",", ":")))


def server_params(*extra: str) -> StdioServerParameters:
    return StdioServerParameters(
        command=sys.executable,
        args=["-m", "agent_mira.mcp", "--catalog", str(CATALOG), "--model", str(MODEL), *extra],
    )


def with_session(body: Callable[[ClientSession], Awaitable[None]]) -> None:
    """Start the server as a subprocess, connect the SDK's client, run `body`."""

    async def main() -> None:
        async with stdio_client(server_params()) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                await body(session)

    anyio.run(main)


async def call_ok(session: ClientSession, name: str, args: dict[str, Any]) -> Any:
    """Call a tool that must succeed; returns its JSON (checked to be the
    same as structured content and as text) and checks the summary line."""
    result = await session.call_tool(name, args)
    texts = [c.text for c in result.content if c.type == "text"]
    assert not result.is_error, texts
    assert len(texts) == 2, texts
    data = json.loads(texts[0])
    assert result.structured_content == data
    assert texts[1] and "\n" not in texts[1]
    return data


async def call_error(session: ClientSession, name: str, args: Any) -> str:
    result = await session.call_tool(name, args)
    assert result.is_error, result
    assert result.structured_content is None
    [text] = [c.text for c in result.content if c.type == "text"]
    return text


def test_tools_resources_and_schemas_are_the_cores() -> None:
    import jsonschema

    def core(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
        schema = copy.deepcopy(mira.input_schema(name))
        schema.pop("$schema")
        return schema, schema.pop("$defs", {})

    async def body(session: ClientSession) -> None:
        listed = (await session.list_tools()).tools
        assert [t.name for t in listed] == TOOLS
        schemas = {t.name: t.input_schema for t in listed}
        for t in listed:
            assert t.description and len(t.description) > 80, t.name
            assert schemas[t.name]["type"] == "object"
            jsonschema.Draft202012Validator.check_schema(schemas[t.name])
        assert schemas["search_properties"] == mira.input_schema("SearchQuery")
        for tool, field, name in [
            ("recommend", "preferences", "Preferences"),
            ("explain", "preferences", "Preferences"),
            ("compare_listings", "preferences", "Preferences"),
            ("predict_price", "listing", "ListingInput"),
            ("similar_listings", "filters", "SimilarFilters"),
        ]:
            schema, defs = core(name)
            assert schemas[tool]["properties"][field] == schema, (tool, field)
            for key, definition in defs.items():
                assert schemas[tool]["$defs"][key] == definition, (tool, key)
        assert schemas["recommend"]["required"] == ["preferences"]
        assert schemas["recommend"]["properties"]["k"]["maximum"] == mira.MAX_RESULTS
        assert schemas["explain"]["required"] == ["preferences", "id"]
        assert schemas["compare_listings"]["properties"]["ids"]["minItems"] == 2
        assert schemas["compare_listings"]["properties"]["ids"]["maxItems"] == 5
        assert schemas["predict_price"]["required"] == ["listing"]
        assert schemas["model_info"]["properties"] == {}
        # The good arguments of the other tests are valid by these schemas,
        # and a misspelt key is not.
        for tool, args in [
            ("recommend", {"preferences": BUYER, "k": 3}),
            ("explain", {"preferences": BUYER, "id": 3655500030}),
            ("compare_listings", {"ids": [1, "b"], "preferences": BUYER}),
            ("predict_price", {"listing": NEW_LISTING}),
            ("similar_listings", {"id": 1, "k": 5, "filters": {"max_price": 1e6}}),
            ("search_properties", {"location": "Bellevue", "sort": "newest", "limit": 5}),
        ]:
            jsonschema.validate(args, schemas[tool])
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({"preferences": {"budjet": 1}}, schemas["recommend"])

        resources = (await session.list_resources()).resources
        assert [(r.uri, r.mime_type) for r in resources] == [
            ("mira://catalog/stats", "application/json"),
            ("mira://profile", "application/json"),
        ]
        # Read first: the counters of a fresh engine are zero on both sides.
        fresh = mira.Engine(mira.Catalog.from_path(CATALOG), model=mira.PriceModel.load(MODEL))
        stats = await session.read_resource("mira://catalog/stats")
        [content] = stats.contents
        assert json.loads(content.text) == as_json(
            {"catalog": fresh.catalog.stats(), "engine": fresh.stats()}
        )
        profile = await session.read_resource("mira://profile")
        assert json.loads(profile.contents[0].text) == as_json(fresh.profile)

    with_session(body)


def test_every_tool_answers_as_the_engine(engine: mira.Engine) -> None:
    async def body(session: ClientSession) -> None:
        query = {
            "location": "Bellevue",
            "min_bedrooms": 3,
            "max_price": 900_000,
            "sort": "price_desc",
            "offset": 5,
            "limit": 5,
        }
        page = await call_ok(session, "search_properties", query)
        assert page == as_json(engine.search(**query))
        assert page["total"] > 10 and len(page["results"]) == 5
        assert [r["price"] for r in page["results"]] == sorted(
            (r["price"] for r in page["results"]), reverse=True
        )

        recs = await call_ok(session, "recommend", {"preferences": BUYER, "k": 3})
        expected = engine.recommend(BUYER, k=3)
        assert recs == as_json({"results": [r.to_dict() for r in expected], "k": 3, "offset": 0})
        top = recs["results"][0]
        assert {"id", "score", "reasons", "components", "predicted_price"} <= set(top)
        page2 = await call_ok(session, "recommend", {"preferences": BUYER, "k": 2, "offset": 1})
        assert page2["results"] == recs["results"][1:3]

        why = await call_ok(session, "explain", {"preferences": BUYER, "id": top["id"]})
        assert why == as_json(engine.explain(BUYER, top["id"]))
        assert why["total"] == top["score"] and why["reasons"] == top["reasons"]
        assert sum(c["contribution"] for c in why["components"]) == why["total"]

        pred = await call_ok(session, "predict_price", {"listing": NEW_LISTING})
        assert pred == as_json(engine.predict_price(NEW_LISTING))
        assert pred["price"] > 0 and isinstance(pred["in_domain"], bool)

        like = await call_ok(
            session, "similar_listings", {"id": top["id"], "k": 4, "filters": {"max_price": 1e6}}
        )
        assert like == as_json(
            {
                "results": [r.to_dict() for r in engine.similar(top["id"], k=4, max_price=1e6)],
                "k": 4,
            }
        )

        info = await call_ok(session, "model_info", {})
        assert info == as_json({"model": engine.model_info(), "price_source": "model"})
        assert info["model"]["name"] == "king-county-gbdt"

    with_session(body)


def test_compare_lays_out_fields_prices_and_scores(engine: mira.Engine) -> None:
    recs = engine.recommend(BUYER, k=3)
    ids = [r.id for r in recs]
    fields = [
        "title",
        "price",
        "currency",
        "listing_type",
        "property_type",
        "location",
        "bedrooms",
        "bathrooms",
        "size_sqft",
        "lot_sqft",
        "year_built",
        "amenities",
        "school_rating",
        "commute_time",
    ]

    async def body(session: ClientSession) -> None:
        plain = await call_ok(session, "compare_listings", {"ids": ids})
        for_buyer = await call_ok(session, "compare_listings", {"ids": ids, "preferences": BUYER})
        for row, rec in zip(plain["listings"], recs):
            listing = engine.get(rec.id)
            assert row == as_json(
                {
                    "id": rec.id,
                    **{f: listing.get(f) for f in fields},
                    "predicted_price": rec.predicted_price,
                }
            )
        for row, rec in zip(for_buyer["listings"], recs):
            e = engine.explain(BUYER, rec.id)
            assert row["score"] == rec.score == e["total"]
            assert row["passed"] is True and row["failed_filters"] == []
            assert row["components"] == as_json(
                [
                    {k: c[k] for k in ("name", "score", "weight", "contribution")}
                    for c in e["components"]
                ]
            )
            assert sum(c["contribution"] for c in row["components"]) == row["score"]
        # A listing a filter removes: still compared, its failed filter named.
        strict = {**BUYER, "must_have_amenities": ["view"]}
        [best] = engine.recommend(strict, k=1)
        cheap = next(
            r["id"]
            for r in engine.search(max_price=300_000, limit=50)["results"]
            if not engine.explain(strict, r["id"])["passed"]
        )
        mixed = await call_ok(
            session, "compare_listings", {"ids": [best.id, cheap], "preferences": strict}
        )
        assert mixed["listings"][0]["passed"] is True
        row = mixed["listings"][1]
        assert row["passed"] is False, row
        assert row["failed_filters"] == ["must_have_amenities"], row
        assert row["score"] == engine.explain(strict, cheap)["total"]
        assert mixed == await call_ok(
            session, "compare_listings", {"ids": [best.id, cheap], "preferences": strict}
        )

    with_session(body)


def test_bad_arguments_are_tool_errors_naming_the_field(engine: mira.Engine) -> None:
    top = engine.recommend(BUYER, k=1)[0].id

    async def body(session: ClientSession) -> None:
        cases: list[tuple[str, Any, list[str]]] = [
            (
                "search_properties",
                {"max_prise": 1},
                ["unknown field `max_prise`", "did you mean `max_price`"],
            ),
            ("search_properties", {"limit": 0}, ["`limit` = 0", "between 1 and 10000"]),
            ("search_properties", {"sort": "cheap"}, ["`sort`", "price_asc"]),
            (
                "search_properties",
                {"min_price": 5, "max_price": 4},
                ["`max_price` = 4", "not below min_price"],
            ),
            ("recommend", {}, ["recommend: missing argument `preferences`"]),
            (
                "recommend",
                {"preferences": {"budjet": 1}},
                ["unknown field `budjet`", "did you mean `budget`"],
            ),
            ("recommend", {"preferences": {"budget": -5}}, ["`budget` = -5"]),
            ("recommend", {"preferences": BUYER, "k": 0}, ["`k` = 0", "from 1 to 10000"]),
            ("recommend", {"preferences": [1]}, ["`preferences`", "expected an object"]),
            (
                "recommend",
                {"preferences": {}, "kk": 3},
                ["unknown argument `kk`", "did you mean `k`"],
            ),
            ("explain", {"preferences": BUYER}, ["explain: missing argument `id`"]),
            ("explain", {"preferences": BUYER, "id": 42}, ["42"]),
            ("explain", {"preferences": BUYER, "id": 1.5}, ["`id` = 1.5", "listing id"]),
            ("compare_listings", {"ids": [top]}, ["`ids`", "2 to 5 listing ids"]),
            ("compare_listings", {"ids": [top, top]}, ["`ids`", "distinct"]),
            ("compare_listings", {"ids": [top, 42]}, ["`ids`", "42 is not the id"]),
            ("predict_price", {"listing": {"price": 1}}, ["`id`"]),
            (
                "predict_price",
                {"listing": {"id": 1, "price": 1, "bedroms": 3}},
                ["unknown field `bedroms`", "did you mean `bedrooms`"],
            ),
            (
                "similar_listings",
                {"id": top, "filters": {"max_prise": 3}},
                ["unknown field `max_prise`"],
            ),
            ("similar_listings", {"id": 42}, ["`id` = 42"]),
            ("model_info", {"x": 1}, ["model_info: unknown argument `x`"]),
            ("no_such_tool", {}, ["unknown tool `no_such_tool`"]),
        ]
        for tool, args, needles in cases:
            text = await call_error(session, tool, args)
            for needle in needles:
                assert needle in text, (tool, args, text)
            assert "Traceback" not in text
        # The server is still up and answering.
        info = await call_ok(session, "model_info", {})
        assert info["price_source"] == "model"

    with_session(body)


def test_a_scripted_agent_session_grounds_every_answer(engine: mira.Engine) -> None:
    """search → recommend → explain the top result → compare the top three
    → similar to the first: each answer equal to the direct engine call."""

    async def body(session: ClientSession) -> None:
        # 1. What is there in Bellevue with 3+ bedrooms under the budget?
        found = await call_ok(
            session,
            "search_properties",
            {"location": "Bellevue, WA", "min_bedrooms": 3, "max_price": 950_000, "limit": 3},
        )
        assert found == as_json(
            engine.search(location="Bellevue, WA", min_bedrooms=3, max_price=950_000, limit=3)
        )
        assert found["total"] > 0
        # 2. Rank them for the buyer.
        ranked = await call_ok(session, "recommend", {"preferences": BUYER, "k": 3})
        direct = engine.recommend(BUYER, k=3)
        assert ranked["results"] == as_json([r.to_dict() for r in direct])
        ids = [r["id"] for r in ranked["results"]]
        # 3. Why the first? Every number it may quote is the engine's.
        why = await call_ok(session, "explain", {"preferences": BUYER, "id": ids[0]})
        assert why == as_json(engine.explain(BUYER, ids[0]))
        assert why["total"] == ranked["results"][0]["score"]
        assert sum(c["contribution"] for c in why["components"]) == why["total"]
        # 4. The top three side by side.
        side = await call_ok(session, "compare_listings", {"ids": ids, "preferences": BUYER})
        assert [r["id"] for r in side["listings"]] == ids
        assert [r["score"] for r in side["listings"]] == [r.score for r in direct]
        assert [r["predicted_price"] for r in side["listings"]] == [
            r.predicted_price for r in direct
        ]
        # 5. Homes like the first.
        like = await call_ok(session, "similar_listings", {"id": ids[0], "k": 3})
        assert like["results"] == as_json([r.to_dict() for r in engine.similar(ids[0], k=3)])

    with_session(body)


def test_explanations_add_up_for_every_recommended_listing(engine: mira.Engine) -> None:
    for prefs in [BUYER, {"budget": 400_000}, {"location": "Seattle", "min_bedrooms": 2}]:
        for rec in engine.recommend(prefs, k=10):
            e = engine.explain(prefs, rec.id)
            assert e["total"] == rec.score
            assert sum(c["contribution"] for c in e["components"]) == e["total"]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "agent_mira.mcp", *args],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_cli_help_and_one_line_errors(tmp_path: Path) -> None:
    helped = run_cli("--help")
    assert helped.returncode == 0
    for flag in ["--catalog", "--model", "--rent-model", "--profile", "mcpServers"]:
        assert flag in helped.stdout, flag
    script = Path(sys.executable).parent / "agent-mira-mcp"
    assert script.exists(), f"console script {script} not installed"
    assert subprocess.run([str(script), "--help"], capture_output=True).returncode == 0

    missing = tmp_path / "nope.csv"
    bad_model = tmp_path / "model.json"
    bad_model.write_text("{not json")
    for args, needle in [
        (["--catalog", str(missing)], f"cannot load --catalog {missing}"),
        (
            ["--catalog", str(CATALOG), "--model", str(bad_model)],
            f"cannot load --model {bad_model}",
        ),
        (
            ["--catalog", str(CATALOG), "--rent-model", str(missing)],
            f"cannot load --rent-model {missing}",
        ),
        (["--catalog", str(CATALOG), "--profile", "nosuch"], "--profile nosuch"),
    ]:
        done = run_cli(*args)
        assert done.returncode == 2, (args, done.stderr)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("agent-mira-mcp: "), done.stderr
        assert needle in lines[0], lines[0]
    assert run_cli().returncode == 2  # --catalog is required


def test_input_schema_by_name() -> None:
    assert mira.input_schema("SearchQuery")["title"] == "SearchQuery"
    assert mira.input_schema("Preferences")["additionalProperties"] is False
    with pytest.raises(ValueError, match="one of Preferences, ListingInput") as err:
        mira.input_schema("Prefs")
    assert isinstance(err.value, mira.InvalidFieldError)
    assert "SearchQuery" in str(err.value)


def test_without_the_sdk_the_command_says_so_in_one_line() -> None:
    code = (
        "import sys; sys.modules['mcp'] = None\n"
        "from agent_mira.mcp.cli import main\n"
        "main(['--catalog', 'listings.csv'])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr == (
        'agent-mira-mcp: agent_mira.mcp needs the `mcp` package: pip install "agent-mira[mcp]"\n'
    )

"""The MCP wiring: a low-level ``mcp`` SDK server whose tools are
:func:`agent_mira.mcp.tools.tools` (each listed with the core's JSON Schema
as its input schema) and whose resources are the catalog's stats and the
active profile.

The low-level server is used (not FastMCP) because it lists each tool with
the input schema given, unchanged: FastMCP derives schemas from Python
signatures. It does not validate arguments against the schema either, so
bad arguments reach the engine, whose messages name the field and the
expectation.
"""

from __future__ import annotations

import json
from typing import Any

from . import require_sdk

require_sdk()

import anyio  # noqa: E402  (after the check: it comes with the SDK)
import mcp.types as types  # noqa: E402
from mcp.server.lowlevel import Server  # noqa: E402
from mcp.server.stdio import stdio_server  # noqa: E402

from .. import Engine, MiraError, __version__  # noqa: E402
from .tools import Answer, Tool, ToolError, jsonable, tools  # noqa: E402

#: The resources' URIs.
CATALOG_STATS_URI = "mira://catalog/stats"
PROFILE_URI = "mira://profile"

INSTRUCTIONS = (
    "A property recommendation engine over one catalog of listings. "
    "search_properties finds listings by plain filters; recommend ranks them for a "
    "buyer's preferences; explain shows how one listing's score adds up (quote its "
    "numbers rather than inventing any); compare_listings sets 2 to 5 side by side; "
    "similar_listings finds homes like one; predict_price values a listing's fields; "
    "model_info describes the price model. Read mira://catalog/stats for what the "
    "catalog holds (places, price range, fields known) before searching."
)


def to_json(data: Any) -> str:
    """Compact JSON (no spaces, UTF-8 kept), non-finite floats as null."""
    return json.dumps(jsonable(data), separators=(",", ":"), ensure_ascii=False)


def catalog_stats(engine: Engine) -> dict[str, Any]:
    """The ``mira://catalog/stats`` resource: ``{"catalog": Catalog.stats(),
    "engine": Engine.stats()}``."""
    return {"catalog": engine.catalog.stats(), "engine": engine.stats()}


def profile(engine: Engine) -> dict[str, Any]:
    """The ``mira://profile`` resource: the active profile (``Engine.profile``)."""
    return engine.profile


def answer_result(answer: Answer) -> types.CallToolResult:
    """A tool's answer as an MCP result: the JSON as structured content and
    as the first text part, then the one-line summary."""
    data = jsonable(answer.data)
    return types.CallToolResult(
        content=[
            types.TextContent(type="text", text=to_json(data)),
            types.TextContent(type="text", text=answer.summary),
        ],
        structured_content=data,
    )


def error_result(message: str) -> types.CallToolResult:
    """A refused call as an MCP tool error (``isError``) carrying `message`."""
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=message)], is_error=True
    )


def call(engine: Engine, tool: Tool | None, name: str, arguments: Any) -> types.CallToolResult:
    """Run one tool call to an MCP result; never raises. An unknown tool,
    arguments that are not an object, and every error of the engine or of
    the argument checks become tool errors naming the tool."""
    if tool is None:
        return error_result(f"unknown tool `{name}`")
    if arguments is None:
        arguments = {}
    if not isinstance(arguments, dict):
        return error_result(f"{name}: arguments must be a JSON object")
    try:
        return answer_result(tool.run(engine, arguments))
    except (MiraError, ToolError, ValueError, TypeError, KeyError) as err:
        message = str(err)
        if isinstance(err, KeyError) and err.args:
            message = str(err.args[0])
        if not message.startswith(name):
            message = f"{name}: {message}"
        return error_result(message)
    except Exception as err:  # noqa: BLE001 - a tool call must never stop the server
        return error_result(f"{name}: internal error ({type(err).__name__}: {err})")


def build_server(engine: Engine) -> Server[Any]:
    """The MCP server over `engine` (not started: see :func:`serve_stdio`)."""
    all_tools = tools()
    by_name = {t.name: t for t in all_tools}
    listed = [
        types.Tool(name=t.name, description=t.description, input_schema=t.input_schema)
        for t in all_tools
    ]
    resources = [
        types.Resource(
            name="catalog-stats",
            uri=CATALOG_STATS_URI,
            mime_type="application/json",
            description="The catalog's and engine's stats: listings, places, price "
            "ranges, fields known, price source, profile, request counters.",
        ),
        types.Resource(
            name="profile",
            uri=PROFILE_URI,
            mime_type="application/json",
            description="The active scoring profile: its components, weights and curves.",
        ),
    ]
    readers = {CATALOG_STATS_URI: catalog_stats, PROFILE_URI: profile}

    async def list_tools(ctx: Any, params: Any) -> types.ListToolsResult:
        return types.ListToolsResult(tools=listed)

    async def call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        tool = by_name.get(params.name)
        # The engine releases the GIL: a worker thread keeps the loop free.
        return await anyio.to_thread.run_sync(call, engine, tool, params.name, params.arguments)

    async def list_resources(ctx: Any, params: Any) -> types.ListResourcesResult:
        return types.ListResourcesResult(resources=resources)

    async def read_resource(
        ctx: Any, params: types.ReadResourceRequestParams
    ) -> types.ReadResourceResult:
        uri = str(params.uri)
        reader = readers.get(uri)
        if reader is None:
            raise ValueError(f"unknown resource {uri!r}: expected one of {', '.join(readers)}")
        text = to_json(reader(engine))
        return types.ReadResourceResult(
            contents=[types.TextResourceContents(uri=uri, mime_type="application/json", text=text)]
        )

    return Server(
        "agent-mira",
        version=__version__,
        instructions=INSTRUCTIONS,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
        on_list_resources=list_resources,
        on_read_resource=read_resource,
    )


async def serve_stdio_async(engine: Engine) -> None:
    """Serve `engine` over MCP on this process's stdin and stdout until
    the client closes them."""
    server = build_server(engine)
    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())


def serve_stdio(engine: Engine) -> None:
    """Serve `engine` over MCP on stdio (blocking) until the client closes it."""
    anyio.run(serve_stdio_async, engine)

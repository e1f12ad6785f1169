"""An MCP (Model Context Protocol) server over the engine: ``agent-mira-mcp``.

Install the extra (Python 3.10 or newer: the official ``mcp`` SDK needs it)::

    pip install "agent-mira[mcp]"
    agent-mira-mcp --catalog listings.csv --model model.json

or ``python -m agent_mira.mcp`` with the same flags. The server speaks MCP
over stdio. Its tools (``search_properties``, ``recommend``, ``explain``,
``compare_listings``, ``predict_price``, ``similar_listings``,
``model_info``) take the core's own JSON Schemas as input schemas
(:func:`agent_mira.input_schema`) and answer with compact JSON (as
structured content and as a text part) and a one-line summary; bad
arguments come back as tool errors (``isError``) that name the field and
the expectation. Resources: ``mira://catalog/stats`` and ``mira://profile``.

Modules: :mod:`.schemas` (the tools' input schemas), :mod:`.tools` (each
tool's work: engine calls in, JSON and a summary out; ``TOOL_NAMES``),
:mod:`.server` (the MCP wiring: ``build_server(engine)``,
``serve_stdio(engine)``), :mod:`.cli` (the command line: ``main()``). This
package itself imports nothing of the SDK, so that the command can say in
one line what is missing (:func:`require_sdk`).
"""

from __future__ import annotations

__all__ = ["require_sdk"]


def require_sdk() -> None:
    """Raise ImportError with what to do when the MCP server cannot run here:
    Python older than 3.10, or the ``mcp`` package missing.

    Raises:
        ImportError: the one-line reason and the fix.
    """
    import sys

    if sys.version_info < (3, 10):
        raise ImportError(
            "agent_mira.mcp needs Python 3.10 or newer (the official `mcp` SDK does); "
            f"this is Python {sys.version_info.major}.{sys.version_info.minor}"
        )
    try:
        import mcp  # noqa: F401
    except ImportError as err:
        raise ImportError(
            'agent_mira.mcp needs the `mcp` package: pip install "agent-mira[mcp]"'
        ) from err

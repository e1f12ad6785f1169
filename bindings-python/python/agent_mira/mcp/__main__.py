"""``python -m agent_mira.mcp``: the same as the ``agent-mira-mcp`` command."""

from .cli import main

if __name__ == "__main__":
    main()

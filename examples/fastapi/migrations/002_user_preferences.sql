-- A buyer session's preferences (the agent_mira preference dict, validated
-- by the engine before it is stored).
CREATE TABLE IF NOT EXISTS user_preferences (
    session_id   uuid PRIMARY KEY,
    preferences  jsonb NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

"""The live queue cache: which message shows the queue, and who waits in it."""
import json
import os
from pathlib import Path


def cache_path() -> Path:
    """QUEUE_CACHE_FILE wins; else DATA_DIR/live_queue_cache.json, as the bot does."""
    explicit = os.environ.get("QUEUE_CACHE_FILE")
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("DATA_DIR", "data")) / "live_queue_cache.json"


def load(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    if "queue_message_id" not in data:
        raise KeyError("queue_message_id")
    return data


def position(cache: dict, user_id: int) -> int:
    """1-based place of a user in the queue, or 0 when not queued."""
    try:
        return cache["entries"].index(user_id) + 1
    except ValueError:
        return 0

import json
import os
import tempfile
import unittest
from pathlib import Path

from bot import queue_cache


class QueueCacheTest(unittest.TestCase):
    def test_position_of_queued_user(self):
        self.assertEqual(queue_cache.position({"entries": [7, 9, 11]}, 9), 2)

    def test_position_of_absent_user_is_zero(self):
        self.assertEqual(queue_cache.position({"entries": [7]}, 5), 0)

    def test_load_requires_message_id(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "cache.json"
            path.write_text(json.dumps({"entries": []}), encoding="utf-8")
            with self.assertRaises(KeyError):
                queue_cache.load(path)

    def test_cache_path_prefers_variable(self):
        os.environ["QUEUE_CACHE_FILE"] = "/tmp/q.json"
        try:
            self.assertEqual(str(queue_cache.cache_path()), "/tmp/q.json")
        finally:
            del os.environ["QUEUE_CACHE_FILE"]

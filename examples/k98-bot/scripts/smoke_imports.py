"""Imports every bot module, as CI's smoke check does.

With K98_REAL_DEPS=1 it also imports the bot's real third-party dependencies, which fails on
a machine without them exactly like the real bot's smoke check does in CI.
"""
import importlib
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

MODULES = ["bot", "bot.queue_cache", "bot.commands"]
if os.environ.get("K98_REAL_DEPS") == "1":
    MODULES += ["discord", "aiofiles"]

failed = 0
for name in MODULES:
    try:
        importlib.import_module(name)
        print(f"ok      {name}")
    except Exception as error:  # report every module, then fail once
        failed += 1
        print(f"FAILED  {name}: {type(error).__name__}: {error}")
print(f"{len(MODULES) - failed} imported, {failed} failed")
sys.exit(1 if failed else 0)

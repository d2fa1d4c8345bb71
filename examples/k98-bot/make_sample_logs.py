"""Writes the sample bot's logs/ and data/ (committed). Run again to regenerate them.

The lines follow the bot's format `YYYY-MM-DD HH:MM:SS,mmm [LEVEL] logger: message` (UTC);
crash.log holds Python tracebacks, one of them chained; rotated siblings are older.
"""
import json
import os
import random
from datetime import datetime, timedelta, timezone

random.seed(98)
HERE = os.path.dirname(os.path.abspath(__file__))
LOGS = os.path.join(HERE, "logs")
DATA = os.path.join(HERE, "data")
START = datetime(2026, 11, 30, 18, 0, 0, tzinfo=timezone.utc)

MESSAGES = [
    ("INFO", "bot.core", "Connected to gateway as K98#0098 (shard 0)"),
    ("INFO", "bot.queue", "Queue refreshed: {n} waiting"),
    ("DEBUG", "bot.telemetry", "heartbeat latency={ms}ms"),
    ("WARNING", "bot.queue", "Queue message {mid} not found, recreating"),
    ("INFO", "bot.commands", "!queue join by user {uid}"),
    ("ERROR", "bot.queue", "Failed to edit queue message {mid}: 404 Unknown Message"),
    ("INFO", "bot.watchdog", "watchdog ok, uptime {n}s"),
]


def stamp(moment):
    return moment.strftime("%Y-%m-%d %H:%M:%S,") + f"{moment.microsecond // 1000:03d}"


def line(moment, level, logger, text):
    return f"{stamp(moment)} [{level}] {logger}: {text}\n"


def fill(template):
    return template.format(
        n=random.randint(0, 40), ms=random.randint(30, 400),
        mid=random.randint(10**17, 10**18), uid=random.randint(10**17, 10**18),
    )


def write_log(name, start, count, levels=None):
    moment = start
    with open(os.path.join(LOGS, name), "w", encoding="utf-8") as handle:
        for _ in range(count):
            moment += timedelta(milliseconds=random.randint(200, 9000))
            level, logger, text = random.choice(MESSAGES)
            if levels and level not in levels:
                continue
            handle.write(line(moment, level, logger, fill(text)))
    return moment


TRACEBACK = '''{stamp} [CRITICAL] bot.core: Unhandled exception in task refresh_queue
Traceback (most recent call last):
  File "/srv/k98/bot/queue_cache.py", line 21, in load
    raise KeyError("queue_message_id")
KeyError: 'queue_message_id'

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/srv/k98/bot/tasks.py", line 88, in refresh_queue
    cache = queue_cache.load(path)
  File "/srv/k98/bot/tasks.py", line 52, in _reload
    raise RuntimeError("queue cache unusable, refusing to post")
RuntimeError: queue cache unusable, refusing to post
'''

OLD_TRACEBACK = '''{stamp} [CRITICAL] bot.core: Unhandled exception in on_message
Traceback (most recent call last):
  File "/srv/k98/bot/commands.py", line 5, in parse
    raise ValueError("not a command")
ValueError: not a command
'''


def main():
    os.makedirs(LOGS, exist_ok=True)
    os.makedirs(DATA, exist_ok=True)
    t = write_log("log.txt.2", START - timedelta(days=2), 600)
    t = write_log("log.txt.1", START - timedelta(days=1), 600)
    end = write_log("log.txt", START, 900)
    write_log("error_log.txt.1", START - timedelta(days=1), 400, {"WARNING", "ERROR"})
    write_log("error_log.txt", START, 900, {"WARNING", "ERROR", "CRITICAL"})
    with open(os.path.join(LOGS, "crash.log.1"), "w", encoding="utf-8") as handle:
        handle.write(OLD_TRACEBACK.format(stamp=stamp(START - timedelta(hours=20))))
    with open(os.path.join(LOGS, "crash.log"), "w", encoding="utf-8") as handle:
        handle.write(OLD_TRACEBACK.format(stamp=stamp(START + timedelta(hours=1))))
        handle.write(TRACEBACK.format(stamp=stamp(end)))
    with open(os.path.join(LOGS, "telemetry_log.jsonl"), "w", encoding="utf-8") as handle:
        moment = START
        for index in range(200):
            moment += timedelta(seconds=30)
            handle.write(json.dumps({"ts": moment.isoformat(), "event": "heartbeat",
                                     "latency_ms": random.randint(30, 400), "seq": index}) + "\n")
    heartbeat = {"ts": end.isoformat(), "pid": 4242, "status": "degraded"}
    json.dump(heartbeat, open(os.path.join(LOGS, "heartbeat.json"), "w"), indent=2)
    shutdown = {"ts": end.isoformat(), "reason": "crash", "exit_code": 1,
                "last_task": "refresh_queue", "uptime_s": 13210}
    json.dump(shutdown, open(os.path.join(LOGS, "last_shutdown_info.json"), "w"), indent=2)
    json.dump({**shutdown, "source": "watchdog"},
              open(os.path.join(DATA, "LAST_SHUTDOWN_INFO.json"), "w"), indent=2)
    json.dump({"queue_message_id": None, "channel_id": 1100000000000000098,
               "entries": [101, 202, 303]},
              open(os.path.join(DATA, "live_queue_cache.json"), "w"), indent=2)
    json.dump({"synced_at": end.isoformat(), "commands": ["queue", "leave", "status"]},
              open(os.path.join(DATA, "command_cache.json"), "w"), indent=2)
    json.dump({"pid": 4242, "host": "k98-prod-1", "since": START.isoformat()},
              open(os.path.join(DATA, "BOT_LOCK.json"), "w"), indent=2)
    # Personal data the action must NOT collect by default.
    json.dump({"users": [{"id": 101, "name": "alice", "email": "alice@example.invalid"}]},
              open(os.path.join(DATA, "user_profiles.json"), "w"), indent=2)


if __name__ == "__main__":
    main()

"""Command parsing for the bot's text commands."""


def parse(text: str) -> tuple[str, list[str]]:
    if not text.startswith("!"):
        raise ValueError("not a command")
    name, *args = text[1:].split()
    return name.lower(), args

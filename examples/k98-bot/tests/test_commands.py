import unittest

from bot import commands


class CommandsTest(unittest.TestCase):
    def test_parse_name_and_args(self):
        self.assertEqual(commands.parse("!Queue join now"), ("queue", ["join", "now"]))

    def test_rejects_plain_text(self):
        with self.assertRaises(ValueError):
            commands.parse("hello")

"""A small stand-in for the K98 Discord bot: the parts its checks exercise, stdlib only."""

#!/usr/bin/env python3
"""Runs one Python peer parser on one file and prints how many messages it found.

Usage: peers.py chat-miner-whatsapp|chat-miner-telegram|whatstk FILE
Installed by bench/chat/run.sh into a scratch virtualenv; never imported by tests.
"""
import sys


def main() -> int:
    tool, path = sys.argv[1], sys.argv[2]
    if tool == "chat-miner-whatsapp":
        from chatminer.chatparsers import WhatsAppParser
        p = WhatsAppParser(path)
        p.parse_file()
        n = len(p.parsed_messages._parsed_messages)
    elif tool == "chat-miner-telegram":
        from chatminer.chatparsers import TelegramJsonParser
        p = TelegramJsonParser(path)
        p.parse_file()
        n = len(p.parsed_messages._parsed_messages)
    elif tool == "whatstk":
        from whatstk import WhatsAppChat
        # whatstk refuses files over 50 MB unless told otherwise.
        n = len(WhatsAppChat.from_source(filepath=path, max_size=None).df)
    else:
        print(f"unknown tool {tool}", file=sys.stderr)
        return 2
    print(n)
    return 0


if __name__ == "__main__":
    sys.exit(main())

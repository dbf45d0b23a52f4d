"""Sitting files as text: bytes decoded (UTF-8, a byte-order mark dropped), JSON told
from a table, and the items of a JSON list with the line each starts on."""

from __future__ import annotations

import json
from typing import Any

from runload.errors import SittingError


def decode_text(data: bytes, path: str) -> str:
    """Bytes as text (UTF-8, a BOM dropped); ``SittingError`` naming the byte otherwise."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SittingError(f"{path}: is not UTF-8 text (byte {exc.start})") from None


def looks_like_json(text: str) -> bool:
    return text.lstrip("\ufeff \t\r\n")[:1] in ("[", "{")


def json_items(text: str) -> list[tuple[int, Any]]:
    """The elements of a top-level JSON list with the line each starts on."""
    decoder = json.JSONDecoder()
    n = len(text)

    def skip(i: int) -> int:
        while i < n and text[i] in " \t\r\n":
            i += 1
        return i

    i = skip(0)
    if i < n and text[i] == "{":
        obj, _ = decoder.raw_decode(text, i)
        return [(text.count("\n", 0, i) + 1, obj)]
    if i >= n or text[i] != "[":
        raise json.JSONDecodeError("Expecting a list of day objects", text, i)
    i = skip(i + 1)
    items: list[tuple[int, Any]] = []
    if i < n and text[i] == "]":
        return items
    while True:
        obj, j = decoder.raw_decode(text, i)
        items.append((text.count("\n", 0, i) + 1, obj))
        i = skip(j)
        if i < n and text[i] == ",":
            i = skip(i + 1)
            continue
        if i < n and text[i] == "]":
            return items
        raise json.JSONDecodeError("Expecting ',' delimiter", text, i)

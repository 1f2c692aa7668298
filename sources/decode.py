"""Bytes to text: find the encoding a text report was saved in, or say why it is not text
(sources.formats reads PDFs, Word documents and web pages before this)."""

from __future__ import annotations

import unicodedata
from collections import Counter

# What a file starting with these bytes really is, in words a user understands.
SIGNATURES = {
    b"\x89PNG": "a PNG image, not a text file",
    b"\xff\xd8\xff": "a JPEG image, not a text file",
    b"GIF8": "a GIF image, not a text file",
    b"\x1f\x8b": "a gzip archive, not a text file",
    b"Rar!": "a RAR archive, not a text file",
    b"7z\xbc\xaf": "a 7-Zip archive, not a text file",
}
BOMS = [(b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")]
# Below this share of readable characters a decode is taken as binary noise.
MIN_READABLE_SHARE = 0.95


class RejectedFile(Exception):
    """A file that cannot be read as a report; ``reason`` is meant for users."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def decode_report(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)`` or raise :class:`RejectedFile`."""
    if not data.strip():
        raise RejectedFile("empty file: it has no text" if data else "empty file (0 bytes)")
    for magic, what in SIGNATURES.items():
        if data.startswith(magic):
            raise RejectedFile(f"this is {what}")
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return checked(data, encoding, bom=True), encoding
    for encoding in candidate_encodings(data):
        try:
            return checked(data, encoding), encoding
        except (UnicodeDecodeError, RejectedFile):
            continue
    if b"\x00" in data or readable_share(data.decode("latin-1")) < MIN_READABLE_SHARE:
        raise RejectedFile("binary data, not text: the file is not a text report")
    raise RejectedFile("undecodable text: not valid UTF-8, GB18030 or UTF-16; save the report as UTF-8")


def candidate_encodings(data: bytes) -> list[str]:
    # UTF-16 without a BOM shows as a NUL in every other byte of ASCII-range text.
    nul_even = data[0::2].count(0)
    nul_odd = data[1::2].count(0)
    half = max(1, len(data) // 2)
    if nul_odd > 0.2 * half and nul_even < 0.05 * half:
        return ["utf-16-le"]
    if nul_even > 0.2 * half and nul_odd < 0.05 * half:
        return ["utf-16-be"]
    if b"\x00" in data:
        return []
    return ["utf-8", "gb18030"]


def checked(data: bytes, encoding: str, bom: bool = False) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        # A file cut mid-character at its very end (an interrupted copy) keeps all but that character.
        if err.start < len(data) - 4 or encoding.startswith("utf-16"):
            raise
        text = data[: err.start].decode(encoding)
    if encoding == "utf-16":
        text = text.lstrip("\ufeff")
    if readable_share(text) < MIN_READABLE_SHARE:
        raise RejectedFile("binary data, not text: the file is not a text report")
    if bom and not text.strip():
        raise RejectedFile("empty file: it has no text")
    return text


def readable_share(text: str) -> float:
    if not text:
        return 0.0
    # Only lines with a character str.isprintable refuses (a wide space, a control character) can
    # hold an unreadable one; they are counted per distinct character, the rest not at all.
    odd = "".join(line for line in text.replace("\r", "").replace("\t", " ").split("\n") if not line.isprintable())
    unreadable = sum(
        count for ch, count in Counter(odd).items() if unicodedata.category(ch) in ("Cc", "Co", "Cs", "Cn")
    )
    return 1 - unreadable / len(text)

"""Which dedup keys an import may already have written: a fixed-size bit set.

The batch writer skips the dedup look-up for the quotes of speakers that the
import itself created (nobody else had a name for them), unless this set says
the key may have been written by an earlier batch of the same import. It is a
Bloom filter with one hash: "no" is certain, "maybe" costs one look-up. A
fixed 2 MiB keeps memory flat however long the file is; past a few million
keys more of them answer "maybe" and are looked up as before, which is only
slower. Python's hash of a (speaker id, text hash) key is randomised per
process, so the set means nothing outside the import that filled it.
"""

from __future__ import annotations

from collections.abc import Iterable

#: A quote's dedup key: (speaker id, text hash).
Key = tuple[int, str]
#: 2**24 bits in 2 MiB: at 200,000 keys about one key in a hundred answers "maybe".
BITS = 1 << 24


class SeenKeys:
    """Keys added are always "maybe seen"; a key never added is almost always "unseen"."""

    def __init__(self, bits: int = BITS) -> None:
        if bits < 8 or bits & (bits - 1):
            raise ValueError("the bit count must be a power of two, at least 8")
        self._bits = bytearray(bits >> 3)
        self._mask = bits - 1

    def add(self, keys: Iterable[Key]) -> None:
        bits, mask = self._bits, self._mask
        for key in keys:
            slot = hash(key) & mask
            bits[slot >> 3] |= 1 << (slot & 7)

    def maybe(self, keys: Iterable[Key]) -> list[Key]:
        """The keys that may have been added (every key that was, a few that were not)."""
        bits, mask = self._bits, self._mask
        return [key for key in keys if bits[(slot := hash(key) & mask) >> 3] >> (slot & 7) & 1]

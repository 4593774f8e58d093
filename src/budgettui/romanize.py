"""Pinyin of a few words (a department's name) from pypinyin's dictionaries, without loading them.

`import pypinyin` parses its two JSON dictionaries (a 2.5 MB phrase list and 0.8 MB of single
characters) into dicts: 0.3–0.4 s, for the dozen characters of a bundle's name. Here the same
files are mapped and binary-searched (their keys are sorted) for just the entries a word needs
(well under a millisecond each), and pypinyin's algorithm for
`lazy_pinyin(word, errors=lambda chars: list(chars))` is followed step by step: the word cut
into runs of Chinese characters and others (others kept as they are), each run cut by forward
maximum matching against the phrase list (pypinyin's strict `mmseg`), a phrase read as the list
gives it, any other character by its first reading; tones dropped (ü as v, as Style.NORMAL).
tests/test_dataset.py holds it to pypinyin's own result on real department names.
"""

from __future__ import annotations

import mmap
import re
import unicodedata
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

#: pypinyin's RE_HANS: the characters it has readings for (CJK blocks).
_HANS = re.compile(
    "[\u3007\ue815-\ue864\ufa18\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0002A6DF\U0002A703-\U0002B73F\U0002B740-\U0002B81D\U0002B825-\U0002BF6E"
    "\U0002C029-\U0002CE93\U0002D016\U0002D11B-\U0002EBD9\U0002F80A-\U0002FA1F"
    "\U00030000-\U0003134A\U00031350-\U00032389]"
)
_RUNS = re.compile(rf"(?:{_HANS.pattern})+|(?:(?!{_HANS.pattern}).)+", re.DOTALL)
_V = str.maketrans({"ü": "v", "ǖ": "v", "ǘ": "v", "ǚ": "v", "ǜ": "v"})


@cache
def _dictionary(name: str) -> mmap.mmap:
    """One of pypinyin's JSON files, mapped (found without importing pypinyin)."""
    spec = find_spec("pypinyin")
    if spec is None or spec.origin is None:
        raise ImportError("pypinyin is not installed")
    with open(Path(spec.origin).parent / name, "rb") as stream:
        return mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)


#: What ends a key in each file (`"一丁不识": [` and `"12295": "líng,yuán,xīng",`), and the
#: order of its keys (json.dump's sort_keys: code points; numbers for the characters).
_PHRASES = ("phrases_dict.json", b'": [\n', lambda key: key)
_CHARACTERS = ("pinyin_dict.json", b'": "', int)


def _first_key(table: tuple, target: Any) -> tuple[bytes, int] | None:
    """The first key of a dictionary file not below `target`, and where its value starts: a
    binary search over the file's bytes (its keys are sorted), a few probes per lookup."""
    name, end_of_key, order = table
    data = _dictionary(name)

    def key_at(position: int) -> tuple[bytes, int] | None:
        at = data.find(end_of_key, position)
        if at < 0:
            return None
        return data[data.rfind(b"\n", 0, at) + 2 : at], at + len(end_of_key)

    low, high = 0, len(data)
    while low < high:
        middle = (low + high) // 2
        found = key_at(middle)
        if found is not None and order(found[0]) < target:
            low = middle + 1
        else:
            high = middle
    return key_at(low)


def _is_prefix(text: str) -> bool:
    """Whether a phrase of the list starts with `text`."""
    key = text.encode()
    found = _first_key(_PHRASES, key)
    return found is not None and found[0].startswith(key)


def _phrase(text: str) -> list[str] | None:
    """The readings of a phrase of the list (the first of each character), None when not listed."""
    key = text.encode()
    found = _first_key(_PHRASES, key)
    if found is None or found[0] != key:
        return None
    data = _dictionary(_PHRASES[0])
    value = data[found[1] - 2 : data.find(b"]\n]", found[1]) + 1]
    return [reading.decode() for reading in re.findall(rb'\[\n"([^"]*)"', value)]


def _reading(char: str) -> str | None:
    """The first reading of one character, None when pypinyin has none."""
    found = _first_key(_CHARACTERS, ord(char))
    if found is None or int(found[0]) != ord(char):
        return None
    data = _dictionary(_CHARACTERS[0])
    return data[found[1] : data.find(b'"', found[1])].decode().split(",")[0]


def _cut(run: str) -> list[str]:
    """A run of Chinese characters cut into words: the longest listed phrase at each place
    (extending while a phrase starts with what was read), else one character."""
    words = []
    while run:
        longest = 0
        for end in range(1, len(run) + 1):
            if not _is_prefix(run[:end]):
                break
            if _phrase(run[:end]) is not None:
                longest = end
        longest = longest or (len(run) if _phrase(run) is not None else 1)
        words.append(run[:longest])
        run = run[longest:]
    return words


def _normal(reading: str) -> str:
    """A reading without its tone (Style.NORMAL): ü as v, other marks dropped."""
    folded = unicodedata.normalize("NFKD", reading.translate(_V))
    return "".join(c for c in folded if not unicodedata.combining(c))


def lazy_pinyin(text: str) -> list[str]:
    """pypinyin.lazy_pinyin(text, errors=lambda chars: list(chars)), but for tone marks on
    letters other than ü, which are dropped here rather than in the caller."""
    result: list[str] = []
    for run in _RUNS.findall(text):
        if not _HANS.match(run):
            result.extend(run)
            continue
        for word in _cut(run):
            readings = _phrase(word) if len(word) > 1 else None
            if readings is None or len(readings) != len(word):
                readings = [_reading(char) or char for char in word]
            result.extend(_normal(r) for r in readings)
    return result

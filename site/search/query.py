"""What a live query's words stand for: the plan both engines' ``search`` follow.

FORMAT.md's evaluation, on an engine's own vocabulary instead of the static
files: each word of the query becomes the terms it matches (its own terms,
and when the query ends with ``*`` the last word's completions). An engine
then scores the plan with its own ranking function.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from .text import words

PREFIX_MIN = 2  # the shortest last word completed as a prefix
PREFIX_TERMS = 5  # how many completion terms it adds at most


@dataclass
class Word:
    key: str
    # (term, a key whose only term it is): the engine queries the key to reach the term
    terms: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Plan:
    words: list[Word]
    prefix: bool


def plan(
    query: str,
    analyze: Callable[[Sequence[str]], dict[str, list[str]]],
    keys_starting: Callable[[str], list[str]],
    frequencies: Mapping[str, int],
) -> Plan:
    """The words of ``query`` (deduplicated) and the terms each stands for.

    A trailing ``*`` makes the last word a prefix still being typed.
    """
    text = query.rstrip()
    prefix = text.endswith("*")
    keys = list(dict.fromkeys(words(text)))
    planned = []
    for index, key in enumerate(keys):
        terms = {term: key for term in analyze([key])[key] if frequencies.get(term, 0) > 0}
        if prefix and index == len(keys) - 1 and len(key) >= PREFIX_MIN:
            completions = keys_starting(key)
            analysed = analyze(completions)
            found: dict[str, str] = {}
            for completion in completions:
                for term in analysed[completion]:
                    if frequencies.get(term, 0) > 0 and analysed[completion] == [term]:
                        found.setdefault(term, completion)
            best = sorted(found, key=lambda term: (-frequencies[term], term))[:PREFIX_TERMS]
            for term in best:
                terms.setdefault(term, found[term])
        planned.append(Word(key, sorted(terms.items())))
    return Plan(planned, prefix)

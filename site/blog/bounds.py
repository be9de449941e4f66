"""Limits on front matter, so that no file can make the build hang or eat memory.

A YAML alias (``*name``) repeats its anchor's value; nine lines of aliases of
aliases stand for billions of values (the "billion laughs"), and an anchor
may even hold an alias of itself. PyYAML builds such a document quickly, as
shared objects, but every later step that walks the values would not end.
So the parsed nodes are measured first, as if every alias were written out,
and a document over the limits is refused with the line of the alias.
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_BYTES = 64_000  # front matter of real posts is a few hundred bytes
MAX_VALUES = 10_000  # values once every alias is expanded
MAX_DEPTH = 32  # lists and mappings inside each other


def yaml_problem(root: yaml.Node) -> tuple[int, str] | None:
    """(file line, message) when the document of ``root`` is too large or deep once expanded, else None.

    The block starts on file line 2 (after the opening ``---``).
    """
    if _small_tree(root):  # what nearly every post's front matter is: no alias, few values
        return None
    sizes: dict[int, int] = {}
    depths: dict[int, int] = {}
    # post-order walk without recursion: (node, children done?)
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    open_nodes: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = _children(node)
        if not done:
            if key in sizes:
                continue
            if key in open_nodes:  # an anchor holding an alias of itself
                return node.start_mark.line + 2, "a YAML alias refers to the value that holds it; write it out"
            open_nodes.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        open_nodes.discard(key)
        sizes[key] = 1 + sum(sizes.get(id(child), 0) for child in children)
        depths[key] = 1 + max((depths.get(id(child), 0) for child in children), default=0)
        if sizes[key] > MAX_VALUES:
            return node.start_mark.line + 2, (
                f"front matter holds more than {MAX_VALUES:,} values once its YAML aliases (`*name`) are "
                "expanded; write the values out instead of repeating aliases"
            )
        if depths[key] > MAX_DEPTH:
            return node.start_mark.line + 2, f"front matter nests lists or mappings more than {MAX_DEPTH} deep"
    return None


def _small_tree(root: yaml.Node) -> bool:
    """Whether ``root`` shares no node (no alias) and is within the limits: then no node of it is over them,
    for each node's expanded size and depth are at most the whole tree's."""
    seen: set[int] = set()
    stack = [(root, 1)]
    while stack:
        node, level = stack.pop()
        if id(node) in seen or len(seen) >= MAX_VALUES or level > MAX_DEPTH:
            return False  # an alias, or big or deep: measured the careful way
        seen.add(id(node))
        stack.extend((child, level + 1) for child in _children(node))
    return True


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def depth(value: Any) -> int:
    """How deep lists and mappings nest in ``value`` (a parsed TOML document: no sharing, no cycles)."""
    deepest = 0
    stack = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, level + 1)
            if deepest > MAX_DEPTH:
                return deepest
            stack.extend((child, level + 1) for child in item)
    return deepest

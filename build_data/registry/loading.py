"""Metadata files in, their contents out with where each value was written (line numbers by key path).

A key path is the tuple of mapping keys and list positions leading to a value, the same shape as a
pydantic error's `loc`, so a validation error can be reported at the line a person has to edit.
"""
from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import yaml

from ..errors import MetadataInvalid

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # libyaml when installed: the same values, faster


@dataclasses.dataclass(frozen=True)
class Located:
    """A metadata file's contents and the line (1-based) where each key path starts."""
    path: Path
    data: object
    lines: dict

    def line_of(self, loc: tuple) -> int | None:
        """The line of the longest prefix of loc that the file has (a missing key: its entry's line)."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get(())


def node_lines(node, prefix: tuple = (), lines: dict | None = None, repeated: list | None = None) -> dict:
    """A composed YAML node in, {key path: line} for it and everything under it out; a key written twice in
    one mapping (YAML would silently keep the last) is added to repeated as (key path, line)."""
    lines = {} if lines is None else lines
    lines.setdefault(prefix, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag.endswith(":merge"):
                continue    # a `<<: *anchor` merge: its keys belong to the anchor's lines
            path = prefix + (key_node.value,)
            if key_node.value in seen and repeated is not None:
                repeated.append((path, key_node.start_mark.line + 1))
            seen.add(key_node.value)
            lines[path] = key_node.start_mark.line + 1
            node_lines(value_node, path, lines, repeated)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            node_lines(item, prefix + (index,), lines, repeated)
    return lines


def missing_file(path: Path) -> MetadataInvalid:
    return MetadataInvalid("The metadata file does not exist.", file=path,
                           fix=f"Restore {path.name} from version control.")


def load_yaml(path: Path) -> Located:
    """A YAML metadata file in, its contents and line map out; missing or malformed is MetadataInvalid."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise missing_file(path) from None
    loader = LOADER(text)
    try:     # one parse: the node tree gives the line numbers, and is then built into the contents
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise MetadataInvalid(f"It is not valid YAML: {getattr(e, 'problem', e)}.", file=path,
                              line=mark.line + 1 if mark else None,
                              fix=f"Correct the YAML syntax in {path.name}.") from None
    finally:
        loader.dispose()
    repeated = []
    lines = node_lines(node, repeated=repeated) if node is not None else {}
    if repeated:
        key_path, line = repeated[0]
        raise MetadataInvalid(f"The key `{key_path[-1]}` is written twice in one entry (YAML would keep only the "
                              "last one).", file=path, line=line, key=".".join(str(k) for k in key_path),
                              fix=f"Keep one `{key_path[-1]}` in {path.name} (merge the two, or rename one).")
    return Located(path, data, lines)


def load_csv(path: Path) -> Located:
    """A CSV metadata file in, its rows (dicts of text) and line map out: row i is at key path (i,)."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            rows, lines = [], {}
            for row in reader:
                lines[(len(rows),)] = reader.line_num
                rows.append(row)
            header = reader.fieldnames or []
    except FileNotFoundError:
        raise missing_file(path) from None
    return Located(path, {"header": header, "rows": rows}, lines)


def unconfirmed(data, prefix: tuple = ()):
    """Contents in, the first (key path, value) whose text is or starts with CONFIRM out (None if none)."""
    if isinstance(data, str):
        return (prefix, data) if data.strip().upper().startswith("CONFIRM") else None
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        found = unconfirmed(value, prefix + (key,))
        if found:
            return found
    return None

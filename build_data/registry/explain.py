"""A pydantic validation failure in, one BuildError a person can act on out: the file, the line, the
key, what is wrong, the nearest valid key ("did you mean `short_label`?") and which file to edit."""
from __future__ import annotations

import difflib
import typing

from pydantic import BaseModel, ValidationError

from ..errors import MetadataInvalid, MetadataKeyMissing, MetadataKeyUnknown, MetadataValueUnconfirmed
from .loading import Located, unconfirmed


def inner_model(annotation):
    """A field's annotation in, the model class it holds (directly, in a list/tuple/dict/Optional) out."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = inner_model(arg)
        if found is not None:
            return found
    return None


def model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that holds the last key of loc (loc relative to model), or None."""
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return model
        nested = inner_model(field.annotation)
        if nested is None:
            return model
        model = nested
    return model


def did_you_mean(key: str, choices) -> str:
    close = difflib.get_close_matches(str(key), list(choices), n=1, cutoff=0.6)
    return f" Did you mean `{close[0]}`?" if close else ""


def key_name(loc: tuple) -> str:
    return ".".join(str(p) for p in loc if not isinstance(p, int) and not str(p).startswith("function-"))


def to_error(error: ValidationError, model: type[BaseModel], located: Located, prefix: tuple,
             what: str) -> MetadataInvalid:
    """The first of a ValidationError's problems as a MetadataInvalid naming file, line and key.

    prefix: the entry's key path in the file (e.g. ("main_contact",) or (3,)); what: the entry, in words.
    """
    problems = error.errors()
    # a misspelt key is both missing and unknown: report it as unknown, which names the spelling to fix
    first = next((p for p in problems if p["type"] == "extra_forbidden"), problems[0])
    loc = tuple(p for p in first["loc"] if not (isinstance(p, str) and "[" in p))   # drop union-branch tags
    path, name = located.path, located.path.name
    where = dict(file=path, line=located.line_of(prefix + loc), key=key_name(loc) or None)
    if first["type"] == "extra_forbidden":
        holder = model_at(model, loc[:-1])
        allowed = sorted(holder.model_fields) if holder else []
        return MetadataKeyUnknown(f"{what} has the key `{loc[-1]}`, which {name} does not define."
                                  f"{did_you_mean(loc[-1], allowed)} Known keys: {', '.join(allowed)}.", **where,
                                  fix=f"Correct or remove the key in {name} (the comments at its top list every key).")
    if first["type"] == "missing":
        return MetadataKeyMissing(f"{what} lacks `{loc[-1]}`.", **where,
                                  fix=f"Add `{loc[-1]}` to the entry in {name} (see the comments at its top).")
    shown = first.get("input")
    if isinstance(shown, bool) and "string" in first["msg"]:
        return MetadataInvalid(f"{what}: `{key_name(loc)}` is {shown!r}, not text.", **where,
                               fix=f'Quote the value in {name} ("yes", "no", "on", "off": unquoted, YAML reads '
                                   "them as true and false).")
    return MetadataInvalid(f"{what}: `{key_name(loc)}` is {shown!r}: {first['msg']}.", **where,
                           fix=f"Correct the value in {name} (the comments at its top say what it takes).")


def refuse_unconfirmed(located: Located) -> None:
    """A metadata file in; MetadataValueUnconfirmed if any value is (or starts with) CONFIRM."""
    left = unconfirmed(located.data)
    if left:
        loc, value = left
        entry = ""
        if loc and isinstance(loc[0], int):
            item = located.data[loc[0]]
            entry = f"Entry {loc[0] + 1}" + (f" ({item['id']})" if isinstance(item, dict) and "id" in item else "") + ": "
        elif len(loc) > 1:
            entry = f"{loc[0]}: "
        raise MetadataValueUnconfirmed(
            f"{entry}`{key_name(loc)}` is {value!r}.", file=located.path, line=located.line_of(loc),
            key=key_name(loc) or None, fix=f"Check the value against the source and write it in {located.path.name} "
                                           "without the word CONFIRM.")


def validate(model: type[BaseModel], data, located: Located, prefix: tuple, what: str):
    """Data in, a model instance out, or the first problem as a MetadataInvalid naming file, line and key."""
    if not isinstance(data, dict):
        raise MetadataInvalid(f"{what} is {data!r}, not a set of keys and values.", file=located.path,
                              line=located.line_of(prefix), fix=f"Write the entry as `key: value` lines in "
                                                                f"{located.path.name} (see the comments at its top).")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise to_error(error, model, located, prefix, what) from None


def mapping_of(located: Located, what: str) -> dict:
    """A file that must be a mapping of id -> entry in, that mapping out (empty file: empty mapping)."""
    data = located.data if located.data is not None else {}
    if not isinstance(data, dict):
        raise MetadataInvalid(f"{located.path.name} must map each {what} id to its entry.", file=located.path,
                              fix=f"Write {located.path.name} as `<id>:` blocks (see the comments at its top).")
    return data


def list_of(located: Located, what: str) -> list:
    """A file that must be a list of entries in, that list out (empty file: empty list)."""
    data = located.data if located.data is not None else []
    if not isinstance(data, list):
        raise MetadataInvalid(f"{located.path.name} must be a list of {what} entries.", file=located.path,
                              fix=f"Write each entry as a `- key: value` block in {located.path.name}.")
    return data


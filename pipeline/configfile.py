"""Load YAML config into pydantic models with errors a marketer can act on.

Every problem is reported with the file, the line and the dotted field path,
and all problems of a file are collected before raising, so one run of
``leads sites check`` shows everything that needs fixing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from pipeline.errors import ConfigError, ConfigProblem

M = TypeVar("M", bound=BaseModel)

_ENV_PATTERN = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?P<default>[^}]*))?\}")


def read_yaml(path: Path) -> Any:
    """Parse a YAML file keeping line numbers (ruamel round-trip nodes)."""
    yaml = YAML(typ="rt")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError([ConfigProblem(str(path), None, "(file)", f"not UTF-8 text: {exc}")]) from exc
    except OSError as exc:
        raise ConfigError([ConfigProblem(str(path), None, "(file)", f"cannot read: {exc.strerror}")]) from exc
    try:
        return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        reason = exc.problem or exc.context or "invalid YAML"
        raise ConfigError([ConfigProblem(str(path), line, "(syntax)", reason)]) from exc


def line_of(data: Any, loc: tuple[Any, ...]) -> int | None:
    """1-based line of the deepest node of ``loc`` that exists in the parsed YAML."""
    node = data
    line: int | None = None
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            try:
                line = node.lc.key(part)[0] + 1
            except (KeyError, TypeError):
                pass
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            try:
                line = node.lc.item(part)[0] + 1
            except (KeyError, TypeError):
                pass
            node = node[part]
        else:
            break
    if line is None and isinstance(node, (CommentedMap, CommentedSeq)):
        line = node.lc.line + 1
    return line


def expand_env(data: Any, missing: list[tuple[tuple[Any, ...], str]], loc: tuple[Any, ...] = ()) -> Any:
    """Replace ``${VAR}`` and ``${VAR:-default}`` in string values.

    Secrets and machine-specific addresses (the sandbox's ports, a proxy) come
    from the environment so that config files can be shared and committed.
    """
    if isinstance(data, str):

        def substitute(match: re.Match[str]) -> str:
            name, default = match.group("name"), match.group("default")
            value = os.environ.get(name)
            if value is None or value == "":
                if default is None:
                    missing.append((loc, name))
                    return ""
                return default
            return value

        return _ENV_PATTERN.sub(substitute, data)
    if isinstance(data, dict):
        return {k: expand_env(v, missing, loc + (k,)) for k, v in data.items()}
    if isinstance(data, list):
        return [expand_env(v, missing, loc + (i,)) for i, v in enumerate(data)]
    return data


def to_plain(data: Any) -> Any:
    """ruamel nodes to plain dicts and lists, so pydantic sees ordinary input."""
    if isinstance(data, dict):
        return {str(k): to_plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [to_plain(v) for v in data]
    return data


def problems_from_validation(path: str, raw: Any, error: ValidationError) -> list[ConfigProblem]:
    problems = []
    for err in error.errors():
        raw_loc = err["loc"]
        is_key = "[key]" in raw_loc
        loc = tuple(p for p in raw_loc
                    if p != "[key]" and not (isinstance(p, str) and p.startswith("function-")))
        field = ".".join(str(p) for p in loc) or "(top level)"
        message = err["msg"]
        if is_key and err["type"] == "literal_error":
            message = f"unknown name; use one of {err.get('ctx', {}).get('expected', '')}"
        elif err["type"] == "extra_forbidden":
            message = "unknown key (check the spelling; see the README for the allowed keys)"
        elif err["type"] == "missing":
            message = "required but missing"
        problems.append(ConfigProblem(path, line_of(raw, loc), field, message))
    return problems


def load_model(path: Path, model: type[M], context: dict[str, Any] | None = None) -> M:
    """Read ``path`` and validate it as ``model``; raise ConfigError with every problem."""
    raw = read_yaml(path)
    if raw is None:
        raise ConfigError([ConfigProblem(str(path), None, "(file)", "the file is empty")])
    missing: list[tuple[tuple[Any, ...], str]] = []
    expanded = expand_env(to_plain(raw), missing)
    problems = [
        ConfigProblem(str(path), line_of(raw, loc), ".".join(map(str, loc)),
                      f"environment variable {name} is not set and has no default")
        for loc, name in missing
    ]
    try:
        result = model.model_validate(expanded, context=context)
    except ValidationError as exc:
        problems.extend(problems_from_validation(str(path), raw, exc))
        raise ConfigError(problems) from exc
    if problems:
        raise ConfigError(problems)
    return result

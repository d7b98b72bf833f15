"""`leads serve`: the deployments of prefect.yaml on their schedules, in this one process.

prefect.yaml is the one place schedules are written: the team setup deploys
it to a work pool, a single machine serves it with this module.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any

from pipeline.configfile import read_yaml, to_plain
from pipeline.errors import ConfigError, ConfigProblem


def read_deployments(path: Path) -> list[dict[str, Any]]:
    data = to_plain(read_yaml(path)) or {}
    deployments = data.get("deployments")
    if not isinstance(deployments, list) or not deployments:
        raise ConfigError([ConfigProblem(str(path), None, "deployments", "no deployments listed")])
    return deployments


def _flow_of(entrypoint: str, path: Path) -> Any:
    module_path, _, name = entrypoint.partition(":")
    module = module_path.removesuffix(".py").replace("/", ".")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise ConfigError([ConfigProblem(str(path), None, "entrypoint", f"{entrypoint}: {exc}")]) from exc


def build_deployments(path: Path, timezone: str | None = None) -> list[Any]:
    """RunnerDeployments for prefect.yaml's entries; LEADS_TIMEZONE overrides every schedule's zone."""
    from prefect.schedules import Cron

    zone = timezone or os.environ.get("LEADS_TIMEZONE")
    built = []
    for entry in read_deployments(path):
        flow = _flow_of(entry["entrypoint"], path)
        schedules = [Cron(s["cron"], timezone=zone or s.get("timezone")) for s in entry.get("schedules") or []
                     if s.get("cron")]
        built.append(flow.to_deployment(name=entry["name"], description=entry.get("description"),
                                        schedules=schedules, parameters=entry.get("parameters") or {}))
    return built


def serve(path: Path, timezone: str | None = None) -> None:  # pragma: no cover - blocks until stopped
    from prefect import serve as prefect_serve

    prefect_serve(*build_deployments(path, timezone))

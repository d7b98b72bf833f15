from pathlib import Path

import pytest

from flows.serving import build_deployments
from pipeline.errors import ConfigError
from pipeline.paths import PROJECT_ROOT


def test_prefect_yaml_gives_scheduled_deployments(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LEADS_TIMEZONE", raising=False)
    deployments = {d.name: d for d in build_deployments(PROJECT_ROOT / "prefect.yaml")}
    assert set(deployments) == {"nightly", "monthly-regrade", "weekly-export"}
    nightly = deployments["nightly"].schedules[0].schedule
    assert (nightly.cron, nightly.timezone) == ("0 2 * * *", "Europe/Berlin")
    assert deployments["weekly-export"].parameters["params"]["format"] == "xlsx"


def test_time_zone_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEADS_TIMEZONE", "Asia/Shanghai")
    [nightly, *_] = build_deployments(PROJECT_ROOT / "prefect.yaml")
    assert nightly.schedules[0].schedule.timezone == "Asia/Shanghai"


def test_bad_entrypoint_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "prefect.yaml"
    path.write_text("deployments:\n  - name: x\n    entrypoint: flows/nope.py:gone\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="entrypoint"):
        build_deployments(path)

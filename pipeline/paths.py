"""Where configuration and data live.

The project is run from its checkout (``make demo``), so the defaults are the
``config/`` and ``data/`` folders next to ``pyproject.toml``; the environment
variables let an installed copy or a test point elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def home() -> Path:
    """The folder holding ``config/`` and ``data/``: ``LEADS_HOME``, else the checkout."""
    env = os.environ.get("LEADS_HOME")
    if env:
        return Path(env)
    cwd = Path.cwd()
    if (cwd / "config" / "sites").is_dir():
        return cwd
    return PROJECT_ROOT


def config_dir() -> Path:
    env = os.environ.get("LEADS_CONFIG_DIR")
    return Path(env) if env else home() / "config"


def data_dir() -> Path:
    env = os.environ.get("LEADS_DATA_DIR")
    path = Path(env) if env else home() / "data"
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_url() -> str:
    """``LEADS_DB_URL`` when set (PostgreSQL at team scale), else a SQLite file under data/."""
    env = os.environ.get("LEADS_DB_URL")
    if env:
        return env
    return f"sqlite:///{data_dir() / 'leads.db'}"

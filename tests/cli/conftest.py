from __future__ import annotations

from pathlib import Path

import pytest

GOOD = """\
organization: {name: Acme Retail, period: week}
units:
  - id: platform
    capacity: 10
    lead_time: 1d
    depends_on: [{supplier: cloud, volume: 4}]
  - id: desk
    capacity: 50
    lead_time: 4h
    quality: 0.9
    depends_on: [platform]
  - id: stores
    lead_time: 2d
    depends_on: [{supplier: desk, volume: 60}]
  - id: archive
customers:
  - {id: shoppers, name: Retail shoppers, weight: 10, depends_on: [stores]}
  - {id: online, weight: 6, depends_on: [desk]}
vendors:
  - {id: cloud, lead_time: 2h}
"""

BAD = """\
units:
  - id: desk
    capacty: 10
  - id: stores
    depends_on: [dsk]
customers:
  - id: shoppers
    depends_on: [stores]
"""


@pytest.fixture
def good_org(tmp_path: Path) -> Path:
    path = tmp_path / "org.yaml"
    path.write_text(GOOD, encoding="utf-8")
    return path


@pytest.fixture
def bad_org(tmp_path: Path) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")
    return path

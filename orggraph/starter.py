"""``orggraph init``: a small, commented org.yaml to start from.

It shows each part of the format once (units in a department, a vendor, two customers, an
``any_of``, an optional dependency, capacity, volumes and lead times) and is valid as written, so
``orggraph analyze`` has something to say about it straight away.
"""

from __future__ import annotations

__all__ = ["STARTER"]

STARTER = """\
# org.yaml — who depends on whom in your organization. Written by `orggraph init`.
#
# Every party lists what it depends on (its suppliers); orggraph works out the rest.
# Try:   orggraph validate org.yaml   then   orggraph analyze org.yaml
# All fields: docs/format.md, or `orggraph schema` for your editor.
version: 1
organization:
  name: Example Company
  period: week                    # volumes and capacities below are per week

units:                            # internal parties: departments, teams, people, systems
  - id: it
    name: IT
    kind: department              # groups the teams below (parent: it)

  - id: service-desk
    name: Service Desk
    parent: it
    capacity: 120                 # requests it can handle per week
    lead_time: 4h                 # its own turnaround: m, h, d or w
    depends_on:
      - ticketing-saas            # short form: a required dependency

  - id: platform
    name: Platform Team
    parent: it
    capacity: 40
    lead_time: 1d
    depends_on:
      - supplier: ticketing-saas
        service: incident alerts
        required: false           # nice to have: never blocks, never delays

  - id: backup-support
    name: Backup Support (contractor desk)
    parent: it
    capacity: 30
    lead_time: 1d

  - id: web-shop
    name: Web Shop
    lead_time: 2h
    depends_on:
      - platform
      - any_of: [service-desk, backup-support]   # either desk is enough
        service: IT support
        volume: 50                # 50 requests a week, split across the two

  - id: stores
    name: Stores
    lead_time: 1d
    depends_on:
      - supplier: service-desk
        service: IT support
        volume: 60

customers:                        # where service chains end
  - id: online-shoppers
    name: Online shoppers
    weight: 3                     # relative value, e.g. revenue share
    depends_on: [web-shop]

  - id: store-shoppers
    name: Store shoppers
    weight: 5
    depends_on: [stores]

vendors:                          # external suppliers; they depend on nothing
  - id: ticketing-saas
    name: Ticketing SaaS
    lead_time: 2h
"""

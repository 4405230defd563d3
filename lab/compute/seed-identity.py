"""Seeds the compute lab's identity data (idempotent): users nova, placement and neutron in project
`service` (roles admin and service), and the compute, placement and network services with public and
internal endpoints. Run with Debian's /usr/bin/python3; reads LAB_* from the environment.
"""
import importlib
import os
import sys

# The base lab's seeding script holds connect() and ensure().
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
base = importlib.import_module("seed-identity")

HOST = os.environ["LAB_HOST"]
PASSWORD = os.environ["LAB_SERVICE_PASSWORD"]
REGION = "RegionOne"
SERVICES = [  # name, type, URL
    ("nova", "compute", f"http://{HOST}:{os.environ['LAB_NOVA_PORT']}/v2.1"),
    ("placement", "placement", f"http://{HOST}:{os.environ['LAB_PLACEMENT_PORT']}"),
    ("neutron", "network", f"http://{HOST}:{os.environ['LAB_NEUTRON_PORT']}"),
]


def ensure_endpoints(ks, name, kind, url):
    found = [s for s in ks.services.list() if s.type == kind]
    service = found[0] if found else ks.services.create(name=name, type=kind)
    for interface in ("public", "internal"):
        existing = list(ks.endpoints.list(service=service, interface=interface))
        if not existing:
            ks.endpoints.create(service=service, url=url, interface=interface, region=REGION)
        elif existing[0].url != url:
            ks.endpoints.update(existing[0], url=url)


def main():
    ks = base.connect()
    project = base.ensure(ks.projects, "service", domain="default")
    roles = [base.ensure(ks.roles, "admin"), base.ensure(ks.roles, "service")]
    for name in ("nova", "placement", "neutron"):
        user = base.ensure(ks.users, name, domain="default", password=PASSWORD)
        ks.users.update(user, password=PASSWORD)
        for role in roles:
            ks.roles.grant(role, user=user, project=project)
    for name, kind, url in SERVICES:
        ensure_endpoints(ks, name, kind, url)


if __name__ == "__main__":
    main()

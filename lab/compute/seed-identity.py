"""Seeds the compute lab's identity data (idempotent): users nova, placement and neutron in project
`service` (roles admin and service), and the compute, placement and network services with public and
internal endpoints. Run with Debian's /usr/bin/python3; reads LAB_* from the environment.
"""
import os

from keystoneauth1 import session
from keystoneauth1.identity import v3
from keystoneclient.v3 import client

HOST = os.environ["LAB_HOST"]
KEYSTONE = f"http://{HOST}:{os.environ['LAB_KEYSTONE_PORT']}"
PASSWORD = os.environ["LAB_SERVICE_PASSWORD"]
REGION = "RegionOne"
SERVICES = [  # name, type, URL
    ("nova", "compute", f"http://{HOST}:{os.environ['LAB_NOVA_PORT']}/v2.1"),
    ("placement", "placement", f"http://{HOST}:{os.environ['LAB_PLACEMENT_PORT']}"),
    ("neutron", "network", f"http://{HOST}:{os.environ['LAB_NEUTRON_PORT']}"),
]


def ensure(manager, name, **create_args):
    found = [x for x in manager.list() if x.name == name]
    return found[0] if found else manager.create(name=name, **create_args)


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
    auth = v3.Password(auth_url=KEYSTONE, username="admin", password=os.environ["LAB_ADMIN_PASSWORD"],
                       project_name="admin", user_domain_id="default", project_domain_id="default")
    ks = client.Client(session=session.Session(auth=auth), interface="public")
    project = ensure(ks.projects, "service", domain="default")
    roles = [ensure(ks.roles, "admin"), ensure(ks.roles, "service")]
    for name in ("nova", "placement", "neutron"):
        user = ensure(ks.users, name, domain="default", password=PASSWORD)
        ks.users.update(user, password=PASSWORD)
        for role in roles:
            ks.roles.grant(role, user=user, project=project)
    for name, kind, url in SERVICES:
        ensure_endpoints(ks, name, kind, url)


if __name__ == "__main__":
    main()

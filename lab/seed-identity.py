"""Seeds the lab's identity data (idempotent): service project, service users and roles, the image
and object-store services with public endpoints, and glance's registered limits.

Run with Debian's /usr/bin/python3; reads LAB_* from the environment (see lab/lib.sh).
Prints `glance_endpoint_id=<id>` and `service_project_id=<id>` for lab/up.
"""
import os

from keystoneauth1 import session
from keystoneauth1.identity import v3
from keystoneclient.v3 import client

# http:// or https:// (lab/up --tls; requests then trusts REQUESTS_CA_BUNDLE, the lab CA).
KEYSTONE = os.environ["LAB_KEYSTONE_URL"]
SERVICE_PASSWORD = os.environ["LAB_SERVICE_PASSWORD"]
REGION = "RegionOne"
# devstack's defaults for glance's unified limits.
GLANCE_LIMITS = {"image_size_total": 1000, "image_stage_total": 1000,
                 "image_count_total": 100, "image_count_uploading": 100}


def connect():
    auth = v3.Password(auth_url=KEYSTONE, username="admin", password=os.environ["LAB_ADMIN_PASSWORD"],
                       project_name="admin", user_domain_id="default", project_domain_id="default")
    verify = os.environ.get("OS_CACERT") or True  # the lab CA behind TLS
    return client.Client(session=session.Session(auth=auth, verify=verify), interface="public")


def ensure(manager, name, **create_args):
    found = [x for x in manager.list() if x.name == name]
    return found[0] if found else manager.create(name=name, **create_args)


def ensure_service(ks, name, kind, url):
    found = [s for s in ks.services.list() if s.type == kind]
    service = found[0] if found else ks.services.create(name=name, type=kind)
    endpoints = [e for e in ks.endpoints.list(service=service, interface="public")]
    endpoint = endpoints[0] if endpoints else ks.endpoints.create(
        service=service, url=url, interface="public", region=REGION)
    if endpoint.url != url:
        endpoint = ks.endpoints.update(endpoint, url=url)
    return service, endpoint


def main():
    ks = connect()
    project = ensure(ks.projects, "service", domain="default", description="lab service project")
    admin_role = ensure(ks.roles, "admin")
    reader_role = ensure(ks.roles, "reader")
    # As devstack does: glance's Swift user is a reseller admin (Swift then also shows it
    # X-Container-Sharding, as on the reference page).
    reseller_role = ensure(ks.roles, "ResellerAdmin")
    for name in ("glance", "glance-swift", "swift"):
        user = ensure(ks.users, name, domain="default", password=SERVICE_PASSWORD)
        ks.users.update(user, password=SERVICE_PASSWORD)
        ks.roles.grant(admin_role, user=user, project=project)
        if name == "glance-swift":
            ks.roles.grant(reseller_role, user=user, project=project)
        if name == "glance":  # oslo.limit reads limits with a system-scoped token
            ks.roles.grant(reader_role, user=user, system="all")
    glance, glance_endpoint = ensure_service(
        ks, "glance", "image", os.environ["LAB_GLANCE_URL"])
    ensure_service(ks, "swift", "object-store",
                   os.environ["LAB_SWIFT_URL"] + "/v1/AUTH_%(project_id)s")
    existing = {r.resource_name for r in ks.registered_limits.list(service=glance, region=REGION)}
    for resource, default in GLANCE_LIMITS.items():
        if resource not in existing:
            ks.registered_limits.create(service=glance, resource_name=resource,
                                        default_limit=default, region=REGION)
    print(f"glance_endpoint_id={glance_endpoint.id}")
    print(f"service_project_id={project.id}")


if __name__ == "__main__":
    main()

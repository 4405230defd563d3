"""A tiny admin client for lab/compute.sh checks (stdlib only: it runs often, start-up matters).
  api.py services          -> `binary host state status` per nova service (os-services)
  api.py get SERVICE PATH  -> HTTP status of GET PATH on the catalog's SERVICE type (e.g. network)
Reads LAB_HOST, LAB_KEYSTONE_PORT, LAB_ADMIN_PASSWORD, LAB_NOVA_PORT, LAB_NEUTRON_PORT.
"""
import json
import os
import sys
import urllib.error
import urllib.request

HOST = os.environ["LAB_HOST"]
PORTS = {"compute": (os.environ["LAB_NOVA_PORT"], "/v2.1"), "network": (os.environ["LAB_NEUTRON_PORT"], "")}
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def token():
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": "admin", "domain": {"id": "default"}, "password": os.environ["LAB_ADMIN_PASSWORD"]}}},
        "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}}
    req = urllib.request.Request(f"http://{HOST}:{os.environ['LAB_KEYSTONE_PORT']}/v3/auth/tokens",
                                 data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with NO_PROXY.open(req, timeout=30) as res:
        return res.headers["X-Subject-Token"]


def get(kind, path):
    port, prefix = PORTS[kind]
    req = urllib.request.Request(f"http://{HOST}:{port}{prefix}{path}", headers={"X-Auth-Token": token()})
    try:
        with NO_PROXY.open(req, timeout=60) as res:
            return res.status, res.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def main():
    if sys.argv[1] == "services":
        status, body = get("compute", "/os-services")
        if status != 200:
            sys.exit(f"os-services: HTTP {status}")
        for s in json.loads(body)["services"]:
            print(s["binary"], s["host"], s["state"], s["status"])
    else:
        print(get(sys.argv[2], sys.argv[3])[0])


if __name__ == "__main__":
    main()

"""Builds the lab's three Swift rings (one device each, one replica) in one Python process:
swift-ring-builder would take nine interpreter starts. Usage: build-rings.py SWIFT_DIR HOST
ACCOUNT_PORT CONTAINER_PORT OBJECT_PORT. Rings that exist are kept.
"""
import os
import sys

from swift.common.ring import RingBuilder


def build(swift_dir, kind, host, port):
    ring_path = os.path.join(swift_dir, f"{kind}.ring.gz")
    if os.path.exists(ring_path):
        return
    builder = RingBuilder(10, 1, 1)  # 2^10 partitions, 1 replica, min_part_hours 1
    builder.add_dev({"region": 1, "zone": 1, "ip": host, "port": port, "device": "d1",
                     "weight": 100, "replication_ip": host, "replication_port": port, "meta": ""})
    builder.rebalance()
    builder.save(os.path.join(swift_dir, f"{kind}.builder"))
    builder.get_ring().save(ring_path)


def main():
    swift_dir, host, *ports = sys.argv[1:]
    for kind, port in zip(("account", "container", "object"), ports):
        build(swift_dir, kind, host, int(port))


if __name__ == "__main__":
    main()

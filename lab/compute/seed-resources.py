"""Creates (idempotent) what `openstack server create --flavor tiny --image demo-image --network
demo-net` needs: flavor `tiny` (1 vCPU, 512 MB, 1 GB disk), image `demo-image` (a 64 MB empty qcow2,
into the lab's glance), shared flat network `demo-net` on physnet1 with subnet 10.99.0.0/24.
Usage: python3 seed-resources.py IMAGE_FILE  (with the lab's openrc in the environment)
"""
import sys

import openstack


def main():
    conn = openstack.connect()
    if not conn.compute.find_flavor("tiny"):
        # No fixed id: nova gives a UUID, which pages then show as {flavor_id}.
        conn.compute.create_flavor(name="tiny", vcpus=1, ram=512, disk=1)
    if not conn.image.find_image("demo-image"):
        conn.create_image("demo-image", filename=sys.argv[1], disk_format="qcow2",
                          container_format="bare", visibility="public", wait=True)
    net = conn.network.find_network("demo-net")
    if not net:
        net = conn.network.create_network(name="demo-net", shared=True, provider_network_type="flat",
                                          provider_physical_network="physnet1")
    if not conn.network.find_subnet("demo-subnet"):
        conn.network.create_subnet(name="demo-subnet", network_id=net.id, ip_version=4,
                                   cidr="10.99.0.0/24", is_dhcp_enabled=False)
    print("flavor tiny, image demo-image, network demo-net ready")


if __name__ == "__main__":
    main()

"""Creates neutron's schema on sqlite from its models, as neutron's unit tests do: `neutron-db-manage
upgrade heads` fails on sqlite (no ALTER of constraints). lab/compute.sh then stamps the heads.
Usage: python3 neutron-schema.py sqlite:///PATH
"""
import sys

import sqlalchemy
from neutron.db.migration.models import head

engine = sqlalchemy.create_engine(sys.argv[1])
head.get_metadata().create_all(engine)

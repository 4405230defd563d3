"""Registers one Linux bridge agent on host `fakehost` with neutron-server, by one report_state RPC
over neutron's own RabbitMQ, and exits. With a huge agent_down_time, ML2/linuxbridge then binds
ports on `fakehost` although no agent process runs (Zed binds no port without a live agent).
Usage: python3 fake-lb-agent.py NEUTRON_CONF ML2_CONF HOST
"""
import sys

from neutron_lib.agent import topics
from neutron_lib import context
from oslo_config import cfg

from neutron.agent import rpc as agent_rpc
from neutron.common import config as common_config
from neutron.conf.agent import common as agent_config


def main():
    conf_file, ml2_file, host = sys.argv[1:4]
    agent_config.register_agent_state_opts_helper(cfg.CONF)
    common_config.register_common_config_options()
    common_config.init(["--config-file", conf_file, "--config-file", ml2_file])
    state = {
        "binary": "neutron-linuxbridge-agent",
        "host": host,
        "topic": topics.AGENT,
        "agent_type": "Linux bridge agent",
        "configurations": {"interface_mappings": {"physnet1": "fake0"}, "bridge_mappings": {}},
        "start_flag": True,
    }
    reporter = agent_rpc.PluginReportStateAPI(topics.REPORTS)
    reporter.report_state(context.get_admin_context_without_session(), state, use_call=True)
    print(f"registered a Linux bridge agent on {host}")


if __name__ == "__main__":
    main()

# shellcheck shell=bash
# Routing every service's outbound HTTP by name (sourced by lib.sh).
#
# Each routed service's http_proxy points at its ROUTE port, LAB_RECORDER_PORT + its index below
# (glance-api keeps LAB_RECORDER_PORT itself). The always-on relay (lab/relay.mjs, started by
# lab/up) listens on every route port and sends each request to the recorder's listener for that
# service, at route port + LAB_RECORDER_SHIFT, when a recorder listens there — else straight to
# its destination. So the lab works with no recorder running, and `lab/record` opens one labelled
# listener per service (recorder_listen_args) without taking any port from the services.

: "${LAB_RECORDER_SHIFT:=100}"
export LAB_RECORDER_SHIFT

# Order fixes the route ports: never reorder, only append.
LAB_ROUTED=(glance-api nova-api nova-conductor nova-scheduler nova-compute neutron-server placement-api)

route_port() {
  local i
  for i in "${!LAB_ROUTED[@]}"; do
    [[ ${LAB_ROUTED[i]} == "$1" ]] && { echo $((LAB_RECORDER_PORT + i)); return; }
  done
  die "$1 is not a routed service"
}

recorder_port() { echo $(($(route_port "$1") + LAB_RECORDER_SHIFT)); }

# `--listen NAME=PORT` for each routed service: the recorder's side of the routes.
recorder_listen_args() {
  local s
  for s in "${LAB_ROUTED[@]}"; do printf -- '--listen\n%s=%s\n' "$s" "$(recorder_port "$s")"; done
}

# The environment that routes one service's HTTP through its route (no no_proxy: Python requests
# would then bypass the proxy for 127.0.0.1).
route_env() {
  local url="http://$LAB_HOST:$(route_port "$1")"
  printf '%s\n' "http_proxy=$url" "HTTP_PROXY=$url" "https_proxy=$url" "HTTPS_PROXY=$url"
}

start_relay() {
  service_pid relay >/dev/null && return 0
  local s routes=()
  for s in "${LAB_ROUTED[@]}"; do
    port_busy "$(route_port "$s")" && die "port $(route_port "$s") (route of $s) is already in use on $LAB_HOST; set LAB_RECORDER_PORT"
    routes+=("$s=$(route_port "$s"):$(recorder_port "$s")")
  done
  start_detached relay "$LAB_NODE" "$LAB_ROOT/relay.mjs" "$LAB_HOST" "${routes[@]}"
  local deadline=$((SECONDS + 30))
  until [[ $(http_status "$(route_port glance-api)" /healthcheck) == 200 ]]; do
    service_pid relay >/dev/null && ((SECONDS < deadline)) || service_failed relay "does not answer on $LAB_HOST:$(route_port glance-api)"
    sleep 0.1
  done
}

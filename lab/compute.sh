# shellcheck shell=bash
# The compute lab (sourced by lib.sh; used by lab/up --compute, lab/down, lab/status): RabbitMQ,
# placement, neutron-server (ML2 linuxbridge, flat physnet1, one fake agent), nova-api,
# nova-conductor, nova-scheduler and nova-compute (fake.SmallFakeDriver on host `fakehost`), a
# `tiny` flavor, `demo-image` in the lab's glance and a shared `demo-net`. Every service's HTTP goes
# through its own route (lab/routes.sh). The recipe and its pitfalls: docs/guide/lab-compute.md.

: "${LAB_NOVA_PORT:=8774}"
: "${LAB_PLACEMENT_PORT:=8778}"
: "${LAB_NEUTRON_PORT:=9696}"
: "${LAB_RABBIT_PORT:=5672}"
: "${LAB_RABBIT_DIST_PORT:=25672}"
: "${LAB_EPMD_PORT:=4369}"
for _var in LAB_NOVA_PORT LAB_PLACEMENT_PORT LAB_NEUTRON_PORT LAB_RABBIT_PORT LAB_RABBIT_DIST_PORT LAB_EPMD_PORT; do
  if ! [[ ${!_var} =~ ^[1-9][0-9]{0,4}$ ]] || ((${!_var} > 65535)); then
    printf '[lab] error: %s=%s is not a valid port (1-65535)\n' "$_var" "${!_var}" >&2
    exit 2
  fi
done
unset _var
export LAB_NOVA_PORT LAB_PLACEMENT_PORT LAB_NEUTRON_PORT LAB_RABBIT_PORT LAB_RABBIT_DIST_PORT LAB_EPMD_PORT

# In start order; epmd is started by rabbitmq (its PID file is written once it listens).
LAB_COMPUTE_SERVICES=(rabbitmq placement-api neutron-server nova-conductor nova-scheduler nova-api nova-compute)
LAB_COMPUTE_PACKAGES=(nova-api nova-conductor nova-scheduler nova-compute nova-compute-ironic placement-api
  neutron-server rabbitmq-server)

# The compute lab is on when asked for (--compute, LAB_COMPUTE=1) or when lab/up started it.
compute_enabled() { [[ ${LAB_COMPUTE:-} == 1 || -f $LAB_STATE/run/compute ]]; }

compute_port() {
  case "$1" in
    rabbitmq) echo "$LAB_RABBIT_PORT" ;;
    placement-api) echo "$LAB_PLACEMENT_PORT" ;;
    neutron-server) echo "$LAB_NEUTRON_PORT" ;;
    nova-api) echo "$LAB_NOVA_PORT" ;;
    epmd) echo "$LAB_EPMD_PORT" ;;
    *) echo - ;;
  esac
}

compute_install_packages() {
  local missing=() p
  for p in "${LAB_COMPUTE_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  debconf-set-selections <"$LAB_ROOT/compute/debconf.txt"
  local created=''
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    created=1
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
  fi
  local rc=0 started=$SECONDS
  { apt-get -o DPkg::Lock::Timeout=600 update -qq &&
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
      -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}"; } \
    >"$LAB_STATE/log/apt-compute.log" 2>&1 || rc=$?
  [[ -n $created ]] && rm -f /usr/sbin/policy-rc.d
  ((rc == 0)) || service_failed apt-compute "apt-get install failed (exit $rc)"
  log "compute packages installed ($((SECONDS - started)) s)"
}

compute_check_ports() {
  local s port
  for s in "${LAB_COMPUTE_SERVICES[@]}" epmd; do
    port=$(compute_port "$s")
    [[ $port == - ]] && continue
    service_pid "$s" >/dev/null && continue
    port_busy "$port" && die "port $port (for $s) is already in use on $LAB_HOST; stop what uses it or choose another LAB_*_PORT"
  done
  return 0
}

# Renders a compute template: the base lab's @NAMES@, then the compute ones.
compute_render() {
  local src=$1 dst=$2 name text
  render_template "compute/$src" "$dst"
  text=$(<"$dst")
  for name in LAB_NOVA_PORT LAB_PLACEMENT_PORT LAB_NEUTRON_PORT LAB_RABBIT_PORT LAB_RABBIT_DIST_PORT; do
    text=${text//@$name@/${!name}}
  done
  printf '%s\n' "$text" >"$dst"
  chmod 600 "$dst"
}

compute_render_configs() {
  mkdir -p "$LAB_STATE"/{etc/placement,nova/lock,nova/instances,neutron/lock,placement,rabbitmq/mnesia}
  compute_render nova.conf "$LAB_STATE/etc/nova.conf"
  compute_render placement.conf "$LAB_STATE/etc/placement/placement.conf"
  compute_render neutron.conf "$LAB_STATE/etc/neutron.conf"
  compute_render ml2_conf.ini "$LAB_STATE/etc/ml2_conf.ini"
  compute_render rabbitmq.conf "$LAB_STATE/etc/rabbitmq.conf"
  echo '[].' >"$LAB_STATE/rabbitmq/enabled_plugins"
}

# Runs a set-up tool with its output in log/<name>.log; on failure names it with that log's tail.
compute_tool() {
  local name=$1; shift
  "$@" >>"$(log_file "$name")" 2>&1 || service_failed "$name" "failed: $*"
}

wal() { sqlite3 "$1" 'PRAGMA journal_mode=WAL;' >/dev/null; }

compute_setup_dbs() {
  local s=$LAB_STATE nova=(nova-manage --config-file "$LAB_STATE/etc/nova.conf")
  if [[ ! -f $s/placement/.synced ]]; then
    compute_tool placement-manage placement-manage --config-file "$s/etc/placement/placement.conf" db sync
    wal "$s/placement/placement.sqlite" && touch "$s/placement/.synced"
  fi
  if [[ ! -f $s/nova/.synced ]]; then
    compute_tool nova-manage "${nova[@]}" api_db sync
    compute_tool nova-manage "${nova[@]}" cell_v2 map_cell0 --database_connection "sqlite:///$s/nova/nova_cell0.sqlite"
    compute_tool nova-manage "${nova[@]}" cell_v2 create_cell --name cell1
    compute_tool nova-manage "${nova[@]}" db sync
    local f
    for f in nova_api nova nova_cell0; do wal "$s/nova/$f.sqlite"; done
    touch "$s/nova/.synced"
  fi
  if [[ ! -f $s/neutron/.synced ]]; then
    compute_tool neutron-manage /usr/bin/python3 "$LAB_ROOT/compute/neutron-schema.py" "sqlite:///$s/neutron/neutron.sqlite"
    compute_tool neutron-manage neutron-db-manage --config-file "$s/etc/neutron.conf" \
      --config-file "$s/etc/ml2_conf.ini" stamp heads
    wal "$s/neutron/neutron.sqlite" && touch "$s/neutron/.synced"
  fi
}

compute_seed_identity() {
  [[ -f $LAB_STATE/keystone/.compute-seeded ]] && return 0
  compute_tool seed-compute /usr/bin/python3 "$LAB_ROOT/compute/seed-identity.py"
  touch "$LAB_STATE/keystone/.compute-seeded"
}

start_rabbitmq() {
  service_pid rabbitmq >/dev/null && return 0
  local r=$LAB_STATE/rabbitmq
  # /usr/lib's rabbitmq-server, not /usr/sbin's wrapper (which su's to the rabbitmq user).
  start_detached rabbitmq env HOME="$r" RABBITMQ_CONF_ENV_FILE=/dev/null RABBITMQ_NODENAME=rabbit@localhost \
    RABBITMQ_NODE_IP_ADDRESS="$LAB_HOST" RABBITMQ_NODE_PORT="$LAB_RABBIT_PORT" RABBITMQ_DIST_PORT="$LAB_RABBIT_DIST_PORT" \
    RABBITMQ_MNESIA_BASE="$r/mnesia" RABBITMQ_LOG_BASE="$r" RABBITMQ_LOGS=- RABBITMQ_PID_FILE="$r/rabbit.pid" \
    RABBITMQ_CONFIG_FILE="$LAB_STATE/etc/rabbitmq.conf" RABBITMQ_ENABLED_PLUGINS_FILE="$r/enabled_plugins" \
    ERL_EPMD_ADDRESS="$LAB_HOST" ERL_EPMD_PORT="$LAB_EPMD_PORT" /usr/lib/rabbitmq/bin/rabbitmq-server
}

# epmd daemonizes out of rabbitmq's process group: its PID comes from the socket's owner.
record_epmd_pid() {
  service_pid epmd >/dev/null && return 0
  local pid
  pid=$(ss -Hltnp "sport = :$LAB_EPMD_PORT" | grep -o 'pid=[0-9]*' | head -n1 | cut -d= -f2)
  [[ -n $pid ]] && echo "$pid" >"$(pid_file epmd)"
}

# Starts a routed OpenStack service: its http_proxy is its route (lab/routes.sh).
start_routed() {
  local name=$1; shift
  service_pid "$name" >/dev/null && return 0
  local env_args
  mapfile -t env_args < <(route_env "$name")
  start_detached "$name" env "${env_args[@]}" "$@"
}

compute_start_services() {
  local s=$LAB_STATE
  start_routed placement-api env OS_PLACEMENT_CONFIG_DIR="$s/etc/placement" \
    uwsgi --plugin python3 --http-socket "$LAB_HOST:$LAB_PLACEMENT_PORT" --wsgi-file /usr/bin/placement-api \
    --master --processes 1 --threads 1 --lazy-apps --die-on-term --need-app --add-header 'Connection: close'
  start_routed neutron-server neutron-server --config-file "$s/etc/neutron.conf" --config-file "$s/etc/ml2_conf.ini"
  local n
  for n in conductor scheduler api compute; do
    start_routed "nova-$n" "nova-$n" --config-file "$s/etc/nova.conf"
  done
}

# Waits until a TCP port accepts connections (RabbitMQ speaks AMQP, not HTTP).
wait_for_port() {
  local name=$1 port=$2 deadline=$((SECONDS + LAB_WAIT_SECONDS))
  until port_busy "$port"; do
    service_pid "$name" >/dev/null && ((SECONDS < deadline)) || service_failed "$name" "does not listen on $LAB_HOST:$port"
    sleep 0.3
  done
}

wait_for_http() {
  local name=$1 port code deadline=$((SECONDS + LAB_WAIT_SECONDS))
  port=$(compute_port "$name")
  while ((SECONDS < deadline)); do
    code=$(http_status "$port" /)
    [[ $code =~ ^(200|300)$ ]] && return 0
    service_pid "$name" >/dev/null || break
    sleep 0.3
  done
  service_failed "$name" "does not answer on $LAB_HOST:$port (last HTTP status $code)"
}

compute_api() { /usr/bin/python3 "$LAB_ROOT/compute/api.py" "$@"; }

# The nova services without an HTTP port answer through nova-api's os-services: `up` there means
# they report over RabbitMQ.
wait_for_nova_services() {
  local deadline=$((SECONDS + LAB_WAIT_SECONDS)) services b missing
  while ((SECONDS < deadline)); do
    services=$(compute_api services 2>/dev/null || true)
    missing=''
    for b in nova-conductor nova-scheduler nova-compute; do
      service_pid "$b" >/dev/null || service_failed "$b" "exited"
      grep -q "^$b fakehost up enabled" <<<"$services" || missing=$b
    done
    [[ -z $missing ]] && return 0
    sleep 1
  done
  service_failed "$missing" "is not up in nova's os-services after ${LAB_WAIT_SECONDS} s"
}

compute_seed_resources() {
  [[ -f $LAB_STATE/nova/.hosts-discovered ]] ||
    { compute_tool nova-manage nova-manage --config-file "$LAB_STATE/etc/nova.conf" cell_v2 discover_hosts &&
      touch "$LAB_STATE/nova/.hosts-discovered"; }
  [[ -f $LAB_STATE/neutron/.agent ]] ||
    { compute_tool fake-agent /usr/bin/python3 "$LAB_ROOT/compute/fake-lb-agent.py" "$LAB_STATE/etc/neutron.conf" \
      "$LAB_STATE/etc/ml2_conf.ini" fakehost && touch "$LAB_STATE/neutron/.agent"; }
  [[ -f $LAB_STATE/nova/.resources ]] && return 0
  load_openrc
  compute_tool seed-resources /usr/bin/python3 "$LAB_ROOT/compute/seed-resources.py" "$LAB_STATE/images/flowscribe-lab.qcow2"
  touch "$LAB_STATE/nova/.resources"
}

# lab/up --compute, after the base lab answers.
compute_up() {
  local started=$SECONDS
  touch "$LAB_STATE/run/compute"
  compute_install_packages
  compute_check_ports
  compute_render_configs
  compute_setup_dbs &
  local dbs=$!
  compute_seed_identity
  wait "$dbs" || exit 1
  start_rabbitmq
  wait_for_port rabbitmq "$LAB_RABBIT_PORT"
  record_epmd_pid
  compute_start_services
  wait_for_http placement-api
  wait_for_http neutron-server
  # A fresh neutron API worker answers its first GET /v2.0/ports with a 500 (an SQLAlchemy backref
  # is configured by the first other query): warm it up before nova asks.
  compute_api get network /v2.0/networks >/dev/null
  wait_for_http nova-api
  wait_for_nova_services
  compute_seed_resources
  log "compute up in $((SECONDS - started)) s: nova-api :$LAB_NOVA_PORT, neutron-server :$LAB_NEUTRON_PORT," \
    "placement-api :$LAB_PLACEMENT_PORT, rabbitmq :$LAB_RABBIT_PORT"
}

compute_down() {
  # nova-compute shuts down gracefully (5-10 s); stop_services KILLs what still runs after 10 s.
  stop_services nova-compute nova-api nova-scheduler nova-conductor neutron-server placement-api rabbitmq
  # epmd left the process group it was started in (it daemonizes): stopped by its own PID.
  local pid i
  if pid=$(service_pid epmd); then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null && [[ $(ps -o stat= -p "$pid") != Z* ]] || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    log "stopped epmd (pid $pid)"
  fi
  rm -f "$(pid_file epmd)" "$LAB_STATE/run/compute"
}

# One line per compute service for lab/status; returns 1 when one is down.
compute_status() {
  local s pid port code state failed=0 services
  services=$(compute_api services 2>/dev/null || true)
  for s in "${LAB_COMPUTE_SERVICES[@]}" epmd; do
    port=$(compute_port "$s")
    pid=$(service_pid "$s") || pid=-
    if [[ $pid == - ]]; then
      state=stopped; failed=1
    elif [[ $s == rabbitmq || $s == epmd ]]; then
      port_busy "$port" && state=up || { state="NOT LISTENING, see $(log_file rabbitmq)"; failed=1; }
    elif [[ $port == - ]]; then
      grep -q "^$s fakehost up" <<<"$services" && state="up (os-services)" || { state="NOT UP in os-services, see $(log_file "$s")"; failed=1; }
    else
      code=$(http_status "$port" /)
      [[ $code =~ ^(200|300)$ ]] && state="up (HTTP $code)" || { state="NOT ANSWERING (HTTP $code), see $(log_file "$s")"; failed=1; }
    fi
    printf '%-16s %-8s %-6s %s\n' "$s" "$pid" "$port" "$state"
  done
  return "$failed"
}

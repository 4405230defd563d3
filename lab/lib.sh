# shellcheck shell=bash
# Shared settings and helpers of the lab scripts (sourced, not run).
#
# Every port and path can be changed through the environment; the defaults are devstack's ports on
# 127.0.0.1. LAB_RECORDER_PORT is the FIXED port glance-api's http_proxy points at (its route): it goes
# through the always-on relay (lab/routes.sh), which hands each request to the recorder listener
# glance-api=$LAB_RECORDER_PORT+LAB_RECORDER_SHIFT when one runs, so it is attributed to glance-api.

# The caller's node runs flowscribe (found before PATH is narrowed below).
: "${LAB_NODE:=$(command -v node || echo /usr/bin/node)}"
export LAB_NODE

# Debian's OpenStack runs on Debian's python3; a pyenv python3 first on PATH would break it.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
unset PYTHONPATH PYTHONHOME VIRTUAL_ENV

LAB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_REPO=$(dirname "$LAB_ROOT")
: "${LAB_STATE:=$LAB_ROOT/state}"
: "${LAB_HOST:=127.0.0.1}"
: "${LAB_KEYSTONE_PORT:=5000}"
: "${LAB_GLANCE_PORT:=9292}"
: "${LAB_SWIFT_PROXY_PORT:=8080}"
: "${LAB_SWIFT_OBJECT_PORT:=6200}"
: "${LAB_SWIFT_CONTAINER_PORT:=6201}"
: "${LAB_SWIFT_ACCOUNT_PORT:=6202}"
: "${LAB_RECORDER_PORT:=3129}"
# Throwaway passwords of a loopback-only lab (rendered pages mask them anyway).
: "${LAB_ADMIN_PASSWORD:=lab-admin-pw}"
: "${LAB_SERVICE_PASSWORD:=lab-service-pw}"
# Seconds a service may take to answer after its start (Python start-up is slow on a busy machine).
: "${LAB_WAIT_SECONDS:=180}"
# glance's image_size_cap in bytes (its own default, 1 TiB); a small one makes uploads fail mid-way with 413.
: "${LAB_GLANCE_IMAGE_SIZE_CAP:=1099511627776}"
[[ $LAB_GLANCE_IMAGE_SIZE_CAP =~ ^[1-9][0-9]*$ ]] || { printf '[lab] error: LAB_GLANCE_IMAGE_SIZE_CAP=%s is not a number of bytes\n' "$LAB_GLANCE_IMAGE_SIZE_CAP" >&2; exit 2; }

# Every port must be a TCP port number (uwsgi, for one, silently wraps 99999 around).
for _var in LAB_KEYSTONE_PORT LAB_GLANCE_PORT LAB_SWIFT_PROXY_PORT LAB_SWIFT_OBJECT_PORT \
  LAB_SWIFT_CONTAINER_PORT LAB_SWIFT_ACCOUNT_PORT LAB_RECORDER_PORT LAB_WAIT_SECONDS; do
  if ! [[ ${!_var} =~ ^[1-9][0-9]{0,4}$ ]] || { [[ $_var == *PORT ]] && ((${!_var} > 65535)); }; then
    printf '[lab] error: %s=%s is not a valid %s\n' "$_var" "${!_var}" \
      "$([[ $_var == *PORT ]] && echo 'port (1-65535)' || echo number)" >&2
    exit 2
  fi
done
unset _var
export LAB_ADMIN_PASSWORD LAB_SERVICE_PASSWORD LAB_STATE LAB_HOST LAB_KEYSTONE_PORT LAB_GLANCE_PORT LAB_SWIFT_PROXY_PORT \
  LAB_SWIFT_OBJECT_PORT LAB_SWIFT_CONTAINER_PORT LAB_SWIFT_ACCOUNT_PORT LAB_RECORDER_PORT

# The services in start order: name, port variable.
LAB_SERVICES=(keystone swift-account swift-container swift-object swift-proxy glance-api)

LAB_PACKAGES=(keystone glance-api swift swift-proxy swift-object swift-container swift-account
  python3-openstackclient python3-swiftclient python3-keystonemiddleware python3-keystoneclient
  qemu-utils attr curl sqlite3 uwsgi-core uwsgi-plugin-python3)

# TLS or plain HTTP (lab/up --tls): the scheme, the URLs, where services bind, which CA they trust.
source "$LAB_ROOT/tls.sh"

log() { printf '[lab +%ss] %s\n' "$SECONDS" "$*" >&2; }
die() { printf '[lab] error: %s\n' "$*" >&2; exit 1; }

# The variable holding a service's port (its public one: behind TLS it binds LAB_*_BIND_PORT).
service_port_var() {
  case "$1" in
    keystone | tls-proxy) echo LAB_KEYSTONE_PORT ;;
    glance-api) echo LAB_GLANCE_PORT ;;
    swift-proxy) echo LAB_SWIFT_PROXY_PORT ;;
    swift-object) echo LAB_SWIFT_OBJECT_PORT ;;
    swift-container) echo LAB_SWIFT_CONTAINER_PORT ;;
    swift-account) echo LAB_SWIFT_ACCOUNT_PORT ;;
    *) die "unknown service $1" ;;
  esac
}

# The port a service's process listens on.
service_port() {
  local var bind
  var=$(service_port_var "$1")
  bind=${var/_PORT/_BIND_PORT}
  [[ $1 == tls-proxy ]] && bind=$var
  echo "${!bind:-${!var}}"
}

pid_file() { echo "$LAB_STATE/run/$1.pid"; }
log_file() { echo "$LAB_STATE/log/$1.log"; }

# The PID a service was started with, if that process (group leader) still runs.
service_pid() {
  local f pid
  f=$(pid_file "$1")
  [[ -f $f ]] || return 1
  pid=$(<"$f")
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

port_busy() { (exec 3<>"/dev/tcp/$LAB_HOST/$1") 2>/dev/null; }

# Starts "$@" in its own session (process group = its PID) with output to the service's log.
start_detached() {
  local name=$1; shift
  mkdir -p "$LAB_STATE/run" "$LAB_STATE/log"
  setsid "$@" >>"$(log_file "$name")" 2>&1 < /dev/null &
  echo $! >"$(pid_file "$name")"
}

# Stops the process groups the named services were started as: TERM to all, then KILL what still
# runs after 10 s.
stop_services() {
  local name pid i pids=() names=()
  for name in "$@"; do
    if pid=$(service_pid "$name"); then
      kill -TERM -- "-$pid" 2>/dev/null || true
      pids+=("$pid") names+=("$name")
    fi
    rm -f "$(pid_file "$name")"
  done
  for ((i = 0; i < 100; i++)); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 -- "-$pid" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  for i in "${!names[@]}"; do log "stopped ${names[i]} (pid ${pids[i]})"; done
}

# Prints the service's HTTP status for GET PATH (000 when it does not answer); SCHEME: http or https.
http_status() {
  curl -s -o /dev/null -w '%{http_code}' --noproxy '*' --max-time 5 --cacert "$LAB_CA_FILE" \
    "${3:-http}://$LAB_HOST:$1${2:-/}" || true
}

# Waits until a service answers on its port; on failure names it and shows its log's tail.
wait_for_service() {
  local name=$1 port code i
  port=$(service_port "$name")
  local deadline=$((SECONDS + LAB_WAIT_SECONDS))
  while ((SECONDS < deadline)); do
    code=$(http_status "$port" "$(health_path "$name")" "$(health_scheme "$name")")
    [[ $code =~ $(health_status "$name") ]] && return 0
    if ! service_pid "$name" >/dev/null; then break; fi
    sleep 0.2
  done
  service_failed "$name" "does not answer on $LAB_HOST:$port (last HTTP status $code)"
}

health_path() {
  case "$1" in
    swift-proxy) echo /healthcheck ;;
    *) echo / ;;
  esac
}

# The statuses (a regex) that prove a service is up: Keystone and Glance list their API versions,
# the Swift proxy has its healthcheck, and the Swift backends answer anything (400 for GET /).
health_status() {
  case "$1" in
    keystone | glance-api | tls-proxy) echo '^300$' ;;
    swift-proxy) echo '^200$' ;;
    *) echo '^[2-5][0-9][0-9]$' ;;
  esac
}

service_failed() {
  printf '[lab] FAILED: service %s %s\n' "$1" "$2" >&2
  printf '[lab] last lines of %s:\n' "$(log_file "$1")" >&2
  tail -n 40 "$(log_file "$1")" >&2 2>/dev/null || printf '[lab]   (no log)\n' >&2
  exit 1
}

# Environment of the lab's admin, as the openrc file sets it.
load_openrc() {
  [[ -f $LAB_STATE/openrc ]] || die "no $LAB_STATE/openrc: run lab/up first"
  # shellcheck source=/dev/null
  source "$LAB_STATE/openrc"
}

# No proxy settings leak from the caller into the lab's services or set-up calls; only glance-api
# gets one, on purpose (see start_glance in lab/up).
unset http_proxy HTTP_PROXY https_proxy HTTPS_PROXY no_proxy NO_PROXY all_proxy ALL_PROXY

# Renders a template: each @NAME@ becomes the value of the shell variable NAME.
render_template() {
  local src=$1 dst=$2 name text
  text=$(<"$LAB_ROOT/templates/$src")
  for name in LAB_STATE LAB_HOST LAB_KEYSTONE_PORT LAB_GLANCE_PORT LAB_SWIFT_PROXY_PORT \
    LAB_SWIFT_OBJECT_PORT LAB_SWIFT_CONTAINER_PORT LAB_SWIFT_ACCOUNT_PORT LAB_ADMIN_PASSWORD \
    LAB_SERVICE_PASSWORD GLANCE_ENDPOINT_ID LAB_KEYSTONE_URL LAB_GLANCE_URL LAB_SWIFT_URL \
    LAB_GLANCE_BIND_PORT LAB_SWIFT_PROXY_BIND_PORT LAB_SERVICE_CA_FILE LAB_GLANCE_IMAGE_SIZE_CAP; do
    text=${text//@$name@/${!name:-}}
  done
  printf '%s\n' "$text" >"$dst"
}

# Starts glance-api with its http_proxy pointing at its route: the relay, which hands its requests to
# the recorder's glance-api listener when one listens (`start_glance direct`: no proxy at all;
# `start_glance recorder`: straight at the recorder's glance-api listener, no relay hop, so glance's
# calls fail while nothing listens there).
start_glance() {
  tls_write_services_ca
  if [[ ${1:-} == direct ]]; then
    start_detached glance-api glance-api --config-file "$LAB_STATE/etc/glance-api.conf"
    echo "none (started with --direct)" >"$LAB_STATE/run/glance-api.proxy"
    return
  fi
  local proxy="http://$LAB_HOST:$LAB_RECORDER_PORT"
  if [[ ${1:-} == recorder ]]; then
    proxy="http://$LAB_HOST:$(recorder_port glance-api)"
    echo "$proxy (the recorder's glance-api listener, no relay: started with --to-recorder)" >"$LAB_STATE/run/glance-api.proxy"
  else
    echo "$proxy (the relay; recorder listener glance-api=$(recorder_port glance-api))" >"$LAB_STATE/run/glance-api.proxy"
  fi
  start_detached glance-api env http_proxy="$proxy" HTTP_PROXY="$proxy" https_proxy="$proxy" HTTPS_PROXY="$proxy" \
    glance-api --config-file "$LAB_STATE/etc/glance-api.conf"
}

# Routing every service's HTTP by name, and the compute lab: in their own files.
# shellcheck source=lab/routes.sh
source "$LAB_ROOT/routes.sh"
# shellcheck source=lab/compute.sh
source "$LAB_ROOT/compute.sh"

# shellcheck shell=bash
# TLS for the lab (sourced by lab/lib.sh): `lab/up --tls` or `LAB_TLS=1 lab/up` puts keystone,
# glance-api and swift-proxy behind a TLS terminator with a lab CA, the way devstack's tls-proxy
# does: stunnel (Debian's stunnel4) accepts HTTPS on the public ports (5000, 9292, 8080) and
# forwards to the services, which then listen on the public port + LAB_TLS_PORT_OFFSET. The
# catalog, the services' own calls and the openrc use https://; glance (keystonemiddleware,
# oslo.limit, the Swift store) and swift-proxy trust LAB_STATE/tls/services-ca.pem (the lab CA plus
# the recorder's CA, so glance's calls can be recorded); the openrc sets OS_CACERT to the lab CA.
#
# The mode is remembered in LAB_STATE/run/scheme, so lab/record, lab/status and lab/down follow
# what lab/up started; LAB_TLS=0 or 1 chooses it explicitly (lab/up then switches a running lab).

: "${LAB_TLS_PORT_OFFSET:=10000}"
LAB_TLS_DIR=$LAB_STATE/tls
LAB_SCHEME_FILE=$LAB_STATE/run/scheme

case "${LAB_TLS:-}" in
  1 | 0) ;;
  '') LAB_TLS=0; [[ -f $LAB_SCHEME_FILE && $(<"$LAB_SCHEME_FILE") == https ]] && LAB_TLS=1 ;;
  *) printf '[lab] error: LAB_TLS=%s: expected 1 (TLS) or 0 (plain HTTP)\n' "$LAB_TLS" >&2; exit 2 ;;
esac
export LAB_TLS LAB_TLS_PORT_OFFSET

if ((LAB_TLS)); then
  LAB_SCHEME=https
  LAB_CA_FILE=$LAB_TLS_DIR/ca.pem
  LAB_SERVICE_CA_FILE=$LAB_TLS_DIR/services-ca.pem
  for _var in LAB_KEYSTONE_PORT LAB_GLANCE_PORT LAB_SWIFT_PROXY_PORT; do
    printf -v "${_var/_PORT/_BIND_PORT}" '%s' $((${!_var} + LAB_TLS_PORT_OFFSET))
    if ((${!_var} + LAB_TLS_PORT_OFFSET > 65535)); then
      printf '[lab] error: %s + LAB_TLS_PORT_OFFSET > 65535 (the service behind TLS listens there)\n' "$_var" >&2
      exit 2
    fi
  done
  unset _var
  LAB_SERVICES+=(tls-proxy)
  LAB_PACKAGES+=(stunnel4 openssl)
  # The lab's own set-up calls (seeding, the swift CLI) trust the lab CA, as the openrc says.
  export OS_CACERT=$LAB_CA_FILE
else
  LAB_SCHEME=http
  LAB_KEYSTONE_BIND_PORT=$LAB_KEYSTONE_PORT LAB_GLANCE_BIND_PORT=$LAB_GLANCE_PORT
  LAB_SWIFT_PROXY_BIND_PORT=$LAB_SWIFT_PROXY_PORT
  # Never read over plain HTTP; a valid file keeps the same configs valid in both modes.
  LAB_CA_FILE=/etc/ssl/certs/ca-certificates.crt
  LAB_SERVICE_CA_FILE=$LAB_CA_FILE
fi
LAB_KEYSTONE_URL=$LAB_SCHEME://$LAB_HOST:$LAB_KEYSTONE_PORT
LAB_GLANCE_URL=$LAB_SCHEME://$LAB_HOST:$LAB_GLANCE_PORT
LAB_SWIFT_URL=$LAB_SCHEME://$LAB_HOST:$LAB_SWIFT_PROXY_PORT
export LAB_SCHEME LAB_CA_FILE LAB_KEYSTONE_URL LAB_GLANCE_URL LAB_SWIFT_URL

# The scheme a service's health check uses: the terminator answers HTTPS, everything else HTTP.
health_scheme() { [[ $1 == tls-proxy ]] && echo https || echo http; }

# The lab CA and the certificate of LAB_HOST it signs (made once per LAB_STATE).
tls_make_certificates() {
  local d=$LAB_TLS_DIR
  [[ -s $d/ca.pem && -s $d/server.pem && -s $d/server.key ]] && return 0
  mkdir -p "$d" && chmod 700 "$d"
  log "tls: lab CA and certificate for $LAB_HOST"
  {
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj '/CN=flowscribe lab CA' \
      -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign' \
      -keyout "$d/ca.key" -out "$d/ca.pem" &&
      openssl req -newkey rsa:2048 -nodes -subj "/CN=$LAB_HOST" -keyout "$d/server.key" -out "$d/server.csr" &&
      printf 'subjectAltName=IP:%s,DNS:localhost\nextendedKeyUsage=serverAuth\n' "$LAB_HOST" >"$d/server.ext" &&
      openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial \
        -days 3650 -extfile "$d/server.ext" -out "$d/server.pem"
  } >>"$(log_file tls-proxy)" 2>&1 || service_failed tls-proxy "could not make the lab CA (openssl)"
  chmod 600 "$d"/*.key
  chmod 644 "$d/ca.pem"
}

# The services' trust bundle: the lab CA, plus the recorder's CA so glance-api accepts the
# certificates the recorder makes for keystone and swift (as one adds flowscribe's CA to
# devstack's /opt/stack/data/ca-bundle.pem).
tls_write_services_ca() {
  ((LAB_TLS)) || return 0
  local recorder_ca
  recorder_ca=$("$LAB_NODE" "${LAB_FLOWSCRIBE:-$LAB_REPO/bin/flowscribe}" ca 2>/dev/null) ||
    { log "tls: flowscribe is not built: glance-api trusts the lab CA only (recording its calls will fail)"; recorder_ca=; }
  cat "$LAB_CA_FILE" ${recorder_ca:+"$recorder_ca"} >"$LAB_SERVICE_CA_FILE.tmp"
  mv "$LAB_SERVICE_CA_FILE.tmp" "$LAB_SERVICE_CA_FILE"
}

tls_write_stunnel_conf() {
  local name public bind
  {
    printf '; TLS terminator of the flowscribe lab (rendered by lab/up): HTTPS on the public ports.\n'
    printf 'foreground = yes\npid =\ndebug = notice\ncert = %s\nkey = %s\n' "$LAB_TLS_DIR/server.pem" "$LAB_TLS_DIR/server.key"
    for name in keystone glance-api swift-proxy; do
      case $name in
        keystone) public=$LAB_KEYSTONE_PORT bind=$LAB_KEYSTONE_BIND_PORT ;;
        glance-api) public=$LAB_GLANCE_PORT bind=$LAB_GLANCE_BIND_PORT ;;
        swift-proxy) public=$LAB_SWIFT_PROXY_PORT bind=$LAB_SWIFT_PROXY_BIND_PORT ;;
      esac
      printf '\n[%s]\naccept = %s:%s\nconnect = %s:%s\n' "$name" "$LAB_HOST" "$public" "$LAB_HOST" "$bind"
    done
  } >"$LAB_STATE/etc/stunnel.conf"
}

# A lab running in the other mode is stopped first: its services have the other configs.
tls_switch_mode() {
  local running=http
  [[ -f $LAB_SCHEME_FILE ]] && running=$(<"$LAB_SCHEME_FILE")
  if [[ $running != "$LAB_SCHEME" ]]; then
    local s any=0
    for s in "${LAB_SERVICES[@]}" tls-proxy; do service_pid "$s" >/dev/null && any=1; done
    if ((any)); then
      log "the lab runs with $running: stopping it to start with $LAB_SCHEME"
      stop_services "${LAB_SERVICES[@]}" tls-proxy
    fi
  fi
  mkdir -p "$LAB_STATE/run"
  echo "$LAB_SCHEME" >"$LAB_SCHEME_FILE"
}

# lab/up's TLS step (after the configs are rendered): certificates, OS_CACERT in the openrc, the
# terminator started.
tls_setup() {
  ((LAB_TLS)) || return 0
  tls_make_certificates
  printf 'export OS_CACERT=%s\n' "$LAB_CA_FILE" >>"$LAB_STATE/openrc"
  tls_write_services_ca
  tls_write_stunnel_conf
  service_pid tls-proxy >/dev/null || start_detached tls-proxy stunnel4 "$LAB_STATE/etc/stunnel.conf"
}

# The catalog's URLs follow the mode: keystone's own endpoint is updated by a new bootstrap, the
# others by seeding again (seed-identity.py updates URLs that differ).
tls_sync_catalog() {
  local marker=$LAB_STATE/keystone/catalog-url
  [[ -f $marker && $(<"$marker") == "$LAB_KEYSTONE_URL" ]] && return 0
  if [[ -f $marker || -s $LAB_STATE/keystone/seeded.env ]]; then
    log "catalog: endpoints to $LAB_SCHEME://"
    keystone_manage bootstrap --bootstrap-password "$LAB_ADMIN_PASSWORD" \
      --bootstrap-username admin --bootstrap-project-name admin --bootstrap-role-name admin \
      --bootstrap-region-id RegionOne --bootstrap-admin-url "$LAB_KEYSTONE_URL" \
      --bootstrap-internal-url "$LAB_KEYSTONE_URL" --bootstrap-public-url "$LAB_KEYSTONE_URL"
    rm -f "$LAB_STATE/keystone/seeded.env"
  fi
  echo "$LAB_KEYSTONE_URL" >"$marker"
}

# Every public HTTPS endpoint answers through the terminator.
tls_wait_public() {
  ((LAB_TLS)) || return 0
  local name port path want code deadline=$((SECONDS + LAB_WAIT_SECONDS))
  for name in keystone glance-api swift-proxy; do
    port=$(eval echo "\$$(service_port_var "$name")")
    path=$(health_path "$name") want=$(health_status "$name")
    until code=$(http_status "$port" "$path" https) && [[ $code =~ $want ]]; do
      ((SECONDS < deadline)) && service_pid tls-proxy >/dev/null ||
        service_failed tls-proxy "does not serve $name on https://$LAB_HOST:$port$path (last HTTP status $code)"
      sleep 0.2
    done
  done
  log "tls: keystone, glance-api and swift-proxy answer on https:// (lab CA: $LAB_CA_FILE)"
}

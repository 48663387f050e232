#!/usr/bin/env bash
# Install and start Callbox on Debian 12 with Node 20. Safe to run again: it keeps existing settings,
# secrets, data and certificates, and only restarts what changed.
#
#   sudo ./install.sh                     system install: /opt/callbox, /etc/callbox, /var/lib/callbox, /var/log/callbox
#   ./install.sh --prefix ~/callbox-dev   local install for development, no root: everything under the prefix
#
# Options:
#   --prefix DIR     local mode: settings, data and logs under DIR; the app runs from this checkout
#   --foreground     run the controller in the foreground at the end instead of as a service
#   --no-start       install and configure, but do not start
#   --port N         the console's port for a new settings file (default 8443 with HTTPS, 8080 in local mode)
#   --skip-apt       do not install Debian packages (they must be there already)
set -euo pipefail

SRC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PREFIX=""
FOREGROUND=0
START=1
PORT=""
SKIP_APT=0
# libsox-fmt-mp3: sox reads uploaded MP3 prompts and compresses call recordings to MP3. tzdata: numbers' schedules give FreeSWITCH each zone's rule from it.
APT_PACKAGES=(espeak-ng sox libsox-fmt-mp3 openssl sqlite3 tzdata ca-certificates python3 make g++ curl)

say() { printf '\033[1mcallbox:\033[0m %s\n' "$*"; }
die() { printf '\033[1;31mcallbox: %s\033[0m\n' "$*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) PREFIX=${2:?--prefix needs a directory}; shift 2 ;;
    --foreground) FOREGROUND=1; shift ;;
    --no-start) START=0; shift ;;
    --port) PORT=${2:?--port needs a number}; shift 2 ;;
    --skip-apt) SKIP_APT=1; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
[ -z "$PORT" ] || [[ "$PORT" =~ ^[0-9]+$ && "$PORT" -ge 1 && "$PORT" -le 65535 ]] || die "--port must be a number from 1 to 65535"

# --- where things go -------------------------------------------------------------------------------------
if [ -n "$PREFIX" ]; then
  mkdir -p "$PREFIX"
  PREFIX=$(cd "$PREFIX" && pwd)
  MODE=local
  APP_DIR=$SRC_DIR
  ETC_DIR=$PREFIX/etc
  DATA_DIR=$PREFIX/var/lib
  LOG_DIR=$PREFIX/var/log
  RUN_USER=$(id -un)
  PORT=${PORT:-8080}
else
  [ "$(id -u)" -eq 0 ] || die "a system install needs root: sudo ./install.sh (or ./install.sh --prefix DIR for a local one)"
  MODE=system
  APP_DIR=/opt/callbox
  ETC_DIR=/etc/callbox
  DATA_DIR=/var/lib/callbox
  LOG_DIR=/var/log/callbox
  RUN_USER=callbox
  PORT=${PORT:-8443}
fi
CONFIG=$ETC_DIR/appliance.json

# --- prerequisites ---------------------------------------------------------------------------------------
command -v node >/dev/null || die "Node.js 20 is required (node not found on PATH)"
NODE_MAJOR=$(node -p 'process.versions.node.split(".")[0]')
[ "$NODE_MAJOR" -ge 20 ] || die "Node.js 20 or newer is required (found $(node --version))"
NODE_BIN=$(command -v node)

if [ "$SKIP_APT" -eq 0 ]; then
  missing=()
  for p in "${APT_PACKAGES[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then
      say "installing Debian packages: ${missing[*]}"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
      say "missing Debian packages: ${missing[*]} (install them with: sudo apt-get install ${missing[*]})"
      command -v openssl >/dev/null || die "openssl is needed to generate secrets"
    fi
  fi
fi

# --- the application -------------------------------------------------------------------------------------
if [ "$MODE" = system ]; then
  if ! id -u callbox >/dev/null 2>&1; then
    say "creating system user callbox"
    mkdir -p "$DATA_DIR"
    adduser --system --group --home "$DATA_DIR" --no-create-home --shell /usr/sbin/nologin callbox >/dev/null
  fi
  if [ "$SRC_DIR" != "$APP_DIR" ]; then
    say "copying the application to $APP_DIR"
    mkdir -p "$APP_DIR"
    # Replace the code but keep node_modules, so a re-run does not rebuild native modules for nothing.
    find "$APP_DIR" -mindepth 1 -maxdepth 1 ! -name node_modules -exec rm -rf {} +
    tar -C "$SRC_DIR" --exclude=./node_modules --exclude=./.git --exclude=./dist --exclude=./.dev \
        --exclude=./test-results -cf - . | tar -C "$APP_DIR" -xf -
  fi
fi

say "installing npm packages and building (this takes a minute or two the first time)"
(
  cd "$APP_DIR"
  npm ci --no-audit --no-fund --loglevel=error
  npm run --silent build
  if [ "$MODE" = system ]; then npm prune --omit=dev --no-audit --no-fund --loglevel=error; fi
)

# --- folders, settings, secrets --------------------------------------------------------------------------
mkdir -p "$ETC_DIR" "$DATA_DIR" "$LOG_DIR" "$DATA_DIR/recordings"
if [ "$MODE" = system ]; then
  chown root:callbox "$ETC_DIR"; chmod 0750 "$ETC_DIR"
  chown callbox:callbox "$DATA_DIR" "$LOG_DIR"; chmod 0750 "$DATA_DIR" "$LOG_DIR"
  # FreeSWITCH (in the callbox group) writes call recordings here; Callbox compresses and deletes them. setgid:
  # the dated folders below keep the group.
  chown callbox:callbox "$DATA_DIR/recordings"; chmod 2770 "$DATA_DIR/recordings"
fi

TLS_DIR=$ETC_DIR/tls
if [ "$MODE" = system ] && [ ! -f "$TLS_DIR/cert.pem" ]; then
  say "creating a self-signed certificate in $TLS_DIR (replace it with your own; browsers need HTTPS for the softphone)"
  mkdir -p "$TLS_DIR"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=$(hostname -f 2>/dev/null || hostname)" \
    -keyout "$TLS_DIR/key.pem" -out "$TLS_DIR/cert.pem" >/dev/null 2>&1
  chown -R callbox:callbox "$TLS_DIR"; chmod 0600 "$TLS_DIR/key.pem"
fi

# Callbox generates FreeSWITCH's whole configuration tree. Where FreeSWITCH is installed that is /etc/freeswitch;
# until it is, the tree is written under the data directory, and a later run of this script moves it.
HAS_FREESWITCH=0
if [ "$MODE" = system ] && command -v freeswitch >/dev/null; then HAS_FREESWITCH=1; fi
if [ "$MODE" = local ]; then FS_CONF=$PREFIX/freeswitch
elif [ "$HAS_FREESWITCH" -eq 1 ]; then FS_CONF=/etc/freeswitch
else FS_CONF=$DATA_DIR/freeswitch-conf; fi
if [ -f "$CONFIG" ]; then
  say "keeping the settings in $CONFIG"
else
  say "writing $CONFIG with freshly generated secrets"
  SESSION_SECRET=$(openssl rand -hex 32)
  ESL_PASSWORD=$(openssl rand -hex 16)
  if [ "$MODE" = system ]; then
    HTTP="{\"port\": $PORT, \"tls\": {\"certFile\": \"$TLS_DIR/cert.pem\", \"keyFile\": \"$TLS_DIR/key.pem\"}}"
  else
    HTTP="{\"host\": \"127.0.0.1\", \"port\": $PORT}"
  fi
  umask 077
  cat > "$CONFIG.tmp" <<JSON
{
  "dataDir": "$DATA_DIR",
  "http": $HTTP,
  "session": { "secret": "$SESSION_SECRET" },
  "esl": { "host": "127.0.0.1", "port": 8021, "password": "$ESL_PASSWORD" },
  "freeswitch": { "confDir": "$FS_CONF" },
  "log": { "level": "info" }
}
JSON
  umask 022
  [ "$MODE" = system ] && chown callbox:callbox "$CONFIG.tmp"
  chmod 0600 "$CONFIG.tmp"
  mv "$CONFIG.tmp" "$CONFIG"
fi

# Boot checks the settings; check them now too, so a bad file is reported here rather than in a restart loop.
run_as() { if [ "$MODE" = system ]; then runuser -u callbox -- "$@"; else "$@"; fi; }
(cd "$APP_DIR" && run_as env CALLBOX_CONFIG="$CONFIG" "$NODE_BIN" -e '
  import("./dist/appliance/config.js").then((m) => m.loadConfig()).catch((e) => { console.error(e.message); process.exit(1); });
') || die "the settings in $CONFIG are not valid (see above)"

# --- FreeSWITCH ------------------------------------------------------------------------------------------
HAS_SYSTEMD=0
[ -d /run/systemd/system ] && command -v systemctl >/dev/null && HAS_SYSTEMD=1
set_conf_dir() {
  node -e 'const fs = require("fs"); const f = process.argv[1]; const c = JSON.parse(fs.readFileSync(f, "utf8"));
    c.freeswitch = { ...(c.freeswitch || {}), confDir: process.argv[2] }; fs.writeFileSync(f + ".tmp", JSON.stringify(c, null, 2) + "\n", { mode: 0o600 });
    fs.renameSync(f + ".tmp", f);' "$CONFIG" "$1"
  [ "$MODE" = system ] && chown callbox:callbox "$CONFIG"
}
if [ "$HAS_FREESWITCH" -eq 1 ]; then
  say "FreeSWITCH found: Callbox will generate its configuration in /etc/freeswitch"
  # The stock configuration loads modules and profiles Callbox does not use (and would clash with the generated
  # ones): keep it, once, beside the new tree.
  if [ -d /etc/freeswitch ] && [ ! -f /etc/freeswitch/.callbox ] && [ -n "$(ls -A /etc/freeswitch 2>/dev/null)" ]; then
    STOCK=/etc/freeswitch.dist-$(date +%Y%m%d%H%M%S)
    say "moving the stock FreeSWITCH configuration to $STOCK"
    mv /etc/freeswitch "$STOCK"
  fi
  mkdir -p /etc/freeswitch
  touch /etc/freeswitch/.callbox
  # Callbox writes the tree; FreeSWITCH (group freeswitch) reads it; new files and folders inherit the group.
  FS_GROUP=$(getent group freeswitch >/dev/null && echo freeswitch || echo root)
  chown -R callbox:"$FS_GROUP" /etc/freeswitch
  chmod 2750 /etc/freeswitch
  # FreeSWITCH reads hold music and prompts from Callbox's data directory.
  id -u freeswitch >/dev/null 2>&1 && usermod -a -G callbox freeswitch
  grep -q '"confDir": "/etc/freeswitch"' "$CONFIG" || set_conf_dir /etc/freeswitch
else
  [ "$MODE" = system ] && grep -q '"confDir": "/etc/freeswitch"' "$CONFIG" && set_conf_dir "$DATA_DIR/freeswitch-conf"
  cat <<'TEXT'
callbox: FreeSWITCH is not installed. Callbox starts anyway and its console says "FreeSWITCH not connected";
  it writes the FreeSWITCH configuration it generates under its data directory meanwhile.
  To install FreeSWITCH 1.10 on Debian 12, use the official FreeSWITCH packages from SignalWire
  (FreeSWITCH documentation: Installation > Linux > Debian). They need a free SignalWire personal access
  token for the package repository; then `apt-get install freeswitch-meta-all` and run this script again:
  it hands /etc/freeswitch to Callbox's generated configuration and restarts FreeSWITCH on it.
TEXT
fi

# --- service ---------------------------------------------------------------------------------------------
PM2=$APP_DIR/node_modules/pm2/bin/pm2
export CALLBOX_CONFIG=$CONFIG CALLBOX_LOG_DIR=$LOG_DIR PM2_HOME=$DATA_DIR/.pm2
[ "$MODE" = local ] && export PM2_HOME=$PREFIX/.pm2

if [ "$START" -eq 0 ]; then
  say "installed; not started (--no-start)"
  exit 0
fi

if [ "$FOREGROUND" -eq 1 ]; then
  say "running in the foreground (Ctrl-C stops it)"
  cd "$APP_DIR"
  if [ "$MODE" = system ]; then exec runuser -u callbox -- env CALLBOX_CONFIG="$CONFIG" "$NODE_BIN" dist/appliance/main.js; fi
  exec "$NODE_BIN" dist/appliance/main.js
fi

if [ "$MODE" = system ] && [ "$HAS_SYSTEMD" -eq 1 ]; then
  say "installing and starting the systemd service callbox.service"
  sed -e "s#@APP_DIR@#$APP_DIR#g" -e "s#@NODE@#$NODE_BIN#g" -e "s#@ETC_DIR@#$ETC_DIR#g" \
      -e "s#@DATA_DIR@#$DATA_DIR#g" -e "s#@LOG_DIR@#$LOG_DIR#g" "$APP_DIR/systemd/callbox.service" > /etc/systemd/system/callbox.service
  systemctl daemon-reload
  systemctl enable --quiet callbox
  systemctl restart callbox
  LOGS="journalctl -u callbox"
else
  [ "$MODE" = system ] && say "no systemd here (a container?): running Callbox under the pm2 daemon instead; it will not start at boot"
  if [ "$MODE" = system ]; then
    runuser -u callbox -- env CALLBOX_CONFIG="$CONFIG" CALLBOX_LOG_DIR="$LOG_DIR" PM2_HOME="$PM2_HOME" "$NODE_BIN" "$PM2" startOrReload "$APP_DIR/ecosystem.config.cjs" --update-env >/dev/null
  else
    "$NODE_BIN" "$PM2" startOrReload "$APP_DIR/ecosystem.config.cjs" --update-env >/dev/null
  fi
  LOGS="$LOG_DIR/callbox.log (pm2: PM2_HOME=$PM2_HOME $PM2 status)"
fi

# --- wait for it and say where it is -----------------------------------------------------------------------
SCHEME=http; [ "$MODE" = system ] && grep -q '"tls"' "$CONFIG" && SCHEME=https
LISTEN_PORT=$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).http?.port ?? 8080' "$CONFIG")
for _ in $(seq 1 60); do
  if curl -fsk "$SCHEME://127.0.0.1:$LISTEN_PORT/healthz" >/dev/null 2>&1; then READY=1; break; fi
  sleep 0.5
done
[ "${READY:-0}" -eq 1 ] || die "Callbox did not answer on port $LISTEN_PORT within 30 s; see $LOGS"

if [ "$HAS_FREESWITCH" -eq 1 ] && [ "$HAS_SYSTEMD" -eq 1 ] && systemctl list-unit-files freeswitch.service >/dev/null 2>&1; then
  # Callbox has published the configuration; FreeSWITCH must run on it (event-socket password included).
  CONNECTED=0
  for _ in $(seq 1 20); do
    if curl -fsk "$SCHEME://127.0.0.1:$LISTEN_PORT/healthz" | grep -q '"connected":true'; then CONNECTED=1; break; fi
    sleep 0.5
  done
  if [ "$CONNECTED" -eq 0 ]; then
    say "restarting FreeSWITCH on the generated configuration"
    systemctl enable --quiet freeswitch
    systemctl restart freeswitch
  fi
fi

HOST=$(hostname -I 2>/dev/null | awk '{print $1}'); [ "$MODE" = local ] && HOST=127.0.0.1
say "Callbox is running: $SCHEME://${HOST:-localhost}:$LISTEN_PORT  (logs: $LOGS)"
LINK=$(cd "$APP_DIR" && run_as env CALLBOX_CONFIG="$CONFIG" "$NODE_BIN" dist/scripts/admin.js setup-link 2>/dev/null || true)
if [ -n "$LINK" ]; then
  say "create the first admin here (one-time link, valid 24 hours):"
  printf '  %s\n' "${LINK/<this-server>/${HOST:-localhost}}"
fi

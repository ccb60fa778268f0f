#!/usr/bin/env bash
# The README's set-up command: installs dependencies, builds k3s-ts, puts `k3s`
# on PATH (as k3s's installer does) and starts a single-node server in the
# background on the embedded SQLite datastore. Extra arguments go to `k3s server`.
set -euo pipefail
root="$(dirname "$(readlink -f "$0")")/.."
cd "$root"
./scripts/deps.sh
ln -sf "$(readlink -f bin/k3s)" /usr/local/bin/k3s

log=/var/log/k3s-ts.log
pidfile=/run/k3s-ts.pid
if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  echo "k3s-ts: a server is already running (pid $(cat "$pidfile")); logs in $log"
else
  echo "k3s-ts: starting k3s server (logs in $log)"
  nohup k3s server "$@" >>"$log" 2>&1 &
  echo $! > "$pidfile"
fi
for _ in $(seq 1 120); do
  if [ -f /etc/rancher/k3s/k3s.yaml ] && k3s kubectl get --raw /readyz >/dev/null 2>&1; then
    echo "k3s-ts: ready. Try: k3s kubectl get nodes"
    exit 0
  fi
  if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "k3s-ts: the server exited; last lines of $log:" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
  sleep 1
done
echo "k3s-ts: the server did not become ready in 120 s; see $log" >&2
exit 1

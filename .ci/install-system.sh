#!/usr/bin/env bash
# System packages the tests need, from Debian's archive only; idempotent.
# - Mesa's lavapipe from bookworm-backports: a software Vulkan driver so Dawn (WebGPU) finds an
#   adapter on machines without a GPU (stock bookworm Mesa 22.3 is rejected by Dawn).
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

if ! dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null | grep -q 'bpo12'; then
  $SUDO tee /etc/apt/sources.list.d/backports.sources >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers >/dev/null
fi
echo "lavapipe: mesa-vulkan-drivers $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers)"

# - Debian's chromium: the report's browser check (packages/report) opens the HTML report headless.
if ! dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep -q 'install ok installed'; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
echo "chromium: $(dpkg-query -W -f='${Version}' chromium)"

# - Debian's redis-server: the queue tests (apps/worker) start their own on a free loopback port and
#   stop it; nothing is started here.
if ! command -v redis-server >/dev/null 2>&1; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >/dev/null
fi
echo "redis-server: $(redis-server --version | head -1)"

# - Debian's postgresql: the job-store and replica tests (packages/jobs, apps/api) initdb a throw-away
#   cluster in a temporary directory and start it on a free loopback port; nothing is started here
#   (the package's own cluster service is not used: no init system runs in CI).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi
echo "postgresql: $(ls -d /usr/lib/postgresql/*/bin | head -1) $(dpkg-query -W -f='${Version}' postgresql 2>/dev/null || true)"

#!/usr/bin/env bash
# Installs the Vulkan loader and Mesa's software driver (lavapipe) from bookworm-backports, so that
# Dawn (the `webgpu` package) finds an adapter on a machine without a GPU. Debian's own Mesa is too old
# for Dawn. Needs root (or sudo). Safe to run twice.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
mesa_version=$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true)
if [[ "$mesa_version" == *bpo* ]] && dpkg-query -W libvulkan1 >/dev/null 2>&1; then
  echo "install-vulkan: backports lavapipe ($mesa_version) and libvulkan1 already present"
  exit 0
fi
if [ -f /etc/apt/sources.list.d/debian.sources ] && [ ! -f /etc/apt/sources.list.d/backports.sources ]; then
  awk 'BEGIN{RS="";ORS="\n\n"} NR==1' /etc/apt/sources.list.d/debian.sources \
    | sed 's/^Suites:.*/Suites: bookworm-backports/' | $SUDO tee /etc/apt/sources.list.d/backports.sources >/dev/null
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers libvulkan1
echo "install-vulkan: done"

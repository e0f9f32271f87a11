#!/usr/bin/env bash
# Installs the Debian 12 packages Ripple needs to build, test and read runs.
# Installs only what is missing and says nothing when everything is there, so it
# is cheap to run before every build (the README's first command does).
set -euo pipefail

packages=(
  build-essential cmake
  libboost-program-options-dev libboost-dev libtbb-dev libhdf5-dev hdf5-tools catch2
  libtomlplusplus-dev librandom123-dev libspdlog-dev libfmt-dev libnlopt-cxx-dev
  python3 python3-h5py python3-numpy python3-xarray python3-h5netcdf python3-matplotlib
  clang-format
  libopenmpi-dev openmpi-bin
  libsfml-dev libimgui-dev libgl-dev libgl1-mesa-dri fonts-dejavu-core xvfb xauth
)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$package")
done
((${#missing[@]} == 0)) && exit 0

echo "setup.sh: installing ${missing[*]}"
as_root=()
if ((EUID != 0)); then
  if ! command -v sudo >/dev/null; then
    echo "setup.sh: not root and no sudo; as root, run: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  as_root=(sudo)
fi
"${as_root[@]}" apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y --no-install-recommends "${missing[@]}"

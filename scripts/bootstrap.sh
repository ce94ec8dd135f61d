#!/usr/bin/env bash
# Sets vtrial up on a Debian (bookworm) machine and then either runs the default scenario or
# every test. Safe to run again: installs only what is missing, rebuilds only what changed.
#   bash scripts/bootstrap.sh run    # install, build, simulate scenarios/nct06971913.yaml
#   bash scripts/bootstrap.sh test   # install, build, run the whole test suite
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode="${1:-run}"
build="${VTRIAL_BUILD_DIR:-$here/build}"

# What building and running the command line needs; the test command adds what only the tests,
# the benchmarks and the Python module need.
packages=(cmake g++ make pkg-config
  libboost-dev libboost-random-dev libboost-program-options-dev libboost-math-dev
  libtbb-dev libhdf5-dev libyaml-cpp-dev nlohmann-json3-dev)
faces=ON
if [ "$mode" = test ]; then
  packages+=(libgtest-dev libbenchmark-dev
    pybind11-dev python3-dev python3-numpy python3-h5py python3-matplotlib python3-pytest python3-yaml)
else
  faces=OFF
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "bootstrap: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release -DVTRIAL_PYTHON=/usr/bin/python3 \
  -DVTRIAL_BUILD_TESTS=$faces -DVTRIAL_BUILD_BENCH=$faces -DVTRIAL_BUILD_PYTHON=$faces >/dev/null
cmake --build "$build" -j"$(nproc)"

case "$mode" in
  run)
    "$build/vtrial" run "$here/scenarios/nct06971913.yaml" --output "$build/nct06971913.h5"
    ;;
  test)
    ctest --test-dir "$build" --output-on-failure -j"$(nproc)" --timeout 1800
    ;;
  *)
    echo "usage: bash scripts/bootstrap.sh run|test" >&2
    exit 2
    ;;
esac

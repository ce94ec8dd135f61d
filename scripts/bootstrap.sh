#!/usr/bin/env bash
# Sets vtrial up on a Debian (bookworm) machine and then either runs the default scenario or
# every test. Safe to run again: installs only what is missing, rebuilds only what changed.
#   bash scripts/bootstrap.sh run    # install, build, simulate scenarios/nct06971913.yaml
#   bash scripts/bootstrap.sh test   # install, build, run the whole test suite, then the
#                                    # sanitizer build (build-asan/) and the fuzz budget (build-fuzz/)
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
    pybind11-dev python3-dev python3-numpy python3-h5py python3-matplotlib python3-pytest python3-yaml
    libopenmpi-dev openmpi-bin python3-distributed
    chromium  # headless, for the browser test of vtrial report (tests/report)
    # The R package (bindings/r) and its R CMD check (tests/r/check_package.sh).
    r-base-core r-base-dev r-cran-rcpp r-cran-testthat r-cran-hdf5r r-cran-survival r-cran-rpact r-cran-jsonlite)
  # The fuzz target: Debian's clang 14 with its libFuzzer and sanitizer runtimes (optional below).
  fuzz_packages=(clang libclang-rt-14-dev)
else
  faces=OFF
fi

# Installs those of the given Debian packages that are missing; fails if apt does.
install_missing() {
  local missing=() p sudo=""
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  echo "bootstrap: installing ${missing[*]}" >&2
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_missing "${packages[@]}"
# Without them the fuzz step is skipped with a notice, not failed.
if [ "$mode" = test ]; then
  install_missing "${fuzz_packages[@]}" || echo "bootstrap: could not install ${fuzz_packages[*]}" >&2
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

    # The sanitizer build (ASan + UBSan, GCC): every unit test, the end-to-end tests and small
    # CLI runs of every shipped scenario, a sweep, a sample-size search. Any report aborts its test. No Python module, no benchmarks.
    asan="${VTRIAL_ASAN_BUILD_DIR:-$here/build-asan}"
    san="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
    cmake -S "$here" -B "$asan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVTRIAL_PYTHON=/usr/bin/python3 \
      -DCMAKE_CXX_FLAGS="$san" -DCMAKE_EXE_LINKER_FLAGS="$san" -DCMAKE_SHARED_LINKER_FLAGS="$san" \
      -DVTRIAL_BUILD_TESTS=ON -DVTRIAL_BUILD_BENCH=OFF -DVTRIAL_BUILD_PYTHON=OFF -DVTRIAL_SANITIZER_CHECKS=ON \
      -DVTRIAL_MPI=OFF >/dev/null
    cmake --build "$asan" -j"$(nproc)"
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      ctest --test-dir "$asan" --output-on-failure -j"$(nproc)" --timeout 1800

    # The scenario-loader fuzz target (fuzz/): clang's libFuzzer, a fixed short budget from the
    # committed seeds, then every regression input once.
    fuzz="${VTRIAL_FUZZ_BUILD_DIR:-$here/build-fuzz}"
    probe="$(mktemp -d)"
    printf '#include <cstddef>\n#include <cstdint>\nextern "C" int LLVMFuzzerTestOneInput(const uint8_t*, size_t) { return 0; }\n' >"$probe/probe.cpp"
    if command -v clang++ >/dev/null &&
      clang++ -fsanitize=fuzzer,address,undefined "$probe/probe.cpp" -o "$probe/probe" 2>/dev/null; then
      rm -rf "$probe"
      cmake -S "$here" -B "$fuzz" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
        -DVTRIAL_FUZZ=ON -DVTRIAL_BUILD_TESTS=OFF -DVTRIAL_BUILD_BENCH=OFF -DVTRIAL_BUILD_PYTHON=OFF -DVTRIAL_MPI=OFF >/dev/null
      cmake --build "$fuzz" --target fuzz_scenario -j"$(nproc)"
      ctest --test-dir "$fuzz" --output-on-failure -j"$(nproc)" --timeout 600
    else
      rm -rf "$probe"
      echo "bootstrap: NOTICE: clang++ with libFuzzer (-fsanitize=fuzzer) is not available; the fuzz step is skipped" >&2
    fi
    ;;
  *)
    echo "usage: bash scripts/bootstrap.sh run|test" >&2
    exit 2
    ;;
esac

#!/bin/sh
# The R package's test (ctest r_package): builds bindings/r into a tarball, then R CMD check
# on it against this build, which installs it, runs its examples and its testthat tests
# (bindings/r/tests: the same numbers as the command line, survival's p-values, every error,
# an interrupt). Fails on any ERROR or WARNING; NOTEs are shown (docs/r.md explains them).
# usage: check_package.sh SOURCE_DIR BUILD_DIR VTRIAL_BIN
set -eu
src=$1
build=$2
bin=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/vtrial-r-check.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/lib"
# No network, no user library: only Debian's R packages and this build.
export VTRIAL_BUILD_DIR="$build" VTRIAL_BIN="$bin" R_LIBS_USER="$work/lib" \
  _R_CHECK_FORCE_SUGGESTS_=false _R_CHECK_FUTURE_FILE_TIMESTAMPS_=false _R_CHECK_CRAN_INCOMING_=false \
  MAKEFLAGS="-j2"
cd "$work"
R CMD build --no-build-vignettes --no-manual "$src/bindings/r" >build.log 2>&1 || {
  cat build.log
  exit 1
}
status=0
R CMD check --no-manual --no-build-vignettes vtrial_*.tar.gz >check.log 2>&1 || status=$?
log=vtrial.Rcheck/00check.log
if [ $status -ne 0 ] || grep -q "^Status:.*\(ERROR\|WARNING\)" "$log"; then
  cat check.log
  for out in vtrial.Rcheck/tests/*.Rout.fail vtrial.Rcheck/00install.out; do
    [ -f "$out" ] && { echo "--- $out"; tail -n 80 "$out"; }
  done
  exit 1
fi
grep -E "^\* checking (examples|tests) |^  Running " "$log" || true
awk '/^Status:/ { next } /NOTE$/ { note = 1; print; next } /^\*/ { note = 0 } note' "$log"
grep -h "\[ FAIL" vtrial.Rcheck/tests/testthat.Rout || true  # testthat's counts, skips included
grep "^Status:" "$log" | tail -n 1

#!/usr/bin/env bash
# Viewer benchmark (issue "viewer": 60 frames a second for a 2,000-node ego view):
# builds viz_bench and runs it in a virtual X display, printing graph + layout, drawing
# alone, whole viewer frames (live, presenter mode, replay while scrubbing) and live
# weeks a second. docs/VIEWER.md explains the figures.
#
#   bench/viz_bench.sh                     baseline scenario, 10,000 persons
#   bench/viz_bench.sh --persons 20000     options go to viz_bench
#   BUILD_DIR=/tmp/build bench/viz_bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$build" -j2 --target viz_bench > /dev/null
if [ -n "${DISPLAY:-}" ]; then
  exec "$build/bin/viz_bench" "$@"
fi
# 24-bit colour, as a desktop; -a picks a free display number.
exec xvfb-run -a -s "-screen 0 1280x800x24" "$build/bin/viz_bench" "$@"

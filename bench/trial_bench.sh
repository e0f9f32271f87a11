#!/bin/sh
# Times bench/trial-2arm.toml (goal: under 2 minutes on 2 cores) and prints the figure.
# usage: bench/trial_bench.sh [path/to/ripple] [extra ripple trial options, e.g. -r 2]
# (default: the README's build, build/bin/ripple)
set -e
here=$(cd "$(dirname "$0")" && pwd)
ripple=${1:-$here/../build/bin/ripple}
if [ ! -x "$ripple" ]; then
  echo "trial_bench.sh: $ripple not found; build first, or give the path of ripple" >&2
  exit 2
fi
[ $# -gt 0 ] && shift
out=$(mktemp -d)
start=$(date +%s.%N)
"$ripple" trial "$here/trial-2arm.toml" -o "$out" -q "$@"
end=$(date +%s.%N)
echo "trial benchmark: $(echo "$end - $start" | bc) s wall ($(nproc) cores; goal < 120 s for 20 replications)"
rm -rf "$out"

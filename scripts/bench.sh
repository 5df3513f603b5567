#!/usr/bin/env bash
# Prints factdiff's speed and quality figures on synthetic archives (see BENCHMARKS.md).
#
#   scripts/bench.sh [SIZES...]        default sizes: 10000 100000
#
# Archives are made by the generator named in $FACTDIFF_GEN (default: the workspace's
# ../shared/bench/gen_archive.py), seeded, so runs are comparable; they are kept in
# target/bench/. Needs python3 and GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."

gen=${FACTDIFF_GEN:-../shared/bench/gen_archive.py}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
out=target/bench
mkdir -p "$out"

cargo build --release --quiet
cargo bench --no-run --quiet --bench archive 2>/dev/null
bin=target/release/factdiff
archive_bench=$(ls -t target/release/deps/archive-* | grep -v '\.d$' | head -n 1)

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
echo "factdiff $($bin --version | cut -d' ' -f2), $(git rev-parse --short HEAD 2>/dev/null || echo 'no git')"
echo

# check on the three Paris articles, as a whole process, 50 runs.
start=$(date +%s%N)
for _ in $(seq 50); do $bin check fixtures/paris/*.txt > /dev/null || true; done
end=$(date +%s%N)
echo "check fixtures/paris/*.txt: $(( (end - start) / 50000000 )).$(( (end - start) / 500000 % 100 )) ms per run (mean of 50 processes)"
echo

for n in "${sizes[@]}"; do
  a="$out/archive-$n.jsonl"
  if [ ! -s "$a" ]; then
    python3 "$gen" "$n" "$a" 2> "$out/archive-$n.gen.log"
  fi
  mb=$(( $(stat -c %s "$a") / 1000000 ))
  echo "== $n articles ($mb MB)"
  # Framing first: a report of gigabytes just written would still be flushing to disk.
  "$archive_bench" "$a" "${a%.jsonl}.truth.jsonl"
  for format in table json; do
    /usr/bin/time -f "%e %M" -o "$out/time" "$bin" batch "$a" --quiet --format "$format" -o "$out/report-$n.$format" || true
    read -r wall kb < "$out/time"
    size=$(stat -c %s "$out/report-$n.$format" 2>/dev/null || echo 0)
    echo "batch --format $format: wall $wall s, peak memory $(( kb / 1024 )) MB, report $(( size / 1000000 )) MB"
    rm -f "$out/report-$n.$format"
    sync
  done
  echo
done

#!/bin/bash
# Byte comparison of `flowscribe render` (page, log, stdout) between two built checkouts, for
# speed work that must not change behaviour. Usage:
#   bench/compare-render.sh BASE_CHECKOUT CAPTURE...      (this checkout against BASE_CHECKOUT)
# e.g. with `node bench/render.mjs --write 10000 /tmp/c10k.jsonl` and the reference capture repeated
# (bench/repeated-capture.mjs). Prints one line per capture and flag set; exits 1 on any difference.
set -u
BASE=$1; shift
MINE=$(cd "$(dirname "$0")/.." && pwd)
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
FLAGSETS=("" "--secrets label" "--secrets raw" "--timings" "--tokens" "--nest" "--lang ko" "--profile http"
  "--exclude method=GET,path=/identity/**" "--launch-json --timings --tokens --nest --secrets label")
fail=0
for given in "$@"; do
  cap=$(realpath "$given")
  for i in "${!FLAGSETS[@]}"; do
    f=${FLAGSETS[$i]}
    for side in base mine; do
      root=$BASE; [ $side = mine ] && root=$MINE
      mkdir -p "$OUT/$side"
      # shellcheck disable=SC2086
      (cd "$OUT" && "$root/bin/flowscribe" render "$cap" -o "$OUT/$side/p.md" $f 2>/dev/null | sed "s#$OUT/$side#OUT#g" >"$OUT/$side/stdout")
    done
    if cmp -s "$OUT/base/p.md" "$OUT/mine/p.md" && cmp -s "$OUT/base/logs/p.log" "$OUT/mine/logs/p.log" && cmp -s "$OUT/base/stdout" "$OUT/mine/stdout"; then
      echo "same  $(basename "$cap") [$f]"
    else
      echo "DIFF  $(basename "$cap") [$f]"; fail=1
    fi
  done
done
exit $fail

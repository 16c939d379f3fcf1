#!/usr/bin/env bash
# Times `wbfiles get` of one large file against curl (one stream) and
# aria2c -x8 -s8 (eight ranged connections), side by side in one run, on
# the in-repo W&B-compatible server with every body response paced like a
# cloud storage stream. Each result is checked against the server's md5.
# A tool that is not installed is skipped with a message.
#
#   scripts/compare-get.sh                      # 1 GiB at 50 MB/s per connection
#   SIZE=268435456 PACE=0 ROUNDS=3 scripts/compare-get.sh
#
# SIZE (bytes), PACE (bytes/s per connection, 0 unpaced), ROUNDS (runs of
# each tool, the median is compared) and PARALLEL (wbfiles --parallel,
# default 8 like aria2c's -x8) can be set. Needs Go to build, bash, awk,
# md5sum; curl and aria2c (Debian: apt install curl aria2) when present.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE=${SIZE:-1073741824}
PACE=${PACE:-50000000}
ROUNDS=${ROUNDS:-1}
PARALLEL=${PARALLEL:-8}

work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "building wbfiles and the paced server…" >&2
go build -o "$work/wbfiles" .
go build -o "$work/pacedserver" ./wandb/wandbtest/cmd/pacedserver

"$work/pacedserver" -size "$SIZE" -pace "$PACE" >"$work/server.env" &
server_pid=$!
for _ in $(seq 600); do
  grep -q '^WB_MD5=' "$work/server.env" && break
  kill -0 "$server_pid" 2>/dev/null || { echo "the server did not start" >&2; exit 1; }
  sleep 0.1
done
grep -q '^WB_MD5=' "$work/server.env" || { echo "the server did not start in 60 s" >&2; exit 1; }
# shellcheck disable=SC1091
. "$work/server.env"

now() { date +%s.%N; }

# run NAME COMMAND...: runs the command into a fresh folder $out (the file
# must end up at $out/file or $out/$WB_FILE), checks its md5, prints the
# seconds the command took and the seconds it took with the md5 check
# after it (wbfiles checks the md5 itself, and syncs: its two are one).
run() {
  local name=$1; shift
  rm -rf "$work/out"; mkdir -p "$work/out"
  sync
  local start end
  start=$(now)
  if ! "$@" >"$work/$name.log" 2>&1; then
    echo "$name failed:" >&2; cat "$work/$name.log" >&2; exit 1
  fi
  end=$(now)
  local got=$work/out/file
  [ -f "$got" ] || got=$work/out/$WB_FILE
  local sum checked
  sum=$(md5sum "$got" | cut -d' ' -f1)
  checked=$(now)
  if [ "$sum" != "$WB_MD5" ]; then
    echo "$name: md5 $sum, want $WB_MD5" >&2; exit 1
  fi
  [ "$name" = wbfiles ] && checked=$end
  awk -v a="$start" -v b="$end" -v c="$checked" 'BEGIN { printf "%.3f %.3f\n", b - a, c - a }'
}

tools=(wbfiles)
command -v curl >/dev/null && tools+=(curl) || echo "curl is not installed: skipped" >&2
command -v aria2c >/dev/null && tools+=(aria2c) || echo "aria2c is not installed (Debian: apt install aria2): skipped" >&2

one() {
  case $1 in
    wbfiles) WANDB_API_KEY=$WB_KEY "$work/wbfiles" get --base-url "$WB_URL" --dest "$work/out" \
               --parallel "$PARALLEL" "$WB_RUN" "$WB_FILE" ;;
    curl)    curl -sS -f -u "api:$WB_KEY" -o "$work/out/file" "$WB_FILE_URL" ;;
    aria2c)  aria2c -x8 -s8 --file-allocation=falloc --http-user=api --http-passwd="$WB_KEY" \
               -d "$work/out" -o file --console-log-level=warn --summary-interval=0 \
               --download-result=hide "$WB_FILE_URL" ;;
  esac
}

declare -A times checked
for r in $(seq "$ROUNDS"); do
  for t in "${tools[@]}"; do
    read -r s c < <(run "$t" one "$t")
    times[$t]="${times[$t]:-} $s"
    checked[$t]="${checked[$t]:-} $c"
    echo "round $r: $t ${s} s (${c} s with the md5 check)" >&2
  done
done

median() { tr ' ' '\n' | grep . | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

echo
printf 'one file of %d bytes, each connection paced at %s B/s, median of %d round(s)\n' "$SIZE" "$PACE" "$ROUNDS"
printf '  %-26s %9s %10s %9s   %s\n' tool time MB/s "t/t(wb)" "with md5sum after, t/t(wb) (wbfiles checks its md5 and syncs in its own time)"
wb=$(echo "${times[wbfiles]}" | median)
for t in "${tools[@]}"; do
  m=$(echo "${times[$t]}" | median)
  c=$(echo "${checked[$t]}" | median)
  awk -v t="$t" -v m="$m" -v c="$c" -v wb="$wb" -v size="$SIZE" -v p="$PARALLEL" 'BEGIN {
    label = t; if (t == "wbfiles") label = "wbfiles get --parallel " p; if (t == "aria2c") label = "aria2c -x8 -s8"
    printf "  %-26s %7.2f s %10.1f %9.2f   %7.2f s (%.2f)\n", label, m, size / m / 1e6, m / wb, c, c / wb
  }'
done

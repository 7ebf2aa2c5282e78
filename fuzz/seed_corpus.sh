#!/bin/sh
# Builds fuzz/corpus/{import,time} from the sample data, the format fixtures and the vendored
# real-world samples (tests/fixtures/realdata): each seed file once per reader (a selector byte, then the first 8 KiB).
set -eu
cd "$(dirname "$0")"
mkdir -p corpus/import corpus/time
n=0
for f in ../sample_data/*.csv ../sample_data/*.jsonl ../tests/fixtures/formats/* $(find ../tests/fixtures/realdata -type f ! -name '*.md' ! -path '*/LICENSES/*'); do
  [ -f "$f" ] || continue
  for sel in $(seq 0 25); do
    { printf "\\$(printf %03o "$sel")"; head -c 8192 "$f"; } > "corpus/import/$(basename "$f").$sel"
    n=$((n + 1))
  done
done
i=0
for zone in UTC Asia/Tokyo Europe/Berlin America/New_York; do
  for fmt in "" "%Y-%m-%d %H:%M:%S" "%d/%b/%Y:%H:%M:%S %z"; do
    for t in "2021-02-24T09:15:00+09:00" "2021-03-28 02:30:00" "1614125700123" "24/Feb/2021:09:15:00 +0900"; do
      printf '%s\n%s\n%s' "$zone" "$fmt" "$t" > "corpus/time/seed$i"
      i=$((i + 1))
    done
  done
done
echo "corpus: $n import seeds, $i time seeds"

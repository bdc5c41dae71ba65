#!/usr/bin/env bash
# Makes examples/src/main/resources/traces/h264-testsrc2-20fps.csv: the frame sizes and types of
# a real H.264 encode of ffmpeg's "testsrc2" test pattern (640x360, 20 fps, 30 s, x264 at
# 1 Mbit/s, one I-frame every 20 frames, up to 2 B-frames). Needs ffmpeg and ffprobe (Debian:
# apt-get install ffmpeg); the build and the tests only read the committed CSV.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../src/main/resources/traces/h264-testsrc2-20fps.csv"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

ffmpeg -hide_banner -loglevel error -f lavfi -i "testsrc2=size=640x360:rate=20" -t 30 \
  -c:v libx264 -preset medium -b:v 1M -maxrate 1.5M -bufsize 1M \
  -x264-params "keyint=20:min-keyint=20:scenecut=0:bframes=2" -pix_fmt yuv420p "$work/clip.mp4"

{
  echo "# frame sizes and types of a real H.264 encode, in presentation order"
  echo "# source: ffmpeg -f lavfi -i testsrc2=size=640x360:rate=20 -t 30 -c:v libx264 -preset medium"
  echo "#         -b:v 1M -maxrate 1.5M -bufsize 1M -x264-params keyint=20:min-keyint=20:scenecut=0:bframes=2"
  echo "# made by examples/traces/make-h264-trace.sh with $(ffmpeg -version | head -1 | cut -d' ' -f1-3)"
  echo "time_ms,size_bytes,type"
  ffprobe -hide_banner -loglevel error -select_streams v:0 -show_frames \
      -show_entries frame=pict_type,pkt_size -of csv=p=0 "$work/clip.mp4" \
    | awk -F, '$2 ~ /^[IPB]$/ { printf "%.3f,%d,%s\n", n++ * 50.0, $1, $2 }'
} > "$out"
echo "wrote $out ($(grep -c '^[0-9]' "$out") frames)"

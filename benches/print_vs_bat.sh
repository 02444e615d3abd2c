#!/usr/bin/env bash
# gisa print vs bat on the same 50 MB Korean text, in one run; prints the times and the ratio.
#
#   benches/print_vs_bat.sh [SIZE_MB]      (default 50; needs python3, hyperfine, batcat)
#
# gisa reads the annotated article (gisa-article/1, about one annotation per 60 characters);
# bat reads the same text as plain .txt. Both wrap at 80 columns with colour on.
# Wall-clock times are only meaningful on a quiet machine; the script also prints CPU time
# (user + sys) of one run of each, which is steadier on a shared one.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-50}
for tool in python3 hyperfine batcat; do
  command -v "$tool" >/dev/null || { echo "print_vs_bat: $tool is missing (apt-get install hyperfine bat)"; exit 2; }
done
cargo build --release --quiet
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 benches/gen_article.py "$size" "$dir/a"
ls -l "$dir"
gisa=(target/release/gisa print --width 80 --color always "$dir/a.json")
bat=(batcat --wrap=character --terminal-width=80 --color=always --paging=never "$dir/a.txt")
hyperfine --warmup 1 --runs 5 --export-json "$dir/h.json" \
  -n gisa "${gisa[*]} > /dev/null" -n bat "${bat[*]} > /dev/null"
python3 - "$dir/h.json" <<'EOF'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
g, b = r["gisa"], r["bat"]
print(f"wall  gisa {g['mean']:.3f} s  bat {b['mean']:.3f} s  bat/gisa = {b['mean'] / g['mean']:.2f}x")
gc = g["user"] + g["system"]; bc = b["user"] + b["system"]
print(f"cpu   gisa {gc:.3f} s  bat {bc:.3f} s  bat/gisa = {bc / gc:.2f}x")
EOF

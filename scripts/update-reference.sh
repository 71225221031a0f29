#!/usr/bin/env bash
# Rewrites the configuration reference in README.md (between its flag-reference markers) from
# 'berth reference', which reads every command's flags and defaults from the code.
set -euo pipefail
cd "$(dirname "$0")/.."
begin='<!-- flag-reference:begin'
end='<!-- flag-reference:end -->'
grep -q "$begin" README.md || { echo "update-reference: README.md has no '$begin' marker" >&2; exit 1; }
reference=$(mktemp)
trap 'rm -f "$reference"' EXIT
bin/berth reference > "$reference"
awk -v begin="$begin" -v end="$end" -v file="$reference" '
  index($0, begin) == 1 { print; print ""; while ((getline line < file) > 0) print line; skipping = 1; next }
  index($0, end) == 1 { skipping = 0 }
  !skipping { print }
' README.md > README.md.new
mv README.md.new README.md
echo "README.md: configuration reference updated"

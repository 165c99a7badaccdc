#!/usr/bin/env bash
# Refreshes the front-end files committed under cnan/static/vendor/ from the npm registry.
# Only maintainers run this (it needs Node.js and npm); a fresh machine uses the committed files.
# Change a version here, run the script, review `git diff --stat`, commit.
set -euo pipefail
BOOTSTRAP=5.3.9
BOOTSTRAP_ICONS=1.13.2
ECHARTS=6.1.0

root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/cnan/static/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fetch() {  # fetch <package> <version> -> unpacked into $work/<package>
  (cd "$work" && npm pack --silent "$1@$2" >/dev/null && mkdir -p "$1" && tar -xzf ./*.tgz -C "$1" --strip-components=1 && rm ./*.tgz)
}

rm -rf "$dest" && mkdir -p "$dest"

fetch bootstrap "$BOOTSTRAP"
mkdir -p "$dest/bootstrap"
cp "$work/bootstrap/dist/css/bootstrap.min.css" "$work/bootstrap/dist/css/bootstrap.min.css.map" \
   "$work/bootstrap/dist/js/bootstrap.bundle.min.js" "$work/bootstrap/dist/js/bootstrap.bundle.min.js.map" \
   "$work/bootstrap/LICENSE" "$dest/bootstrap/"

fetch bootstrap-icons "$BOOTSTRAP_ICONS"
mkdir -p "$dest/bootstrap-icons/fonts"
cp "$work/bootstrap-icons/font/bootstrap-icons.min.css" "$work/bootstrap-icons/LICENSE" "$dest/bootstrap-icons/"
cp "$work/bootstrap-icons/font/fonts/bootstrap-icons.woff2" "$work/bootstrap-icons/font/fonts/bootstrap-icons.woff" \
   "$dest/bootstrap-icons/fonts/"

fetch echarts "$ECHARTS"
mkdir -p "$dest/echarts"
cp "$work/echarts/dist/echarts.min.js" "$work/echarts/LICENSE" "$work/echarts/NOTICE" "$dest/echarts/"

cat > "$dest/VERSIONS" <<VERSIONS
bootstrap $BOOTSTRAP (MIT)
bootstrap-icons $BOOTSTRAP_ICONS (MIT)
echarts $ECHARTS (Apache-2.0)
htmx: shipped inside the django-htmx Python package ({% htmx_script %})
VERSIONS
echo "vendor files refreshed in $dest"

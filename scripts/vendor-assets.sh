#!/usr/bin/env bash
# Copy the front-end assets named in package.json into civic311/static/vendor, so nothing is loaded
# from a CDN at run time. Source maps are left out, and their references with them.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
cp package.json "$work/"
(cd "$work" && npm install --no-audit --no-fund --no-package-lock --silent)
m="$work/node_modules"
v=civic311/static/vendor
rm -rf "$v" && mkdir -p "$v/chartjs" "$v/leaflet/images" "$v/htmx"
cp "$m/chart.js/dist/chart.umd.min.js" "$m/chart.js/LICENSE.md" "$v/chartjs/"
cp "$m/leaflet/dist/leaflet.js" "$m/leaflet/dist/leaflet.css" "$m/leaflet/LICENSE" "$v/leaflet/"
cp "$m/leaflet/dist/images/"* "$v/leaflet/images/"
cp "$m/htmx.org/dist/htmx.min.js" "$m/htmx.org/LICENSE" "$v/htmx/"
sed -i '/sourceMappingURL/d' "$v/chartjs/chart.umd.min.js" "$v/leaflet/leaflet.js"
rm -rf "$work"
echo "vendored into $v"

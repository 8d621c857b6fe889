#!/usr/bin/env bash
# Rebuild static/css/site.css (the portal's one stylesheet): the Bootstrap rules that some
# template, script or Python module uses, then static/css/portal.css. Run it (or
# `make css`) after using a Bootstrap class the portal did not use before, or after
# editing portal.css, and commit the result: `make run` serves it without Node.
# Needs Node 18+ and npm; PurgeCSS, pinned in tools/css/package-lock.json, is installed
# into tools/css/node_modules.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d tools/css/node_modules/purgecss ] \
  || [ tools/css/package-lock.json -nt tools/css/node_modules/.package-lock.json ]; then
  npm ci --prefix tools/css --no-audit --no-fund --loglevel=error
fi
node tools/css/build.mjs

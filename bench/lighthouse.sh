#!/usr/bin/env bash
# Lighthouse (mobile settings) on a program page served by gunicorn with
# production settings on 127.0.0.1. Prints the four category scores.
# Usage: bench/lighthouse.sh [path]   (default /programs/st-charles-county/)
# Needs: `make setup-run` done, Chromium (/usr/bin/chromium), npm.
set -euo pipefail
cd "$(dirname "$0")/.."
path="${1:-/programs/st-charles-county/}"
tools=bench/.tools
if [ ! -x "$tools/node_modules/.bin/lighthouse" ]; then
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error lighthouse@13 >/dev/null
fi
port=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
make -s setup-run >/dev/null
PORT=$port .venv/bin/gunicorn -c gunicorn.conf.py sro_site.wsgi --access-logfile /dev/null --error-logfile /dev/null &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
out=$(mktemp -d)
for attempt in 1 2 3; do
  CHROME_PATH=/usr/bin/chromium "$tools/node_modules/.bin/lighthouse" "http://127.0.0.1:$port$path" \
    --quiet --output=json --output-path="$out/lh.json" \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync" || true
  # The performance score sometimes comes back empty (NO_NAVSTART): run again.
  if .venv/bin/python -c "import json,sys; d=json.load(open('$out/lh.json')); sys.exit(0 if d['categories']['performance']['score'] is not None else 1)" 2>/dev/null; then break; fi
done
.venv/bin/python - "$out/lh.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
print(f"Lighthouse {report['lighthouseVersion']} on {report['finalDisplayedUrl']} ({report['configSettings']['formFactor']})")
for key, category in report["categories"].items():
    score = category["score"]
    print(f"  {category['title']:<16} {'n/a' if score is None else round(score * 100)}")
    if score is not None and score < 1:
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                print(f"      - {audit['title']}: {audit.get('displayValue', audit['score'])}")
# The issue's targets; a miss makes the script exit non-zero.
targets = {"accessibility": 100, "best-practices": 100, "seo": 100, "performance": 95}
met = True
for key, target in targets.items():
    score = report["categories"][key]["score"]
    value = None if score is None else round(score * 100)
    ok = value is not None and value >= target
    met &= ok
    print(f"target: {key} >= {target}: {value} {'met' if ok else 'MISSED'}")
sys.exit(0 if met else 1)
PY

#!/usr/bin/env bash
# The production path, as a new user deploys it: a fresh clone, `npm ci && npm run build && npm prune --omit=dev`,
# then `node dist/server.js` with NODE_ENV=production. It must answer /ready 200, hide the sandbox (404), print no
# API key, run the compiled CLI without devDependencies, and stop on SIGTERM with exit code 0.
#
# usage: bash scripts/ci-production.sh [--worktree]
#   --worktree  also copies uncommitted changes over the clone (to try them before a commit); CI clones the commit.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/hookgraph-production.XXXXXX")"
app="$work/app"
data="$work/data"
server_pid=""

cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -KILL "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n== %s  [%ss]\n' "$1" "$SECONDS"; }
fail() {
  printf 'FAIL: %s\n' "$1" >&2
  for f in stdout stderr; do
    if [ -s "$work/server.$f" ]; then printf -- '--- server %s (last 40 lines)\n' "$f" >&2; tail -n 40 "$work/server.$f" >&2; fi
  done
  exit 1
}
# HTTP status of a GET, 0 when nothing answers (node is on every machine that can run hookgraph; curl may not be).
status() { node -e 'fetch(process.argv[1]).then((r) => console.log(r.status), () => console.log(0))' "$1"; }

step "fresh clone of $repo"
git clone --quiet --no-hardlinks "$repo" "$app"
if [ "${1:-}" = "--worktree" ]; then
  (cd "$repo" && git ls-files -z --cached --others --exclude-standard | tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -xf - -C "$app"
  (cd "$repo" && git ls-files -z --deleted) | (cd "$app" && xargs -0 -r rm -f --)
  echo "copied the working tree's uncommitted changes"
fi
cd "$app"

step "npm ci"
# better-sqlite3 compiles from source where its prebuilt binary cannot be downloaded: use every core for it.
JOBS=max npm ci --no-audit --no-fund --loglevel=error
step "npm run build"
npm run build
step "npm prune --omit=dev"
npm prune --omit=dev --no-audit --no-fund --loglevel=error
for dev in typescript tsx vitest; do
  [ ! -e "node_modules/$dev" ] || fail "devDependency $dev is still installed after npm prune --omit=dev"
done
# `npm start`'s build check must pass without TypeScript once dist/ is built.
node scripts/build-if-stale.mjs || fail "scripts/build-if-stale.mjs (npm start's prestart) failed after the prune"

step "node dist/server.js (NODE_ENV=production)"
mkdir -p "$data"
port="$(node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')"
if command -v openssl >/dev/null; then secret="$(openssl rand -base64 32)"; else secret="$(node -e 'console.log(require("node:crypto").randomBytes(32).toString("base64"))')"; fi
# Only what an operator would set: nothing from this shell (a DATABASE_URL, a REDIS_URL) leaks into the check.
run_env=(env -i "PATH=$PATH" "HOME=$HOME" NODE_ENV=production "HOOKGRAPH_DATA_DIR=$data" "HOOKGRAPH_SECRET_KEY=$secret"
  "DATABASE_URL=file:$data/hookgraph.sqlite" HOST=127.0.0.1 "PORT=$port")
"${run_env[@]}" node dist/server.js >"$work/server.stdout" 2>"$work/server.stderr" &
server_pid=$!

deadline=$((SECONDS + 60))
while [ "$(status "http://127.0.0.1:$port/ready")" != 200 ]; do
  kill -0 "$server_pid" 2>/dev/null || fail "the server exited before /ready answered 200"
  [ "$SECONDS" -lt "$deadline" ] || fail "/ready did not answer 200 within 60 s"
  sleep 0.2
done
echo "/ready 200 on port $port"

code="$(status "http://127.0.0.1:$port/sandbox/booqable/")"
[ "$code" = 404 ] || fail "/sandbox/booqable/ answered $code in production, expected 404"
echo "/sandbox/booqable/ 404"
code="$(status "http://127.0.0.1:$port/console/")"
[ "$code" = 200 ] || fail "/console/ answered $code in production, expected 200 (npm run build builds the console)"
echo "/console/ 200"

if grep -Eq 'hg_[A-Za-z0-9]{12}_' "$work/server.stdout" "$work/server.stderr"; then fail "an API key (hg_…) was printed"; fi
echo "no API key printed"

step "compiled CLI without devDependencies"
version="$(node dist/cli.js --version)"
[ "$version" = "$(node -p 'require("./package.json").version')" ] || fail "node dist/cli.js --version printed '$version'"
echo "node dist/cli.js --version: $version"
"${run_env[@]}" node bin/hookgraph.js doctor || fail "hookgraph doctor failed against the production server's data"

step "SIGTERM"
kill -TERM "$server_pid"
set +e
wait "$server_pid"
rc=$?
set -e
server_pid=""
[ "$rc" = 0 ] || fail "the server exited with $rc after SIGTERM, expected 0"
echo "exit code 0 after SIGTERM"

step "production path ok"

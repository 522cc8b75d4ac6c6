#!/bin/bash
# Runs a test command as if the clock said another time (libfaketime, Debian's `faketime`
# package): the app, the tests and Chromium all see it, and it keeps running from there.
# CI runs whenever it runs; this finds tests that only pass at some hours.
#   bash scripts/at-time.sh "2026-12-02 03:30:00" npx vitest run --config vitest.e2e.config.ts
set -euo pipefail
when="$1"; shift
lib=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -1 || true)
if [ -z "$lib" ]; then echo "at-time: libfaketime is missing: apt-get install faketime" >&2; exit 2; fi
LD_PRELOAD="$lib" FAKETIME="@$when" FAKETIME_DONT_RESET=1 exec "$@"

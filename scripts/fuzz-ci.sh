#!/usr/bin/env bash
# make fuzz-ci: every fuzz target of the module for FUZZTIME (default 8s).
#
# Go's fuzzing engine sometimes ends a run that found nothing with
# "context deadline exceeded" when its time is up while a worker is still
# busy on a loaded machine. A real finding always writes its input under
# testdata/fuzz ("Failing input written to ..."), so a run that failed
# without one is tried once more before it counts as a failure.
set -euo pipefail
GO=${GO:-go}
fuzztime=${FUZZTIME:-8s}
out=$(mktemp)
trap 'rm -f "$out"' EXIT

fuzz_one() { # pkg target
  "$GO" test -run '^$' -fuzz "^$2\$" -fuzztime "$fuzztime" -fuzzminimizetime 2s "$1" >"$out" 2>&1
}

failed=0
for pkg in $("$GO" list ./...); do
  for f in $("$GO" test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz' || true); do
    echo "fuzz $pkg $f"
    if fuzz_one "$pkg" "$f"; then
      tail -n 1 "$out"
      continue
    fi
    cat "$out"
    if ! grep -q 'Failing input written to' "$out" && grep -q 'context deadline exceeded' "$out"; then
      echo "fuzz $pkg $f: the engine ran out of time without a finding; once more"
      if fuzz_one "$pkg" "$f"; then
        tail -n 1 "$out"
        continue
      fi
      cat "$out"
    fi
    failed=1
  done
done
exit "$failed"

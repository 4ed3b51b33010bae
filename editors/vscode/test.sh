#!/usr/bin/env bash
# Tests and packages the VS Code extension for .flow. Runs from any directory.
#
#   grammar       tests/*.flow scope assertions (vscode-tmgrammar-test), one count per file
#   coverage      every token scope of the grammar is asserted in some tests/*.flow
#   snapshots     tests/snap/*.flow against their committed .snap files (vscode-tmgrammar-snap);
#                 a missing .snap fails (the tool would silently write one), and so does any
#                 .snap the run created or changed
#   examples      ../../examples/*.flow and the ```flow blocks of ../../docs/language.md:
#                 no `invalid` scope and no unscoped text, one count per source
#   static        package.json, language-configuration.json, snippets
#   extension     extension.js against stand-ins for vscode and the language client
#   languageclient  the bundled vscode-languageclient accepts engines.vscode and spawns `nagare lsp`
#   package       vsce package (with dependencies) into nagare-flow.vsix, then its contents
#
# The last line is `vscode: N passed, N failed`; the exit status is non-zero on any failure.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# count NAME PASSED FAILED
count() {
  passed=$((passed + $2))
  failed=$((failed + $3))
  echo "=> $1: $2 passed, $3 failed"
}

# A step whose command prints `NAME: N passed, M failed` as its last such line.
# step NAME COMMAND...
step() {
  local name=$1 rc=0 line p f
  shift
  "$@" >"$log" 2>&1 || rc=$?
  cat "$log"
  line=$(grep -E '^[a-z]+: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1 || true)
  if [[ -n $line ]]; then
    p=$(sed -E 's/^[a-z]+: ([0-9]+) passed.*/\1/' <<<"$line")
    f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
  else
    p=0 f=0
  fi
  if ((rc != 0 && f == 0)); then f=$((f + 1)); fi  # a crash counts as a failure
  count "$name" "$p" "$f"
}

if [[ ! -d node_modules ]]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund
fi

echo "== grammar assertions"
shopt -s nullglob
unit_files=(tests/*.flow)
rc=0
npx --no-install vscode-tmgrammar-test -c 'tests/*.flow' >"$log" 2>&1 || rc=$?
cat "$log"
ok=$(grep -c 'run successfuly' "$log" || true)
bad=$((${#unit_files[@]} - ok))
if ((rc != 0 && bad == 0)); then bad=1; fi
if ((${#unit_files[@]} == 0)); then bad=1; fi
count grammar "$ok" "$bad"

echo "== scope coverage"
step coverage node tests/coverage.js

echo "== grammar snapshots"
snap_files=()
missing=0
for f in tests/snap/*.flow; do
  if [[ -f $f.snap ]]; then
    snap_files+=("$f")
  else
    echo "MISSING $f.snap: run \`npx vscode-tmgrammar-snap -u '$f'\`, review and commit it"
    missing=$((missing + 1))
  fi
done
for s in tests/snap/*.snap; do
  [[ -f ${s%.snap} ]] || { echo "ORPHAN $s has no source"; missing=$((missing + 1)); }
done
before=$(cd tests/snap && ls -1 | sort | xargs -r sha256sum)
ok=0
bad=$missing
if ((${#snap_files[@]} > 0)); then
  rc=0
  npx --no-install vscode-tmgrammar-snap --expandDiff "${snap_files[@]}" >"$log" 2>&1 || rc=$?
  cat "$log"
  ok=$(grep -c 'run successfully' "$log" || true)
  bad=$((bad + ${#snap_files[@]} - ok))
  if ((rc != 0 && bad == 0)); then bad=1; fi
elif ((missing == 0)); then
  echo "no snapshot samples in tests/snap"
  bad=1
fi
after=$(cd tests/snap && ls -1 | sort | xargs -r sha256sum)
if [[ $before != "$after" ]]; then
  echo "FAIL the snapshot run created or changed files in tests/snap:"
  diff <(echo "$before") <(echo "$after") || true
  bad=$((bad + 1))
fi
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  changed=$(git status --porcelain --untracked-files=no -- tests/snap)
  if [[ -n $changed ]]; then
    echo "FAIL committed snapshots differ from the working tree:"
    echo "$changed"
    bad=$((bad + 1))
  fi
fi
count snapshots "$ok" "$bad"

echo "== examples and docs tokenize cleanly"
step examples node tests/check-examples.js

echo "== manifest, language configuration, snippets"
step static node tests/static.test.js

echo "== extension client"
step extension node tests/extension.test.js

echo "== bundled language client"
step languageclient node tests/languageclient.test.js

echo "== package"
rm -f nagare-flow.vsix
rc=0
npx --no-install vsce package --allow-missing-repository --out nagare-flow.vsix </dev/null >"$log" 2>&1 || rc=$?
grep -E 'DONE|ERROR|error' "$log" || true
if ((rc != 0)) || [[ ! -f nagare-flow.vsix ]]; then
  cat "$log"
  count package 0 1
else
  step vsix node tests/vsix.test.js nagare-flow.vsix
fi

echo "vscode: $passed passed, $failed failed"
((failed == 0))

#!/usr/bin/env bash
# Headless tests of editors/vim (ftdetect, ftplugin, syntax, indent) under Vim
# and Neovim, and, when NAGARE_BIN is set, of Neovim as a client of
# `$NAGARE_BIN lsp`. Runnable from any directory:
#
#   editors/vim/test.sh                                    # Vim and Neovim
#   NAGARE_BIN=$PWD/target/debug/nagare editors/vim/test.sh  # ... and the LSP
#   VERBOSE=1 editors/vim/test.sh                          # every check, not only failures
#
# Installs neovim with apt-get when nvim is missing and we are root. Prints one
# summary line per run and a total line, and exits 1 if anything failed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tests="$here/tests"
verbose="${VERBOSE:-0}"
# A hung editor fails the run instead of hanging it.
limit=(timeout 120)
command -v timeout >/dev/null 2>&1 || limit=()

if ! command -v nvim >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "editors/vim: nvim not found, installing neovim with apt-get" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq neovim >/dev/null
  else
    echo "editors/vim: nvim not found and not root: Neovim is not tested" >&2
  fi
fi

# `set rtp^=DIR`, but safe for a DIR with spaces or commas: the editors read
# it from the environment. rtp and filetype go in --cmd (-c is too late for ftdetect).
export FLOW_VIM_DIR="$here"
prepend='let &runtimepath = escape($FLOW_VIM_DIR, "\\,") . "," . &runtimepath'

passed=0
failed=0
ran=()
out="$(mktemp)"
err="$(mktemp)"
trap 'rm -f "$out" "$err"' EXIT

# run NAME COMMAND...: run one headless test, print its failures and summary line.
run() {
  local name=$1
  shift
  local rc=0
  ${limit[@]+"${limit[@]}"} "$@" </dev/null >"$out" 2>"$err" || rc=$?
  local summary
  summary="$(grep -E '^[a-z-]+: [0-9]+ passed, [0-9]+ failed$' "$out" | tail -n 1 || true)"
  if [ -z "$summary" ]; then
    # No summary: the editor died or the script broke. Show everything.
    cat "$out" "$err"
    echo "$name: no summary line (exit $rc)"
    failed=$((failed + 1))
    ran+=("$name")
    return
  fi
  if [ "$verbose" = 1 ]; then
    grep -vE '^[a-z-]+: [0-9]+ passed, [0-9]+ failed$' "$out" || true
  else
    grep -E '^FAIL' "$out" || true
  fi
  echo "$summary"
  local p f
  p="$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\1/' <<<"$summary")"
  f="$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\2/' <<<"$summary")"
  # A non-zero exit with no failure counted is still a failure.
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "$name: exit $rc"
    f=1
  fi
  if [ "$f" -ne 0 ] && [ -s "$err" ]; then
    sed -e 's/^/  stderr: /' -e '$a\' "$err" | head -n 20
  fi
  passed=$((passed + p))
  failed=$((failed + f))
  ran+=("$name")
}

if command -v vim >/dev/null 2>&1; then
  # -es: silent Ex mode, no screen output; results go to /dev/stdout.
  run vim vim -N -u NONE -i NONE -es \
    --cmd "$prepend" --cmd 'filetype plugin indent on' --cmd 'syntax on' \
    -S "$tests/test_syntax.vim"
fi

if command -v nvim >/dev/null 2>&1; then
  run nvim nvim --headless -u NONE -i NONE \
    --cmd "$prepend" --cmd 'filetype plugin indent on' --cmd 'syntax on' \
    -S "$tests/test_syntax.vim"
  if [ -n "${NAGARE_BIN:-}" ]; then
    run nvim-lsp env NAGARE_BIN="$NAGARE_BIN" nvim --headless -u NONE -i NONE \
      --cmd "$prepend" --cmd 'filetype plugin on' \
      -c 'execute "luafile " . fnameescape($FLOW_VIM_DIR . "/tests/test_lsp.lua")'
  fi
elif [ -n "${NAGARE_BIN:-}" ]; then
  echo "nvim-lsp: nvim is missing"
  failed=$((failed + 1))
fi

if [ "${#ran[@]}" -eq 0 ]; then
  echo "editors/vim: neither vim nor nvim is installed"
  exit 1
fi

echo "editors/vim: $passed passed, $failed failed (${ran[*]})"
[ "$failed" -eq 0 ]

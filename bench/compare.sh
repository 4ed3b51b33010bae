#!/usr/bin/env bash
# nagare side by side with the tools users would otherwise pick (issue 8).
#
#   bench/compare.sh                       # NAGARE=target/release/nagare by default
#   NAGARE=/path/to/nagare bench/compare.sh
#
# Needs: Node.js (20 or later) with npm and python3 with venv. Installs the
# peers it lacks, by name:
#   bench/node_modules     aws-local-stepfunctions ~3.0 (bench/package.json, npm ci)
#   target/oracles         asl-validator 4 (npm), and a venv with statelint 3 and
#                          moto 5 + boto3 (pip), as .ci/run does
# Generates the workloads (bench/gen.py) into target/bench-work, runs each
# tool on them one at a time, and prints Markdown tables (bench/report.py),
# also written to bench/results/latest.md.
#
# Every figure is a whole process, started and reaped by bench/measure.py:
# wall time around posix_spawn and wait4, and the peak RSS and user and
# system CPU time the kernel reports for it. After one warm-up run, not counted,
# each figure is the median of 3 runs, or of 11 when the warm-up took under
# 0.1 s. Run it on an idle machine: nothing runs in parallel with a measurement.
set -uo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
NAGARE=${NAGARE:-target/release/nagare}
case $NAGARE in /*) ;; *) NAGARE=$ROOT/$NAGARE ;; esac
ORACLES=$ROOT/target/oracles
WORK=$ROOT/target/bench-work
RESULTS=$ROOT/bench/results
STARTED=$SECONDS

die() { echo "compare.sh: $*" >&2; exit 2; }
note() { echo "$*" >&2; }

[ -x "$NAGARE" ] || die "no nagare at $NAGARE: build it (cargo build --release) or set NAGARE=path"
command -v node >/dev/null || die "Node.js is needed (20 or later)"
command -v npm >/dev/null || die "npm is needed"
command -v python3 >/dev/null || die "python3 is needed"

# --- the peers ------------------------------------------------------------------------
if [ ! -f bench/node_modules/aws-local-stepfunctions/package.json ]; then
  note "installing aws-local-stepfunctions into bench/node_modules"
  (cd bench && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci in bench/ failed"
fi
if [ ! -x "$ORACLES/node_modules/.bin/asl-validator" ]; then
  note "installing asl-validator into $ORACLES"
  mkdir -p "$ORACLES"
  npm install --prefix "$ORACLES" --no-audit --no-fund --loglevel=error asl-validator@4 ||
    die "installing asl-validator failed"
fi
if [ ! -x "$ORACLES/venv/bin/python" ]; then
  note "making a Python venv in $ORACLES/venv"
  python3 -m venv "$ORACLES/venv" || die "python3 -m venv failed"
fi
if [ ! -x "$ORACLES/venv/bin/statelint" ]; then
  note "installing statelint into $ORACLES/venv"
  "$ORACLES/venv/bin/pip" install --quiet 'statelint>=3,<4' || die "installing statelint failed"
fi
if ! "$ORACLES/venv/bin/python" -c 'import moto, boto3' 2>/dev/null; then
  note "installing moto and boto3 into $ORACLES/venv"
  "$ORACLES/venv/bin/pip" install --quiet 'moto[server]>=5,<6' boto3 || die "installing moto failed"
fi
ASL_VALIDATOR=$ORACLES/node_modules/.bin/asl-validator
STATELINT=$ORACLES/venv/bin/statelint
VPY=$ORACLES/venv/bin/python

# --- the workloads --------------------------------------------------------------------
rm -rf "$WORK"
mkdir -p "$WORK/out" "$RESULTS"
python3 bench/gen.py "$WORK" || die "bench/gen.py failed"
TSV=$WORK/results.tsv
CHECKS=$WORK/checks.md
: >"$TSV"
: >"$CHECKS"

declare -A SIZES
while read -r name rest; do SIZES[$name]=$rest; done <"$WORK/sizes.txt"
KINDS=(chain loop map parallel retry)

# --- the header -----------------------------------------------------------------------
version_of() { "$@" 2>/dev/null | head -n1 | tr -d '\r'; }
{
  echo "# nagare side by side: bench/compare.sh"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) memory, $(uname -sr)"
  echo "- load average at the start: $(cut -d' ' -f1-3 /proc/loadavg) (anything else running on the machine shows up as noise)"
  echo "- nagare: $(version_of "$NAGARE" --version) ($NAGARE)"
  echo "- aws-local-stepfunctions $(node -p 'require("./bench/node_modules/aws-local-stepfunctions/package.json").version') on Node.js $(node --version)"
  echo "- asl-validator $(version_of "$ASL_VALIDATOR" --version) on Node.js $(node --version)"
  echo "- statelint $(version_of "$STATELINT" --version) (the Python package)"
  echo "- moto $("$VPY" -c 'import moto; print(moto.__version__)'), boto3 $("$VPY" -c 'import boto3; print(boto3.__version__)'), $("$VPY" --version)"
  echo "- method: whole process, started with posix_spawn and reaped with wait4 (bench/measure.py): wall time between the two, peak RSS (ru_maxrss, MB = 10^6 bytes) and CPU times from the kernel; after one warm-up run, the median of 3 runs, or of 11 when the warm-up took under 0.1 s; one command at a time"
  echo
} >"$WORK/header.md"
cat "$WORK/header.md" >&2

# --- measuring ------------------------------------------------------------------------
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }

# measure SECTION WORKLOAD SIZE TOOL -- COMMAND...: one line of $TSV.
# bench/measure.py runs the command: one warm-up run, not counted, then 11
# counted runs when the warm-up took under 0.1 s, else 3. Standard output
# goes to /dev/null, or to $KEEP when set.
measure() {
  local section=$1 workload=$2 size=$3 tool=$4
  shift 5
  local -a times=() mems=() users=() syss=()
  local status=ok us kb user sys rc
  while read -r us kb user sys rc _; do
    if (( rc != 0 )); then
      status="exit $rc: $(tail -c 100 "$WORK/stderr.txt" | tr '\t\n|' '  /')"
      break
    fi
    times+=("$us")
    mems+=("$kb")
    users+=("$user")
    syss+=("$sys")
  done < <(python3 "$ROOT/bench/measure.py" "${KEEP:-/dev/null}" "$WORK/stderr.txt" -- "$@")
  (( ${#times[@]} > 0 )) || [ "$status" != ok ] || status="no run finished"
  if [ "$status" = ok ]; then
    local mid min max mem
    mid=$(median "${times[@]}")
    min=$(printf '%s\n' "${times[@]}" | sort -n | head -n1)
    max=$(printf '%s\n' "${times[@]}" | sort -n | tail -n1)
    mem=$(median "${mems[@]}")
    printf '%s\t%s\t%s\t%s\tok\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$section" "$workload" "$size" "$tool" \
      "${#times[@]}" "$mid" "$min" "$max" "$mem" "$(median "${users[@]}")" "$(median "${syss[@]}")" >>"$TSV"
    note "$(printf '  %-8s %-13s %-7s %-14s %9s s  %5d MB  (%d runs, min %s s, max %s s)' "$section" "$workload" \
      "$size" "$tool" "$(secs "$mid")" "$(( mem * 1024 / 1000000 ))" "${#times[@]}" "$(secs "$min")" "$(secs "$max")")"
  else
    printf '%s\t%s\t%s\t%s\t%s\t0\t0\t0\t0\t0\t0\t0\n' "$section" "$workload" "$size" "$tool" "$status" >>"$TSV"
    note "  $section $workload $size $tool: $status"
  fi
}
secs() { printf '%d.%04d' $(( $1 / 1000000 )) $(( $1 % 1000000 / 100 )); }

# The command line of each tool for an execution workload, one word a line.
run_line() { # TOOL KIND SIZE
  local tool=$1 kind=$2 n=$3 stem=$WORK/exec/$2_$3
  case $tool in
    nagare)
      printf '%s\n' "$NAGARE" run "$stem.asl.json" --input "$stem.input.json" --format json \
        --max-transitions 100000000 --color never
      [ "$kind" = retry ] && printf '%s\n' --mock-config "$stem.mocks.json" --test-case Bench
      ;;
    als)
      printf '%s\n' node "$ROOT/bench/als_run.mjs" "$stem.asl.json" "$stem.input.json"
      [ "$kind" = retry ] && printf '%s\n' --fail "Work=$n"
      ;;
    moto) printf '%s\n' "$VPY" "$ROOT/bench/moto_run.py" "$stem.asl.json" "$stem.input.json" ;;
  esac
  return 0
}
measure_run() { # TOOL KIND SIZE
  local -a cmd
  mapfile -t cmd < <(run_line "$1" "$2" "$3")
  measure exec "$2" "$3" "$1" -- "${cmd[@]}"
}

# --- the outputs agree ------------------------------------------------------------------
# Each peer's output is compared with nagare's once, at the smallest size
# (untimed), so the timed runs below are known to compute the same thing.
check_same() { # KIND SIZE PEER
  local kind=$1 n=$2 peer=$3 ours=$WORK/out/nagare_$1_$2.json theirs=$WORK/out/$3_$1_$2.json
  local -a cmd
  if [ ! -s "$ours" ]; then
    mapfile -t cmd < <(run_line nagare "$kind" "$n")
    "${cmd[@]}" >"$ours" 2>/dev/null
  fi
  if [ ! -s "$theirs" ]; then
    mapfile -t cmd < <(run_line "$peer" "$kind" "$n")
    "${cmd[@]}" >"$theirs" 2>/dev/null
  fi
  if python3 bench/report.py same "$ours" "$theirs" 2>/dev/null; then
    echo "- $kind at $n: $peer's output is nagare's" >>"$CHECKS"
  else
    echo "- $kind at $n: **$peer's output differs from nagare's** (see $theirs)" >>"$CHECKS"
  fi
}
note "checking that the outputs agree"
check_same one 1 als
for kind in "${KINDS[@]}"; do
  read -r s1 _ <<<"${SIZES[$kind]}"
  check_same "$kind" "$s1" als
done

# --- start-up ---------------------------------------------------------------------------
note "measuring"
for tool in nagare als moto; do measure_run "$tool" one 1; done

# --- validation -------------------------------------------------------------------------
for n in ${SIZES[validate]}; do
  f=$WORK/validate/pass_$n.asl.json
  measure validate asl "$n" nagare -- "$NAGARE" check --color never "$f"
  measure validate asl "$n" asl-validator -- "$ASL_VALIDATOR" --json-path "$f"
  measure validate asl "$n" statelint -- "$STATELINT" "$f"
  f=$WORK/validate/flow_$n.flow
  measure validate flow-check "$n" nagare -- "$NAGARE" check --color never "$f"
  measure validate flow-compile "$n" nagare -- "$NAGARE" compile --color never "$f"
done

# --- execution at 4 sizes ---------------------------------------------------------------
for kind in "${KINDS[@]}"; do
  read -r s1 s2 s3 s4 ms <<<"${SIZES[$kind]}"
  for n in $s1 $s2 $s3 $s4; do
    measure_run nagare "$kind" "$n"
    measure_run als "$kind" "$n"
  done
done

# --- moto, at its sizes -----------------------------------------------------------------
for kind in "${KINDS[@]}"; do
  read -r s1 s2 s3 s4 ms <<<"${SIZES[$kind]}"
  [ "$ms" = - ] && continue
  case " $s1 $s2 $s3 $s4 " in
    *" $ms "*) ;;
    *) measure_run nagare "$kind" "$ms"; measure_run als "$kind" "$ms" ;;
  esac
  KEEP=$WORK/out/moto_${kind}_$ms.json measure_run moto "$kind" "$ms"
  check_same "$kind" "$ms" moto
done

# --- the report -------------------------------------------------------------------------
{
  cat "$WORK/header.md"
  python3 bench/report.py "$TSV" "$WORK/sizes.txt"
  echo
  echo "## The outputs agree"
  echo
  echo "Checked once per workload, untimed: the output each peer printed against the \`output\` of nagare's JSON result."
  echo
  cat "$CHECKS"
  echo
  echo "The whole of bench/compare.sh took $(( SECONDS - STARTED )) s."
} >"$WORK/report.md"
cp "$WORK/report.md" "$RESULTS/latest.md"
cat "$WORK/report.md"

#!/usr/bin/env bash
# Seeds each fuzz target's corpus (fuzz/corpus/TARGET/, not committed) with
# the project's own inputs: examples, the diagnostics corpus, the ASL corpus
# and the conformance cases. Run from anywhere; see docs/fuzzing.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="$root/fuzz/corpus"
mkdir -p "$corpus"/{check_bytes,check_tokens,asl_run,fmt_idempotent,jsonata}
for f in "$root"/examples/*.flow "$root"/tests/diagnostics/*.flow; do
  cp "$f" "$corpus/check_bytes/"
  cp "$f" "$corpus/fmt_idempotent/"
done
for f in "$root"/tests/asl/valid/*.json "$root"/tests/asl/invalid/*.json; do
  cp "$f" "$corpus/asl_run/"
done
# Conformance cases: the definition, then `---` and the input; for the
# jsonata target, every `{% … %}` expression in them.
python3 - "$root" "$corpus/asl_run" "$corpus/jsonata" <<'PY'
import json, pathlib, sys
root, out, exprs = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
def strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, dict):
        for x in v.values():
            yield from strings(x)
    elif isinstance(v, list):
        for x in v:
            yield from strings(x)
n = 0
for folder in ("cases", "jsonata"):
    for case in sorted((root / "tests/conformance" / folder).glob("*.json")):
        try:
            c = json.loads(case.read_text())
            text = json.dumps(c["definition"]) + "\n---\n" + json.dumps(c.get("input", {}))
            (out / case.name).write_text(text)
            for s in strings(c["definition"]):
                if s.startswith("{%") and s.endswith("%}"):
                    n += 1
                    (exprs / f"{case.stem}_{n}").write_text(s[2:-2] + "\n---\n" + json.dumps(c.get("input", {})))
        except (KeyError, ValueError):
            pass
PY
# Token sequences: a few random starts; the fuzzer finds the rest.
for i in 1 2 3 4; do head -c 64 /dev/urandom > "$corpus/check_tokens/random$i"; done
echo "seeded $(find "$corpus" -type f | wc -l) inputs under $corpus"

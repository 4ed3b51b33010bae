#!/usr/bin/env node
// Tokenizes real .flow sources with the extension's grammar and fails if any token
// is scoped `invalid`, or if any non-blank text is left without a scope of its own
// (only `source.flow` and `meta.*` scopes: a gap in the grammar).
//
// Sources: every ../../examples/*.flow, and every ```flow block of
// ../../docs/language.md (each block is a whole file). Pass file names to check
// those instead; `--dump FILE` prints each token with its scopes.
//
// It uses the vscode-textmate and vscode-oniguruma that vscode-tmgrammar-test
// installs, so it needs no dependency of its own.
'use strict';

const fs = require('fs');
const path = require('path');

const here = __dirname;
const root = path.resolve(here, '..');
const fromTester = { paths: [path.dirname(require.resolve('vscode-tmgrammar-test/package.json', { paths: [root] }))] };
const vsctm = require(require.resolve('vscode-textmate', fromTester));
const oniguruma = require(require.resolve('vscode-oniguruma', fromTester));

async function loadGrammar() {
  const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma', fromTester)), 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const entry = pkg.contributes.grammars.find((g) => g.scopeName === 'source.flow');
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      if (scopeName !== 'source.flow') return null;
      const file = path.join(root, entry.path);
      return vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
    },
  });
  return registry.loadGrammar('source.flow');
}

function tokenize(grammar, text) {
  const out = [];
  let stack = vsctm.INITIAL;
  text.split(/\r?\n/).forEach((line, i) => {
    const r = grammar.tokenizeLine(line, stack);
    for (const t of r.tokens) {
      out.push({ line: i + 1, col: t.startIndex + 1, text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    }
    stack = r.ruleStack;
  });
  return out;
}

function problems(tokens) {
  const found = [];
  for (const t of tokens) {
    if (t.scopes.some((s) => s.startsWith('invalid'))) {
      found.push(`${t.line}:${t.col} ${JSON.stringify(t.text)} is invalid: ${t.scopes.join(' ')}`);
    } else if (t.text.trim() !== '' && t.scopes.every((s) => s === 'source.flow' || s.startsWith('meta.'))) {
      found.push(`${t.line}:${t.col} ${JSON.stringify(t.text)} has no scope of its own: ${t.scopes.join(' ')}`);
    }
  }
  return found;
}

function defaultSources() {
  const repo = path.resolve(root, '..', '..');
  const sources = [];
  const examples = path.join(repo, 'examples');
  for (const f of fs.readdirSync(examples).filter((f) => f.endsWith('.flow')).sort()) {
    sources.push({ name: path.join('examples', f), text: fs.readFileSync(path.join(examples, f), 'utf8') });
  }
  const doc = path.join(repo, 'docs', 'language.md');
  const lines = fs.readFileSync(doc, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```flow') continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end].trim() !== '```') end++;
    sources.push({ name: `docs/language.md:${start + 1}`, text: lines.slice(start, end).join('\n') });
    i = end;
  }
  return sources;
}

async function main() {
  const args = process.argv.slice(2);
  const grammar = await loadGrammar();
  if (args[0] === '--dump') {
    for (const t of tokenize(grammar, fs.readFileSync(args[1], 'utf8'))) {
      if (t.text.trim() !== '') console.log(`${t.line}:${t.col}\t${JSON.stringify(t.text)}\t${t.scopes.slice(1).join(' ')}`);
    }
    return;
  }
  const sources = args.length
    ? args.map((f) => ({ name: f, text: fs.readFileSync(f, 'utf8') }))
    : defaultSources();
  if (sources.length === 0) {
    console.error('no .flow sources found');
    process.exit(1);
  }
  let passed = 0;
  let failed = 0;
  for (const src of sources) {
    const found = problems(tokenize(grammar, src.text));
    if (found.length === 0) {
      passed++;
    } else {
      failed++;
      console.log(`FAIL ${src.name}`);
      for (const p of found.slice(0, 20)) console.log(`  ${p}`);
      if (found.length > 20) console.log(`  ... and ${found.length - 20} more`);
    }
  }
  console.log(`examples: ${passed} passed, ${failed} failed (${sources.length} sources, every token scoped, none invalid)`);
  process.exit(failed === 0 ? 0 : 1);
}

module.exports = { loadGrammar, tokenize, problems };

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}

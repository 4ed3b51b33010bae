#!/usr/bin/env node
// Checks the manifest, the language configuration and the snippets:
// - package.json contributes what the extension needs, and every path it names exists;
// - the indentation rules and the word pattern behave on real lines;
// - every snippet, expanded with its default values, tokenizes with no invalid
//   and no unscoped text (so a snippet cannot insert something the grammar does not know).
'use strict';

const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { loadGrammar, tokenize, problems } = require('./check-examples.js');

const root = path.resolve(__dirname, '..');
const readJson = (f) => JSON.parse(fs.readFileSync(path.join(root, f), 'utf8'));
const cases = [];
const test = (name, fn) => cases.push({ name, fn });

test('package.json: manifest fields', () => {
  const pkg = readJson('package.json');
  assert.strictEqual(pkg.name, 'nagare-flow');
  assert.strictEqual(pkg.publisher, 'nagare');
  assert.strictEqual(pkg.engines.vscode, '^1.75.0');
  assert.deepStrictEqual(pkg.activationEvents, ['onLanguage:flow']);
  assert.ok(fs.existsSync(path.join(root, pkg.main)), 'main exists');
  assert.strictEqual(pkg.repository, undefined, 'packaged with --allow-missing-repository');
  const lang = pkg.contributes.languages.find((l) => l.id === 'flow');
  assert.deepStrictEqual(lang.extensions, ['.flow']);
  const props = pkg.contributes.configuration.properties;
  assert.strictEqual(props['nagare.path'].default, 'nagare');
  assert.strictEqual(props['nagare.lsp.enabled'].default, true);
  assert.ok(/^~?\d/.test(pkg.dependencies['vscode-languageclient']));
  assert.ok(pkg.devDependencies['vscode-tmgrammar-test'].startsWith('~0.1.3'));
  assert.ok(pkg.devDependencies['@vscode/vsce'].startsWith('~3.9.2'));
});

test('package.json: every contributed file exists and parses', () => {
  const pkg = readJson('package.json');
  const files = [
    ...pkg.contributes.languages.map((l) => l.configuration),
    ...pkg.contributes.grammars.map((g) => g.path),
    ...pkg.contributes.snippets.map((s) => s.path),
  ];
  for (const f of files) readJson(f);
  const grammar = readJson(pkg.contributes.grammars[0].path);
  assert.strictEqual(grammar.scopeName, 'source.flow');
  assert.strictEqual(pkg.contributes.grammars[0].scopeName, 'source.flow');
});

test('language-configuration.json: comments, brackets, auto-closing', () => {
  const c = readJson('language-configuration.json');
  assert.strictEqual(c.comments.lineComment, '//');
  assert.deepStrictEqual(c.comments.blockComment, ['/*', '*/']);
  const quote = c.autoClosingPairs.find((p) => p.open === '"');
  assert.deepStrictEqual(quote.notIn.sort(), ['comment', 'string']);
  assert.ok(c.folding.markers.start && c.folding.markers.end);
});

test('language-configuration.json: indentation rules', () => {
  const c = readJson('language-configuration.json');
  const inc = new RegExp(c.indentationRules.increaseIndentPattern);
  const dec = new RegExp(c.indentationRules.decreaseIndentPattern);
  for (const l of ['flow f {', '  task a foreach $.x concurrency 3 {', '    run ecs {   // args', '  subnets: [', '  message: States.Format(', '  task a { /* c */']) {
    assert.ok(inc.test(l), `indents after ${JSON.stringify(l)}`);
  }
  for (const l of ['  comment "a { b"', '  load after crawl { run ecs { x: 1 } }', '  query: "SELECT 1"', '  x: "quote \\" {"', '  // {']) {
    assert.ok(!inc.test(l), `does not indent after ${JSON.stringify(l)}`);
  }
  for (const l of ['  }', ']', '  )']) assert.ok(dec.test(l), `outdents ${JSON.stringify(l)}`);
  assert.ok(!dec.test('  run lambda "fn"'));
});

test('language-configuration.json: words keep hyphens, stop before ->', () => {
  const c = readJson('language-configuration.json');
  const words = 'catch States.ALL->alert visualize lambda-example after ecs_2 timeout 90s backoff -1.5'.match(new RegExp(c.wordPattern, 'g'));
  assert.deepStrictEqual(words, ['catch', 'States', 'ALL', 'alert', 'visualize', 'lambda-example', 'after', 'ecs_2', 'timeout', '90s', 'backoff', '-1.5']);
});

// Expands a snippet body the way VS Code would with every default accepted.
function expand(body) {
  let text = body.join('\n').replace(/\t/g, '  ');
  for (let i = 0; i < 5; i++) {
    text = text
      .replace(/\$\{\d+:([^${}]*)\}/g, '$1')
      .replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, '$1');
  }
  return text.replace(/\$\d+/g, '').replace(/\\\$/g, '$');
}

// Where a snippet's text may stand, by its first word.
function inContext(text) {
  const first = text.trim().split(/\s+/)[0];
  if (first === 'flow' || first === 'test') return text;
  if (['retry', 'catch'].includes(first)) return `flow f {\n  task a {\n    run lambda "fn"\n    ${text}\n  }\n}\n`;
  if (['mock', 'expect'].includes(first)) return `test "t" {\n  ${text}\n}\n`;
  return `flow f {\n  ${text}\n}\n`;
}

test('snippets: each expands to text the grammar scopes completely', async () => {
  const snippets = readJson('snippets/flow.json');
  const grammar = await loadGrammar();
  const names = Object.keys(snippets);
  for (const want of ['flow', 'stage', 'collect stage', 'transform stage', 'visualize stage', 'task stage', 'retry', 'catch', 'handler', 'test']) {
    assert.ok(names.includes(want), `a "${want}" snippet`);
  }
  for (const [name, s] of Object.entries(snippets)) {
    assert.ok(s.prefix && s.description && Array.isArray(s.body), `${name}: prefix, description, body`);
    const source = inContext(expand(s.body));
    assert.ok(!/\$\{|\$\d/.test(source), `${name}: expanded fully:\n${source}`);
    const found = problems(tokenize(grammar, source));
    assert.deepStrictEqual(found, [], `${name} expands to:\n${source}`);
  }
});

(async () => {
  let passed = 0;
  let failed = 0;
  for (const c of cases) {
    try {
      await c.fn();
      passed++;
      console.log(`ok   ${c.name}`);
    } catch (err) {
      failed++;
      console.log(`FAIL ${c.name}\n     ${String(err && err.message || err).split('\n').join('\n     ')}`);
    }
  }
  console.log(`static: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
})();

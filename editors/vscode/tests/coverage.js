#!/usr/bin/env node
// Fails unless every scope the grammar can give a token is asserted in at least
// one tests/*.flow file. `meta.*` scopes (regions, not tokens) are left out.
//
// A name like `storage.type.stage.$1.flow` is expanded through its capture
// group when that group is a plain list of words, (collect|transform|...).
'use strict';

const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const grammarFile = path.join(root, pkg.contributes.grammars.find((g) => g.scopeName === 'source.flow').path);
const grammar = JSON.parse(fs.readFileSync(grammarFile, 'utf8'));

// The text of each capturing group of a regex, by number.
function groups(re) {
  const found = [];
  const open = [];
  let inClass = false;
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '\\') { i++; continue; }
    if (inClass) { if (c === ']') inClass = false; continue; }
    if (c === '[') { inClass = true; continue; }
    if (c === '(') {
      const capturing = re[i + 1] !== '?';
      if (capturing) found.push(null);
      open.push(capturing ? { index: found.length - 1, start: i + 1 } : null);
    } else if (c === ')') {
      const g = open.pop();
      if (g) found[g.index] = re.slice(g.start, i);
    }
  }
  return found; // found[0] is group 1
}

function expand(name, re) {
  const m = /\$(\d+)/.exec(name);
  if (!m) return [name];
  const text = groups(re || '')[Number(m[1]) - 1];
  if (!text || !/^[A-Za-z_]+(\|[A-Za-z_]+)*$/.test(text)) {
    throw new Error(`cannot expand ${name}: group ${m[1]} of ${re} is not a list of words`);
  }
  return text.split('|').flatMap((w) => expand(name.replace(m[0], w), re));
}

const scopes = new Set();
function addNames(name, re) {
  if (!name) return;
  for (const part of name.split(/\s+/)) {
    for (const s of expand(part, re)) if (!s.startsWith('meta.')) scopes.add(s);
  }
}
function walk(rule) {
  if (!rule || typeof rule !== 'object') return;
  const re = rule.match || rule.begin;
  addNames(rule.name, re);
  addNames(rule.contentName, re);
  for (const [key, regex] of [['captures', re], ['beginCaptures', rule.begin], ['endCaptures', rule.end]]) {
    for (const cap of Object.values(rule[key] || {})) {
      addNames(cap.name, regex);
      (cap.patterns || []).forEach(walk);
    }
  }
  (rule.patterns || []).forEach(walk);
}
(grammar.patterns || []).forEach(walk);
Object.values(grammar.repository || {}).forEach(walk);

const asserted = new Set();
const testsDir = __dirname;
for (const f of fs.readdirSync(testsDir).filter((f) => f.endsWith('.flow'))) {
  const lines = fs.readFileSync(path.join(testsDir, f), 'utf8').split('\n');
  for (const line of lines.slice(1)) {
    const m = /^\/\/\s*(?:\^+|<~*-+)((?:\s+[^\s-][^\s]*)*)/.exec(line);
    if (m) m[1].trim().split(/\s+/).forEach((s) => asserted.add(s));
  }
}

const missing = [...scopes].filter((s) => !asserted.has(s)).sort();
for (const s of missing) console.log(`not asserted in any tests/*.flow: ${s}`);
console.log(`${scopes.size - missing.length} of ${scopes.size} token scopes are asserted`);
console.log(`coverage: ${missing.length === 0 ? 1 : 0} passed, ${missing.length === 0 ? 0 : 1} failed`);
process.exit(missing.length === 0 ? 0 : 1);

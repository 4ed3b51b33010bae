#!/usr/bin/env node
// Checks what a built .vsix holds: the extension's own files, every production
// dependency that package-lock.json lists (vscode-languageclient and its
// dependencies), and none of the devDependencies, tests or build leftovers.
// Usage: node tests/vsix.test.js nagare-flow.vsix
'use strict';

const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const vsix = path.resolve(process.argv[2] || path.join(root, 'nagare-flow.vsix'));
// yauzl comes with @vscode/vsce, which reads .vsix files with it.
const yauzl = require(require.resolve('yauzl', { paths: [path.dirname(require.resolve('@vscode/vsce/package.json', { paths: [root] }))] }));

function entries(file) {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const names = [];
      zip.on('entry', (e) => { names.push(e.fileName); zip.readEntry(); });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

(async () => {
  const names = new Set(await entries(vsix));
  const failures = [];
  const has = (n) => names.has(`extension/${n}`);
  const under = (dir) => [...names].some((n) => n.startsWith(`extension/${dir}/`));

  for (const f of ['package.json', 'extension.js', 'language-configuration.json', 'syntaxes/flow.tmLanguage.json',
    'snippets/flow.json', 'readme.md', 'LICENSE.txt', 'node_modules/vscode-languageclient/lib/node/main.js']) {
    if (!has(f)) failures.push(`missing ${f}`);
  }
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  let production = 0;
  for (const [dir, info] of Object.entries(lock.packages)) {
    if (!dir.startsWith('node_modules/')) continue;
    if (info.dev) {
      if (under(dir)) failures.push(`devDependency packaged: ${dir}`);
    } else {
      production++;
      if (!has(`${dir}/package.json`)) failures.push(`production dependency missing: ${dir}`);
    }
  }
  for (const n of names) {
    const rel = n.replace(/^extension\//, '');
    if (/^tests\/|^test\.sh$|\.vsix$|^package-lock\.json$|\.map$|\.d\.ts$|^\.gitignore$|^\.vscodeignore$/.test(rel)) {
      failures.push(`should not be packaged: ${rel}`);
    }
  }
  const size = fs.statSync(vsix).size;
  for (const f of failures) console.log(`FAIL ${f}`);
  console.log(`vsix: ${path.basename(vsix)}, ${size} bytes, ${names.size} entries, ${production} production packages checked`);
  console.log(`vsix: ${failures.length === 0 ? 1 : 0} passed, ${failures.length === 0 ? 0 : 1} failed`);
  process.exit(failures.length === 0 ? 0 : 1);
})().catch((err) => {
  console.log(`FAIL ${vsix}: ${err.message}`);
  console.log('vsix: 0 passed, 1 failed');
  process.exit(1);
});

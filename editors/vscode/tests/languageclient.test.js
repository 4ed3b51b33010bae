#!/usr/bin/env node
// Checks the bundled vscode-languageclient itself, against a stand-in `vscode`
// module that reports the oldest version package.json allows (engines.vscode):
// the library must accept that version, and, given the server options
// extension.js uses, must spawn exactly `nagare lsp` (no `--stdio` appended).
'use strict';

const assert = require('assert');
const childProcess = require('child_process');
const fs = require('fs');
const path = require('path');
const Module = require('module');

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const oldest = pkg.engines.vscode.replace(/^[\^~>=\s]+/, '');

// Any property of the stand-in is a callable, constructible stand-in too.
const handler = {
  get(target, prop) {
    if (prop === '__esModule' || prop === 'then') return undefined;
    if (!(prop in target)) target[prop] = new Proxy(function stub() {}, handler);
    return target[prop];
  },
  apply: () => new Proxy(function stub() {}, handler),
  construct: () => new Proxy({}, handler),
};
const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  if (request === 'vscode') return new Proxy({ version: oldest }, handler);
  return originalLoad.call(this, request, parent, isMain);
};

const spawned = [];
const realSpawn = childProcess.spawn;
childProcess.spawn = (command, args) => {
  spawned.push({ command, args });
  return realSpawn('cat', [], {});
};

(async () => {
  let failed = 0;
  try {
    const { LanguageClient } = require(require.resolve('vscode-languageclient/node', { paths: [root] }));
    const client = new LanguageClient('nagare', 'nagare', { command: 'nagare', args: ['lsp'] }, {
      documentSelector: [{ language: 'flow', scheme: 'file' }],
    });
    const transports = await client.createMessageTransports('utf8');
    assert.ok(transports.reader && transports.writer);
    assert.deepStrictEqual(spawned, [{ command: 'nagare', args: ['lsp'] }]);
    console.log(`ok   vscode-languageclient ${require(require.resolve('vscode-languageclient/package.json', { paths: [root] })).version} accepts VS Code ${oldest} and spawns \`nagare lsp\``);
  } catch (err) {
    failed = 1;
    console.log(`FAIL vscode-languageclient with VS Code ${oldest}: ${err && err.stack || err}`);
  }
  console.log(`languageclient: ${1 - failed} passed, ${failed} failed`);
  process.exit(failed);
})();

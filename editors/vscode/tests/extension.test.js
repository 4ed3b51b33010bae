#!/usr/bin/env node
// Drives extension.js with stand-ins for `vscode` and `vscode-languageclient/node`
// (VS Code itself cannot run here) and small shell scripts in place of `nagare`.
// Checks what the client is asked to start, and the messages when it cannot.
'use strict';

const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const Module = require('module');

// ------------------------------------------------------------ stand-ins
const state = {};
function reset(settings) {
  state.settings = { path: 'nagare', 'lsp.enabled': true, ...settings };
  state.errors = [];
  state.clients = [];
  state.configListeners = [];
  state.commands = {};
  state.startError = undefined;
}

const fakeVscode = {
  workspace: {
    getConfiguration: (section) => {
      assert.strictEqual(section, 'nagare');
      return { get: (key, dflt) => (key in state.settings ? state.settings[key] : dflt) };
    },
    onDidChangeConfiguration: (fn) => { state.configListeners.push(fn); return { dispose() {} }; },
  },
  window: {
    createOutputChannel: () => ({ lines: [], appendLine(l) { this.lines.push(l); }, show() {}, dispose() {} }),
    showErrorMessage: async (message) => { state.errors.push(message); return undefined; },
  },
  commands: {
    registerCommand: (id, fn) => { state.commands[id] = fn; return { dispose() {} }; },
    executeCommand: async () => undefined,
  },
};

class FakeLanguageClient {
  constructor(id, name, server, options) {
    Object.assign(this, { id, name, server, options, started: false, stopped: false });
    state.clients.push(this);
  }
  async start() {
    if (state.startError) throw state.startError;
    this.started = true;
  }
  async stop() { this.stopped = true; }
}

const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  if (request === 'vscode') return fakeVscode;
  if (request === 'vscode-languageclient/node') return { LanguageClient: FakeLanguageClient };
  return originalLoad.call(this, request, parent, isMain);
};

// ------------------------------------------------------------ fake binaries
const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'nagare-ext-'));
function script(name, body) {
  const file = path.join(bin, name);
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}
const withLsp = script('nagare-with-lsp', '[ "$1" = lsp ] && [ "$2" = --help ] && exit 0; exit 3');
const withoutLsp = script('nagare-old', "echo \"error: unrecognized subcommand 'lsp'\" >&2; exit 2");

// ------------------------------------------------------------ cases
const extension = require('../extension.js');
const context = () => ({ subscriptions: [] });
const cases = [];
const test = (name, fn) => cases.push({ name, fn });

test('starts `PATH lsp` over stdio for flow documents', async () => {
  reset({ path: withLsp });
  await extension.activate(context());
  assert.strictEqual(state.clients.length, 1);
  const c = state.clients[0];
  assert.deepStrictEqual(c.server, { command: withLsp, args: ['lsp'] });
  assert.strictEqual(c.server.transport, undefined, 'a transport would make the client append --stdio');
  assert.deepStrictEqual(c.options.documentSelector.map((s) => s.language), ['flow', 'flow']);
  assert.ok(c.started);
  assert.deepStrictEqual(state.errors, []);
  await extension.deactivate();
  assert.ok(c.stopped);
});

test('starts nothing when nagare.lsp.enabled is false', async () => {
  reset({ path: withLsp, 'lsp.enabled': false });
  await extension.activate(context());
  assert.strictEqual(state.clients.length, 0);
  assert.deepStrictEqual(state.errors, []);
});

test('says the binary was not found', async () => {
  reset({ path: path.join(bin, 'no-such-nagare') });
  await extension.activate(context());
  assert.strictEqual(state.clients.length, 0);
  assert.strictEqual(state.errors.length, 1);
  assert.match(state.errors[0], /no-such-nagare` was not found\. Install nagare, or set "nagare\.path"/);
});

test('says the binary has no lsp subcommand, with its error', async () => {
  reset({ path: withoutLsp });
  await extension.activate(context());
  assert.strictEqual(state.clients.length, 0);
  assert.match(state.errors[0], /has no working `lsp` subcommand \(exit 2: error: unrecognized subcommand 'lsp'\)/);
});

test('reports a client that fails to start', async () => {
  reset({ path: withLsp });
  state.startError = new Error('Connection closed');
  await extension.activate(context());
  assert.match(state.errors[0], /lsp` did not start: Connection closed/);
  await extension.deactivate();
});

test('restarts when nagare.path changes, and on the restart command', async () => {
  reset({ path: withoutLsp });
  await extension.activate(context());
  assert.strictEqual(state.clients.length, 0);
  state.settings.path = withLsp;
  const change = { affectsConfiguration: (key) => key === 'nagare.path' };
  for (const fn of state.configListeners) await fn(change);
  await extension.deactivate(); // waits for the queued restart, then stops
  assert.strictEqual(state.clients.length, 1);
  assert.ok(state.clients[0].started && state.clients[0].stopped);
  await state.commands['nagare.restartServer']();
  assert.strictEqual(state.clients.length, 2);
  assert.ok(state.clients[1].started);
  await extension.deactivate();
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
      console.log(`FAIL ${c.name}\n     ${String(err && err.stack || err).split('\n').slice(0, 4).join('\n     ')}`);
    }
  }
  fs.rmSync(bin, { recursive: true, force: true });
  console.log(`extension: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
})();

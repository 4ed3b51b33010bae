'use strict';
// A thin client: for documents of language `flow` it starts `nagare lsp` over
// stdio (the binary named by the `nagare.path` setting), unless
// `nagare.lsp.enabled` is false. Highlighting, snippets and the language
// configuration work without it.

const { spawn } = require('child_process');
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;
let output;

function settings() {
  const config = vscode.workspace.getConfiguration('nagare');
  return {
    command: (config.get('path') || '').trim() || 'nagare',
    enabled: config.get('lsp.enabled', true) !== false,
  };
}

// Runs `COMMAND lsp --help` to learn, before the client starts, whether the
// binary exists and has the `lsp` subcommand. Resolves to undefined when it
// does, or to a sentence that says what is wrong.
function probe(command) {
  return new Promise((resolve) => {
    let stderr = '';
    let child;
    try {
      child = spawn(command, ['lsp', '--help'], { stdio: ['ignore', 'ignore', 'pipe'], windowsHide: true });
    } catch (err) {
      resolve(`\`${command}\` could not be started: ${err.message}.`);
      return;
    }
    const timer = setTimeout(() => child.kill(), 10000);
    child.stderr.on('data', (data) => { stderr += data; });
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve(err.code === 'ENOENT'
        ? `\`${command}\` was not found. Install nagare, or set "nagare.path" to the binary.`
        : `\`${command}\` could not be started: ${err.message}.`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(undefined);
      else if (code === null) resolve(`\`${command} lsp --help\` did not finish (${signal}).`);
      else {
        const why = stderr.trim().split('\n')[0];
        resolve(`\`${command}\` has no working \`lsp\` subcommand (exit ${code}${why ? `: ${why}` : ''}). Update nagare, or set "nagare.path".`);
      }
    });
  });
}

async function report(problem) {
  output.appendLine(problem);
  const choice = await vscode.window.showErrorMessage(
    `nagare: the language server is off. ${problem}`, 'Open Settings', 'Show Output');
  if (choice === 'Open Settings') {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'nagare.');
  } else if (choice === 'Show Output') {
    output.show(true);
  }
}

async function start() {
  const { command, enabled } = settings();
  if (!enabled) return;
  const problem = await probe(command);
  if (problem) {
    void report(problem);
    return;
  }
  // No `transport` on purpose: with TransportKind.stdio the client would append
  // `--stdio` to the arguments. Without it, stdio is used all the same.
  const server = { command, args: ['lsp'] };
  try {
    client = new LanguageClient('nagare', 'nagare', server, {
      documentSelector: [{ language: 'flow', scheme: 'file' }, { language: 'flow', scheme: 'untitled' }],
      outputChannel: output,
    });
    await client.start();
  } catch (err) {
    client = undefined;
    void report(`\`${command} lsp\` did not start: ${err && err.message ? err.message : err}`);
  }
}

async function stop() {
  const running = client;
  client = undefined;
  if (running) {
    try {
      await running.stop();
    } catch (err) {
      output.appendLine(`stopping the language server: ${err && err.message ? err.message : err}`);
    }
  }
}

// Starts and stops run one after another, so quick setting changes cannot race.
let queue = Promise.resolve();
function restart() {
  queue = queue.then(stop).then(start);
  return queue;
}

function activate(context) {
  output = vscode.window.createOutputChannel('nagare');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('nagare.restartServer', restart),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('nagare.path') || event.affectsConfiguration('nagare.lsp.enabled')) {
        void restart();
      }
    }),
  );
  queue = queue.then(start);
  return queue;
}

function deactivate() {
  queue = queue.then(stop);
  return queue;
}

module.exports = { activate, deactivate };

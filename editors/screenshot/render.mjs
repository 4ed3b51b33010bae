// Highlights a .flow example with the VS Code extension's TextMate grammar (through shiki,
// which runs VS Code's own TextMate engine) and writes a standalone HTML page for
// render.sh to screenshot.
//
//   node render.mjs OUT.html [EXAMPLE.flow]
//
// EXAMPLE defaults to examples/daily_platform.flow; both are resolved against the
// current directory, the grammar and default example against this script's folder.
// The last line on stdout is "LINES COLUMNS" of the example, for sizing the window.

import { readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHighlighter } from 'shiki';

const THEME = 'dark-plus';
// Keep in step with render.sh, which sizes the window from these.
const FONT_SIZE_PX = 13;
const LINE_HEIGHT_PX = 19;
const PADDING_PX = 20;

const here = dirname(fileURLToPath(import.meta.url));
const grammarPath = resolve(here, '../vscode/syntaxes/flow.tmLanguage.json');
const defaultExample = resolve(here, '../../examples/daily_platform.flow');

const [outArg, exampleArg] = process.argv.slice(2);
if (!outArg) {
  console.error('usage: node render.mjs OUT.html [EXAMPLE.flow]');
  process.exit(2);
}
const outPath = resolve(outArg);
const examplePath = exampleArg ? resolve(exampleArg) : defaultExample;

const grammar = JSON.parse(await readFile(grammarPath, 'utf8'));
// A trailing newline would become an empty last line in the picture.
const source = (await readFile(examplePath, 'utf8')).replace(/\r\n/g, '\n');
// The picture shows the flow block alone: the file's `test` blocks follow
// the first line that is a lone `}`, and would make it three times as tall.
const all = source.split('\n');
const end = all.findIndex((l) => l === '}');
const code = (end >= 0 ? all.slice(0, end + 1) : all).join('\n').replace(/\n+$/, '');

const highlighter = await createHighlighter({
  themes: [THEME],
  langs: [{ ...grammar, name: 'flow' }],
});
const theme = highlighter.getTheme(THEME);
const pre = highlighter.codeToHtml(code, { lang: 'flow', theme: THEME });
highlighter.dispose();

const escapeHtml = (s) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const title = examplePath.split(/[\\/]/).pop();
const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
  html, body { margin: 0; padding: 0; background: ${theme.bg}; color: ${theme.fg}; }
  body { overflow: hidden; }
  pre.shiki {
    margin: 0;
    padding: ${PADDING_PX}px;
    font-family: "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace;
    font-size: ${FONT_SIZE_PX}px;
    line-height: ${LINE_HEIGHT_PX}px;
    white-space: pre;
    tab-size: 4;
    -webkit-font-smoothing: antialiased;
  }
  pre.shiki code { font: inherit; }
</style>
</head>
<body>
${pre}
</body>
</html>
`;
await writeFile(outPath, html);

const lines = code.split('\n');
const columns = Math.max(...lines.map((l) => [...l].length));
console.log(`${lines.length} ${columns}`);

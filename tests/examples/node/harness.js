// Runs the lessons' Express examples, each as its own server on 127.0.0.1, in one Node process.
//
// Usage: node harness.js <manifest.json>. The manifest lists examples as
// {key, slug, file, line, code, inject, seed}. The harness prints one JSON line,
// {"control": <port>}, then serves a control API on that port:
//   POST /start?key=<key>&env=<json>  (re)loads the example with fresh fixtures (and those
//   environment variables); answers {"port": n}.
// Each example is compiled as a CommonJS module whose require() resolves from this directory
// (so `require('express')` finds the pinned package), with the names it uses but does not
// define (`app`, `express`, your data layer `db`, ...) supplied first. Whatever the example
// passes to listen() (3000, say), its server listens on an ephemeral port on 127.0.0.1.
// The process exits when its stdin closes, so it never outlives the test session.
'use strict';

const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const Module = require('node:module');
const { fixtures } = require('./fixtures');

// stdout carries the one control line; whatever the examples log goes to stderr (a log file).
console.log = console.error;
console.info = console.error;

const manifest = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));

// Examples run in a scratch directory holding the files they serve: express.static('media')
// finds media/talk.mp4 and media/intro.mp4 there, the sizes the lessons' range exchanges show.
const os = require('node:os');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lesson-examples-'));
fs.mkdirSync(path.join(scratch, 'media'));
fs.writeFileSync(path.join(scratch, 'media', 'talk.mp4'), Buffer.alloc(146515, 7));
fs.writeFileSync(path.join(scratch, 'media', 'intro.mp4'), '');
fs.truncateSync(path.join(scratch, 'media', 'intro.mp4'), 73400320); // 70 MiB, sparse
process.chdir(scratch);
process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));
const byKey = new Map(manifest.map((example) => [example.key, example]));
const running = new Map(); // key -> servers
const envGiven = new Set(); // environment variables the last start set
const originalListen = net.Server.prototype.listen;

function declares(code, name) {
  return new RegExp(`\\b(const|let|var|function|class)\\s+${name}\\b`).test(code)
    || new RegExp(`\\b(const|let|var)\\s*\\{[^}]*\\b${name}\\b[^}]*\\}\\s*=`).test(code);
}

function uses(code, name) {
  return new RegExp(`(^|[^.\\w$])${name}\\b`).test(code);
}

function source(example, given) {
  let code = example.code;
  if (example.next) {
    // A Next.js middleware.js (or Next 16 proxy.js): an ES module importing next/server.
    code = code
      .replace(/^import \{ NextResponse \} from 'next\/server';$/m,
        `const { NextResponse } = require(${JSON.stringify(path.join(__dirname, 'next-server.js'))});`)
      .replace(/^export function (middleware|proxy)/m, 'module.exports.__next = function $1')
      .replace(/^export const config =/m, 'module.exports.__config =');
  }
  if (example.mount) {
    // A Next.js API route: its default export is the handler; Next hands it Node's req and res
    // with status() and json() helpers, which Express's req and res also have.
    code = code.replace(/^export default (async )?function/m, 'module.exports.__handler = $1function');
  }
  const lines = [`const __given = globalThis.__exampleGiven;`];
  for (const name of Object.keys(given)) {
    if (uses(example.code, name) && !declares(example.code, name)) {
      lines.push(`const ${name} = __given[${JSON.stringify(name)}];`);
    }
  }
  if (!declares(code, 'express')) lines.push(`const express = require('express');`);
  if (!declares(code, 'app') && uses(code, 'app')) lines.push('const app = express();');
  // One line of prelude, so the example's own line numbers stay right in stack traces.
  const prelude = lines.join(' ');
  const postlude = `\n;module.exports.__app = typeof app === 'undefined' ? undefined : app;\n`;
  return `${prelude}\n${code}${postlude}`;
}

async function stop(key) {
  const servers = running.get(key) || [];
  running.delete(key);
  await Promise.all(servers.map((server) => new Promise((resolve) => {
    if (server.closeAllConnections) server.closeAllConnections();
    server.close(() => resolve());
    setTimeout(resolve, 200);
  })));
}

async function start(key, env = {}, seed = '') {
  const example = { ...byKey.get(key) };
  if (seed) example.seed = seed; // the rows one exchange assumes, instead of the example's own
  if (!example.code) throw new Error(`no example ${key}`);
  await stop(key);
  for (const name of envGiven) delete process.env[name]; // nothing carries over between starts
  envGiven.clear();
  for (const [name, value] of Object.entries(env)) { // as a deployment would set it (APP_ORIGIN)
    process.env[name] = value;
    envGiven.add(name);
  }
  const given = fixtures(example);
  const captured = [];
  net.Server.prototype.listen = function listen(...args) {
    captured.push(this);
    const callback = typeof args[args.length - 1] === 'function' ? args[args.length - 1] : undefined;
    return originalListen.call(this, 0, '127.0.0.1', callback);
  };
  const filename = path.join(__dirname, 'lessons', example.file.replace(/\.md$/, ''), `line-${example.line}.js`);
  try {
    globalThis.__exampleGiven = given;
    const m = new Module(filename, module);
    m.filename = filename;
    m.paths = Module._nodeModulePaths(__dirname);
    m._compile(source(example, given), filename);
    if (example.mount) {
      m.exports.__app = require('express')().all(example.mount, m.exports.__handler);
    }
    if (example.next) { // the middleware in front of routes that are not there: 404 after it
      const { adapt } = require('./next-server');
      m.exports.__app = require('express')().use(adapt(m.exports.__next, m.exports.__config));
    }
    if (!captured.length) {
      const app = m.exports.__app;
      if (!app) throw new Error(`${example.file} line ${example.line}: the example defines no app and starts no server`);
      const server = http.createServer(app);
      captured.push(server);
      originalListen.call(server, 0, '127.0.0.1');
    }
  } finally {
    net.Server.prototype.listen = originalListen;
  }
  running.set(key, captured);
  const server = captured[0];
  if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
  return server.address().port;
}

process.on('unhandledRejection', (err) => console.error('unhandled rejection:', err));
process.on('uncaughtException', (err) => console.error('uncaught exception:', err));

const control = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  try {
    if (req.method === 'POST' && url.pathname === '/start') {
      const env = JSON.parse(url.searchParams.get('env') || '{}');
      const port = await start(url.searchParams.get('key'), env, url.searchParams.get('seed'));
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return res.end(JSON.stringify({ port }));
    }
    res.writeHead(404);
    res.end();
  } catch (err) {
    res.writeHead(500, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ error: String(err && err.stack || err) }));
  }
});
originalListen.call(control, 0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ control: control.address().port }) + '\n');
});
process.stdin.on('end', () => process.exit(0)); // 'exit' removes the scratch directory
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();

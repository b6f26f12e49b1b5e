#!/usr/bin/env node
'use strict';
// Test webhook receiver for the returns service.
//
// Acts as a merchant's webhook endpoint during the test suite and checks each
// delivery's signature with the `standardwebhooks` package, an independent
// implementation of the Standard Webhooks spec, so the service's signing is
// not checked only against its own code.
//
// Usage: node receiver.js [--port N]   (0 or absent: any free port)
// Listens on 127.0.0.1 and prints exactly one line, "listening <port>", to
// stdout once ready. Nothing else goes to stdout; errors go to stderr.
//
// Delivery endpoint:
//   POST /hooks/<name>                  verify, record, answer per mode
// Control API (JSON):
//   POST   /control/<name>/secrets      {"secrets": ["whsec_...", ...]}  replace accepted secrets
//   POST   /control/<name>/mode         {"status": 500, "count": 3, "delay_ms": 0, "body_bytes": 0}
//   GET    /control/<name>/received     JSON array of records, arrival order
//   DELETE /control/<name>/received     clear records
// Anything else: 404.

const http = require('http');
const { Webhook } = require('standardwebhooks');

const MAX_BODY_BYTES = 1024 * 1024; // deliveries larger than this get 413
const MAX_CONTROL_BYTES = 1024 * 1024;
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024; // upper bound for body_bytes
const MAX_DELAY_MS = 10 * 60 * 1000;

function fail(msg) {
  process.stderr.write(`receiver: ${msg}\n`);
}

function parseArgs(argv) {
  let port = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    let value;
    if (a === '--port') {
      value = argv[++i];
    } else if (a.startsWith('--port=')) {
      value = a.slice('--port='.length);
    } else if (a === '-h' || a === '--help') {
      process.stderr.write('usage: node receiver.js [--port N]\n');
      process.exit(0);
    } else {
      fail(`unknown argument: ${a}`);
      process.stderr.write('usage: node receiver.js [--port N]\n');
      process.exit(2);
    }
    if (value === undefined || !/^\d+$/.test(value) || Number(value) > 65535) {
      fail(`invalid port: ${value}`);
      process.exit(2);
    }
    port = Number(value);
  }
  return { port };
}

// ---------------------------------------------------------------------------
// Per-name state

function defaultMode() {
  // count === null: stays until changed.
  return { status: 204, count: null, delay_ms: 0, body_bytes: 0 };
}

const endpoints = new Map(); // name -> { secrets: string[], mode, received: [] }

function endpoint(name) {
  let ep = endpoints.get(name);
  if (!ep) {
    ep = { secrets: [], mode: defaultMode(), received: [] };
    endpoints.set(name, ep);
  }
  return ep;
}

// Takes the answer for one verified delivery and consumes one use of a
// counted mode; after the last use the name returns to the default mode.
function takeMode(ep) {
  const m = ep.mode;
  const answer = { status: m.status, delay_ms: m.delay_ms, body_bytes: m.body_bytes };
  if (m.count !== null) {
    m.count -= 1;
    if (m.count <= 0) ep.mode = defaultMode();
  }
  return answer;
}

function parseMode(obj) {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw new Error('mode must be a JSON object');
  }
  const known = new Set(['status', 'count', 'delay_ms', 'body_bytes']);
  for (const k of Object.keys(obj)) {
    if (!known.has(k)) throw new Error(`unknown mode field: ${k}`);
  }
  const m = defaultMode();
  const isInt = (v) => Number.isInteger(v);
  if (obj.status !== undefined) {
    if (!isInt(obj.status) || obj.status < 200 || obj.status > 599) {
      throw new Error('status must be an integer in 200..599');
    }
    m.status = obj.status;
  }
  if (obj.count !== undefined && obj.count !== null) {
    if (!isInt(obj.count) || obj.count < 1) throw new Error('count must be an integer >= 1');
    m.count = obj.count;
  }
  if (obj.delay_ms !== undefined) {
    if (!isInt(obj.delay_ms) || obj.delay_ms < 0 || obj.delay_ms > MAX_DELAY_MS) {
      throw new Error(`delay_ms must be an integer in 0..${MAX_DELAY_MS}`);
    }
    m.delay_ms = obj.delay_ms;
  }
  if (obj.body_bytes !== undefined) {
    if (!isInt(obj.body_bytes) || obj.body_bytes < 0 || obj.body_bytes > MAX_RESPONSE_BYTES) {
      throw new Error(`body_bytes must be an integer in 0..${MAX_RESPONSE_BYTES}`);
    }
    m.body_bytes = obj.body_bytes;
  }
  return m;
}

function parseSecrets(obj) {
  if (obj === null || typeof obj !== 'object' || !Array.isArray(obj.secrets)) {
    throw new Error('expected {"secrets": [..]}');
  }
  for (const s of obj.secrets) {
    if (typeof s !== 'string') throw new Error('each secret must be a string');
    // Throws for a secret the library cannot use (empty key etc.).
    new Webhook(s); // eslint-disable-line no-new
  }
  return obj.secrets.slice();
}

// ---------------------------------------------------------------------------
// HTTP helpers

function send(res, status, body, contentType) {
  if (res.writableEnded || res.destroyed) return;
  const headers = {};
  let payload = null;
  if (status !== 204 && status !== 304 && body !== undefined && body !== null) {
    payload = Buffer.isBuffer(body) ? body : Buffer.from(String(body));
    headers['Content-Type'] = contentType || 'text/plain; charset=utf-8';
    headers['Content-Length'] = payload.length;
  } else if (status !== 204 && status !== 304) {
    headers['Content-Length'] = 0;
  }
  res.writeHead(status, headers);
  res.end(payload || undefined);
}

function sendJson(res, status, value) {
  send(res, status, JSON.stringify(value), 'application/json');
}

// Reads the request body up to `limit` bytes. Resolves with a Buffer, or with
// null when the body is larger than the limit (the rest is drained).
function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      resolve(null);
      return;
    }
    const chunks = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks, size));
    });
    req.on('error', reject);
  });
}

function decodeName(segment) {
  try {
    const name = decodeURIComponent(segment);
    return name.length > 0 ? name : null;
  } catch (_) {
    return null;
  }
}

function headerValue(v) {
  if (v === undefined) return null;
  return Array.isArray(v) ? v.join(', ') : v;
}

// ---------------------------------------------------------------------------
// Deliveries

async function handleDelivery(req, res, name) {
  const ep = endpoint(name);
  const raw = await readBody(req, MAX_BODY_BYTES);
  const record = {
    name,
    id: headerValue(req.headers['webhook-id']),
    timestamp: headerValue(req.headers['webhook-timestamp']),
    signature: headerValue(req.headers['webhook-signature']),
    verified: false,
    secret_index: -1,
    type: null,
    body: null,
    status: 0,
    received_at: Date.now(),
  };

  if (raw === null) {
    record.status = 413;
    ep.received.push(record);
    res.setHeader('Connection', 'close');
    send(res, 413, 'payload too large\n');
    return;
  }

  const text = raw.toString('utf8');
  let parsed;
  let isJson = false;
  try {
    parsed = JSON.parse(text);
    isJson = true;
  } catch (_) {
    parsed = text;
  }
  record.body = parsed;
  if (isJson && parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      && typeof parsed.type === 'string') {
    record.type = parsed.type;
  }

  // Signature check by the standardwebhooks package, over the raw bytes
  // exactly as received. jsonParse is off so a correctly signed body that is
  // not JSON still counts as verified (JSON is parsed above instead).
  for (let i = 0; i < ep.secrets.length; i++) {
    try {
      new Webhook(ep.secrets[i]).verify(raw, req.headers, { jsonParse: false });
      record.verified = true;
      record.secret_index = i;
      break;
    } catch (_) {
      // try the next secret
    }
  }

  if (!record.verified) {
    record.status = 400;
    ep.received.push(record);
    send(res, 400, 'signature verification failed\n');
    return;
  }

  const answer = takeMode(ep);
  let status = answer.status;
  // A response body cannot go with 204/304, so body_bytes turns those into 200.
  if (answer.body_bytes > 0 && (status === 204 || status === 304)) status = 200;
  record.status = status;
  ep.received.push(record);

  const reply = () => {
    if (answer.body_bytes > 0) {
      send(res, status, Buffer.alloc(answer.body_bytes, 'x'), 'text/plain');
    } else if (status === 204) {
      send(res, 204);
    } else {
      send(res, status, `${status}\n`);
    }
  };
  if (answer.delay_ms > 0) {
    const timer = setTimeout(reply, answer.delay_ms);
    res.on('close', () => clearTimeout(timer));
  } else {
    reply();
  }
}

// ---------------------------------------------------------------------------
// Control API

async function readJson(req, res) {
  const raw = await readBody(req, MAX_CONTROL_BYTES);
  if (raw === null) {
    res.setHeader('Connection', 'close');
    send(res, 413, 'payload too large\n');
    return undefined;
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (e) {
    sendJson(res, 400, { error: `invalid JSON: ${e.message}` });
    return undefined;
  }
}

async function handleControl(req, res, name, action) {
  if (action === 'mode' && req.method === 'POST') {
    const obj = await readJson(req, res);
    if (obj === undefined) return;
    let mode;
    try {
      mode = parseMode(obj);
    } catch (e) {
      sendJson(res, 400, { error: e.message });
      return;
    }
    endpoint(name).mode = mode;
    sendJson(res, 200, { mode });
    return;
  }
  if (action === 'secrets' && req.method === 'POST') {
    const obj = await readJson(req, res);
    if (obj === undefined) return;
    let secrets;
    try {
      secrets = parseSecrets(obj);
    } catch (e) {
      sendJson(res, 400, { error: e.message });
      return;
    }
    endpoint(name).secrets = secrets;
    sendJson(res, 200, { secrets: secrets.length });
    return;
  }
  if (action === 'received' && req.method === 'GET') {
    req.resume();
    const ep = endpoints.get(name);
    sendJson(res, 200, ep ? ep.received : []);
    return;
  }
  if (action === 'received' && req.method === 'DELETE') {
    req.resume();
    endpoint(name).received = [];
    send(res, 204);
    return;
  }
  req.resume();
  send(res, 404, 'not found\n');
}

// ---------------------------------------------------------------------------
// Routing

async function route(req, res) {
  const path = (req.url || '').split('?')[0];
  const parts = path.split('/');
  // "/hooks/<name>" -> ["", "hooks", name]
  if (parts.length === 3 && parts[0] === '' && parts[1] === 'hooks' && req.method === 'POST') {
    const name = decodeName(parts[2]);
    if (name !== null) {
      await handleDelivery(req, res, name);
      return;
    }
  }
  // "/control/<name>/<action>" -> ["", "control", name, action]
  if (parts.length === 4 && parts[0] === '' && parts[1] === 'control') {
    const name = decodeName(parts[2]);
    if (name !== null) {
      await handleControl(req, res, name, parts[3]);
      return;
    }
  }
  req.resume();
  send(res, 404, 'not found\n');
}

function main() {
  const { port } = parseArgs(process.argv.slice(2));
  const server = http.createServer((req, res) => {
    route(req, res).catch((e) => {
      fail(`error handling ${req.method} ${req.url}: ${e && e.stack ? e.stack : e}`);
      send(res, 500, 'internal error\n');
    });
  });
  server.on('clientError', (err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  server.on('error', (e) => {
    fail(`server error: ${e.message}`);
    process.exit(1);
  });
  server.listen(port, '127.0.0.1', () => {
    // The only stdout line. Writes to pipes and files are synchronous on
    // Linux, so the line is flushed once write() returns.
    process.stdout.write(`listening ${server.address().port}\n`);
  });
  const stop = () => process.exit(0);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main();

#!/usr/bin/env node
'use strict';
// A damage assessor for the test suite, answering as docs/integrations.md ("The damage
// assessor") documents the contract: POST a photo as JSON, get {label, confidence,
// model_version}. It checks what it is sent (the image decodes from base64 to size_bytes bytes
// whose SHA-256 is sha256) and records every request for the tests to read.
//
// Usage: node fake_assessor.js [--port N]   (0 or absent: any free port)
// Listens on 127.0.0.1 and prints exactly one line, "listening <port>", once ready.
//
//   POST /assess          the contract; answers per the mode
//   POST /control/mode    {"status": 200, "count": 2, "delay_ms": 0, "answer": {...}}
//                         the next `count` requests (all, without count) get `status` and, for a
//                         2xx, `answer` as the body (any JSON, to break the contract on purpose)
//                         (an error body echoes the Authorization header it got)
//   GET  /control/requests  the requests so far, in arrival order: {idempotency_key,
//                         authorization, content_type, evidence_id, claim_id, merchant_id,
//                         claim_type, image_content_type, size_bytes, image_ok}
//
// The default answer: "no_damage_visible" 0.91 for an image holding the bytes
// "sandbox:no-damage", else "damage_visible" 0.93; model "fake-assessor/2".

const crypto = require('crypto');
const http = require('http');

const MAX_BODY_BYTES = 20 * 1024 * 1024;

let port = 0;
for (let i = 2; i < process.argv.length; i++) {
  if (process.argv[i] === '--port') port = Number(process.argv[++i]);
}

let mode = null; // {status, count, delay_ms, answer}
const requests = [];

function send(res, status, body) {
  if (res.writableEnded || res.destroyed) return;
  const payload = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': payload.length });
  res.end(payload);
}

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size <= MAX_BODY_BYTES ? Buffer.concat(chunks) : null));
  });
}

function defaultAnswer(image) {
  if (image.includes(Buffer.from('sandbox:no-damage'))) {
    return { label: 'no_damage_visible', confidence: 0.91, model_version: 'fake-assessor/2' };
  }
  return { label: 'damage_visible', confidence: 0.93, model_version: 'fake-assessor/2' };
}

async function assess(req, res) {
  const raw = await readBody(req);
  if (raw === null) return send(res, 413, { error: 'too large' });
  let body;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch (_) {
    return send(res, 400, { error: 'not JSON' });
  }
  const image = Buffer.from(String(body.image_base64 || ''), 'base64');
  const digest = crypto.createHash('sha256').update(image).digest('hex');
  const record = {
    idempotency_key: req.headers['idempotency-key'] || '',
    authorization: req.headers.authorization || '',
    content_type: req.headers['content-type'] || '',
    evidence_id: body.evidence_id,
    claim_id: body.claim_id,
    merchant_id: body.merchant_id,
    claim_type: body.claim_type,
    image_content_type: body.content_type,
    size_bytes: body.size_bytes,
    image_ok: image.length > 0 && image.length === body.size_bytes && digest === body.sha256,
  };
  requests.push(record);
  let status = 200;
  let answer = defaultAnswer(image);
  let delay = 0;
  if (mode !== null) {
    status = mode.status;
    delay = mode.delay_ms || 0;
    if (mode.answer !== undefined) answer = mode.answer;
    if (mode.count !== undefined && mode.count !== null && --mode.count <= 0) mode = null;
  }
  // An error body echoes the Authorization header, as careless servers do: the service must
  // cut the token out of what it keeps.
  const error = { error: 'refused', authorization: record.authorization };
  setTimeout(() => send(res, status, status >= 200 && status < 300 ? answer : error), delay);
}

const server = http.createServer(async (req, res) => {
  try {
    if (req.method === 'POST' && req.url === '/assess') return await assess(req, res);
    if (req.method === 'POST' && req.url === '/control/mode') {
      const raw = await readBody(req);
      mode = JSON.parse(raw.toString('utf8'));
      if (!Number.isInteger(mode.status)) mode.status = 200;
      return send(res, 200, {});
    }
    if (req.method === 'GET' && req.url === '/control/requests') return send(res, 200, requests);
    return send(res, 404, { error: 'not found' });
  } catch (e) {
    process.stderr.write(`fake_assessor: ${e}\n`);
    return send(res, 500, { error: String(e) });
  }
});
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on('SIGTERM', () => process.exit(0));

#!/usr/bin/env node
// A stand-in for EasyPost's v2 API for the tests (README.md): answers with the responses
// recorded in the HAR files of --fixtures, made stateful (ids, purchase, refund), and fails on
// demand. Node 20, no npm packages.
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

function parseArgs(argv) {
  const args = { fixtures: '', port: 0 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--fixtures' && i + 1 < argv.length) args.fixtures = argv[++i];
    else if (argv[i] === '--port' && i + 1 < argv.length) args.port = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!args.fixtures) throw new Error('--fixtures DIR is required');
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) {
    throw new Error('--port must be 0..65535');
  }
  return args;
}

// The HAR files are named "<test-name>_<hash>.har" in "<Service>_<hash>/" folders; the hashes are
// the recorder's, so they are found by name.
function findHar(root, service, test) {
  for (const dir of fs.readdirSync(root)) {
    if (!dir.startsWith(`${service}_`)) continue;
    for (const file of fs.readdirSync(path.join(root, dir))) {
      if (file.startsWith(`${test}_`) && file.endsWith('.har')) return path.join(root, dir, file);
    }
  }
  throw new Error(`no HAR for ${service}/${test} under ${root}`);
}

// A response body: the recorder marks every body base64 but most are stored as plain text.
function bodyOf(content) {
  const text = content.text || '';
  try {
    return JSON.parse(text);
  } catch (plainError) {
    if (content.encoding !== 'base64') throw plainError;
    return JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
  }
}

// The first recorded response to `method` on a URL matching `urlPattern`.
function recorded(root, service, test, method, urlPattern) {
  const har = JSON.parse(fs.readFileSync(findHar(root, service, test), 'utf8'));
  for (const entry of har.log.entries) {
    if (entry.request.method === method && urlPattern.test(entry.request.url)) {
      return { status: entry.response.status, body: bodyOf(entry.response.content) };
    }
  }
  throw new Error(`no ${method} ${urlPattern} in ${service}/${test}`);
}

function loadTemplates(root) {
  const shipment = 'Shipment-Service';
  return {
    create: recorded(root, shipment, 'creates-a-shipment', 'POST', /\/v2\/shipments$/),
    buy: recorded(root, shipment, 'buys-a-shipment', 'POST', /\/v2\/shipments\/[^/]+\/buy$/),
    convert: recorded(root, shipment, 'converts-the-label-format-of-a-shipment', 'GET',
                      /\/v2\/shipments\/[^/]+\/label\?/),
    refund: recorded(root, shipment, 'refunds-a-shipment', 'POST', /\/v2\/shipments\/[^/]+\/refund$/),
    tracker: recorded(root, 'Tracker-Service', 'creates-a-tracker', 'POST', /\/v2\/trackers$/),
    // EasyPost's two error shapes: field errors, and plain strings.
    missingParameter: recorded(root, 'Error-Service', 'pulls-out-error-properties-of-an-API-error',
                               'POST', /\/v2\/shipments$/),
    notFound: recorded(root, 'Error-Service',
                       'pulls-out-error-properties-of-an-API-error-when-using-the-alternative-format',
                       'POST', /\/v2\/claims$/),
  };
}

const clone = (value) => JSON.parse(JSON.stringify(value));
const hex = (bytes) => crypto.randomBytes(bytes).toString('hex');
const newId = (prefix) => `${prefix}_${hex(16)}`;
const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

// Errors not in the recordings, in EasyPost's shape.
function apiError(code, message, errors = []) {
  return { error: { code, message, errors } };
}

const LABEL_TYPES = {
  PNG: { ext: 'png', type: 'image/png' },
  PDF: { ext: 'pdf', type: 'application/pdf' },
  ZPL: { ext: 'zpl', type: 'application/zpl' },
};

function labelBytes(format, trackingCode) {
  if (format === 'PDF') {
    return Buffer.from(`%PDF-1.4\n% fake EasyPost label ${trackingCode}\n%%EOF\n`);
  }
  if (format === 'ZPL') {
    return Buffer.from(`^XA\n^FO50,50^FDFAKE EASYPOST LABEL ${trackingCode}^FS\n^XZ\n`);
  }
  // The PNG signature and a little more: enough for a test to tell the bytes arrived.
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from(`fake ${trackingCode}`)]);
}

class FakeEasyPost {
  constructor(templates) {
    this.templates = templates;
    this.shipments = new Map();
    this.labels = new Map();  // file name -> {type, bytes}
    this.requests = [];
    this.mode = null;  // {status, count, retry_after, delay_ms}
    this.origin = '';
  }

  // The mode for this API call, counting it down.
  takeMode(pathname) {
    const mode = this.mode;
    if (mode === null) return null;
    if (mode.match !== undefined && !pathname.includes(mode.match)) return null;
    if (mode.count !== undefined) {
      mode.count -= 1;
      if (mode.count <= 0) this.mode = null;
    }
    return mode;
  }

  failure(status, retryAfter) {
    const headers = {};
    let body;
    if (status === 401) {
      body = apiError('APIKEY.INACTIVE', 'This api key is no longer active. Please use a different api key or reactivate this key.');
    } else if (status === 422) {
      body = this.templates.missingParameter.body;
    } else if (status === 404) {
      body = this.templates.notFound.body;
    } else if (status === 429) {
      body = apiError('RATE_LIMITED', 'You have exceeded the rate limit. Please try again later.');
      if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
    } else {
      body = apiError('INTERNAL_SERVER_ERROR', 'We are unable to process your request at this time.');
    }
    return { status, body, headers };
  }

  // Basic auth with a non-empty user (the API key) and an empty password, as EasyPost wants it.
  static authorized(header) {
    const match = /^Basic\s+(\S+)$/i.exec(header || '');
    if (!match) return false;
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon > 0;
  }

  api(method, url, json) {
    const parts = url.pathname.split('/').filter(Boolean);  // ["v2", "shipments", id, action]
    const notFound = () => ({ status: 404, body: this.templates.notFound.body });
    if (parts[1] === 'shipments') {
      if (parts.length === 2 && method === 'POST') return this.createShipment(json);
      const shipment = this.shipments.get(parts[2]);
      if (shipment === undefined) return notFound();
      if (parts.length === 3 && method === 'GET') return { status: 200, body: shipment };
      if (parts.length === 4 && parts[3] === 'buy' && method === 'POST') {
        return this.buy(shipment, json);
      }
      if (parts.length === 4 && parts[3] === 'label' && method === 'GET') {
        return this.convert(shipment, url.searchParams.get('file_format') || '');
      }
      if (parts.length === 4 && parts[3] === 'refund' && method === 'POST') {
        return this.refund(shipment);
      }
      return notFound();
    }
    if (parts.length === 2 && parts[1] === 'trackers' && method === 'POST') {
      return this.createTracker(json);
    }
    return notFound();
  }

  createShipment(json) {
    const request = json && typeof json.shipment === 'object' ? json.shipment : null;
    if (request === null) return { status: 422, body: this.templates.missingParameter.body };
    const template = this.templates.create.body;
    const shipment = clone(template);
    const id = newId('shp');
    const address = (given, base) => ({ ...clone(base), ...given, id: newId('adr'), object: 'Address' });
    let to = address(request.to_address || {}, template.to_address);
    let from = address(request.from_address || {}, template.from_address);
    // EasyPost's documented return behaviour: the addresses of a return are swapped.
    if (request.is_return === true) [to, from] = [from, to];
    Object.assign(shipment, {
      id,
      created_at: now(),
      updated_at: now(),
      is_return: request.is_return === true,
      reference: request.reference ?? null,
      options: { ...clone(template.options), ...(request.options || {}) },
      to_address: to,
      from_address: from,
      return_address: clone(from),
      buyer_address: clone(to),
      parcel: { ...clone(template.parcel), ...(request.parcel || {}), id: newId('prcl') },
      customs_info: request.customs_info ? template.customs_info : null,
      rates: template.rates.map((rate) => ({ ...clone(rate), id: newId('rate'), shipment_id: id })),
      postage_label: null,
      selected_rate: null,
      tracking_code: null,
      tracker: null,
      refund_status: null,
    });
    this.shipments.set(id, shipment);
    return { status: this.templates.create.status, body: shipment };
  }

  labelUrl(shipment, format) {
    const kind = LABEL_TYPES[format];
    const name = `${shipment.postage_label.id}.${kind.ext}`;
    this.labels.set(name, { type: kind.type, bytes: labelBytes(format, shipment.tracking_code) });
    return `${this.origin}/labels/${name}`;
  }

  buy(shipment, json) {
    if (shipment.postage_label) {
      return { status: 422, body: apiError('SHIPMENT.POSTAGE.EXISTS', 'Postage already exists for this shipment.') };
    }
    const rateId = json && json.rate && json.rate.id;
    const rate = shipment.rates.find((r) => r.id === rateId);
    if (rate === undefined) {
      return { status: 422, body: apiError('SHIPMENT.RATE.INVALID', 'The rate is not a rate of this shipment.') };
    }
    const template = this.templates.buy.body;
    const format = String(shipment.options.label_format || 'PNG').toUpperCase();
    if (!LABEL_TYPES[format]) {
      return { status: 422, body: apiError('SHIPMENT.POSTAGE.FAILURE', `Unsupported label format ${format}.`) };
    }
    shipment.tracking_code = `9400${String(crypto.randomInt(1e9)).padStart(9, '0')}${String(crypto.randomInt(1e9)).padStart(9, '0')}`;
    shipment.selected_rate = clone(rate);
    shipment.postage_label = {
      ...clone(template.postage_label),
      id: newId('pl'),
      created_at: now(),
      updated_at: now(),
      label_date: now(),
      label_file_type: LABEL_TYPES[format].type,
      label_pdf_url: null,
      label_zpl_url: null,
    };
    // The recorded URL points at EasyPost's file host; the label is served here instead.
    shipment.postage_label.label_url = this.labelUrl(shipment, format);
    if (format === 'PDF') shipment.postage_label.label_pdf_url = shipment.postage_label.label_url;
    if (format === 'ZPL') shipment.postage_label.label_zpl_url = shipment.postage_label.label_url;
    shipment.tracker = {
      ...clone(template.tracker),
      id: newId('trk'),
      tracking_code: shipment.tracking_code,
      shipment_id: shipment.id,
      carrier: rate.carrier,
    };
    shipment.updated_at = now();
    return { status: this.templates.buy.status, body: shipment };
  }

  convert(shipment, fileFormat) {
    const format = fileFormat.toUpperCase();
    if (!shipment.postage_label || (format !== 'PDF' && format !== 'ZPL')) {
      return { status: 422, body: apiError('SHIPMENT.POSTAGE.FAILURE', 'The label cannot be converted.') };
    }
    shipment.postage_label[`label_${format.toLowerCase()}_url`] = this.labelUrl(shipment, format);
    return { status: this.templates.convert.status, body: shipment };
  }

  refund(shipment) {
    if (!shipment.postage_label) {
      return { status: 422, body: apiError('SHIPMENT.REFUND.UNAVAILABLE', 'This shipment has no postage to refund.') };
    }
    if (shipment.refund_status !== null) {
      return { status: 422, body: apiError('SHIPMENT.REFUND.ALREADY_REQUESTED', 'A refund was already requested for this shipment.') };
    }
    shipment.refund_status = this.templates.refund.body.refund_status;  // "submitted"
    shipment.updated_at = now();
    return { status: this.templates.refund.status, body: shipment };
  }

  createTracker(json) {
    const request = json && typeof json.tracker === 'object' ? json.tracker : null;
    if (request === null || typeof request.tracking_code !== 'string' || !request.tracking_code) {
      return { status: 422, body: apiError('PARAMETER.REQUIRED', 'Missing required parameter.', [{ field: 'tracking_code', message: 'cannot be blank' }]) };
    }
    const tracker = clone(this.templates.tracker.body);
    Object.assign(tracker, {
      id: newId('trk'),
      tracking_code: request.tracking_code,
      carrier: request.carrier || tracker.carrier,
      created_at: now(),
      updated_at: now(),
    });
    return { status: this.templates.tracker.status, body: tracker };
  }

  control(method, url, json) {
    if (url.pathname === '/control/requests' && method === 'GET') {
      return { status: 200, body: this.requests };
    }
    if (url.pathname === '/control/requests' && method === 'DELETE') {
      this.requests = [];
      return { status: 200, body: {} };
    }
    if (url.pathname === '/control/mode' && method === 'POST') {
      const mode = json;
      if (mode === null || typeof mode !== 'object' || Array.isArray(mode)) {
        return { status: 400, body: { error: 'the mode must be a JSON object' } };
      }
      const intIn = (value, low, high) => value === undefined || (Number.isInteger(value) && value >= low && value <= high);
      if (!intIn(mode.status, 100, 599) || !intIn(mode.count, 1, 1e6) ||
          !intIn(mode.retry_after, 0, 86400) || !intIn(mode.delay_ms, 0, 600000) ||
          (mode.match !== undefined && typeof mode.match !== 'string')) {
        return { status: 400, body: { error: 'status 100..599, count >= 1, retry_after and delay_ms >= 0, match a string' } };
      }
      this.mode = Object.keys(mode).length === 0 ? null : { ...mode };
      return { status: 200, body: {} };
    }
    return { status: 404, body: { error: 'no such control' } };
  }
}

function send(res, answer) {
  if (res.destroyed) return;  // the client gave up (a delay past its timeout)
  const text = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...(answer.headers || {}),
  });
  res.end(text);
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const fake = new FakeEasyPost(loadTemplates(args.fixtures));
  const server = http.createServer((req, res) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= 1 << 20) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > 1 << 20) return send(res, { status: 413, body: { error: 'body over 1 MiB' } });
      const url = new URL(req.url, fake.origin);
      const text = Buffer.concat(chunks).toString('utf8');
      let json = null;
      if (text !== '') {
        try {
          json = JSON.parse(text);
        } catch {
          if (url.pathname.startsWith('/control/')) {
            return send(res, { status: 400, body: { error: 'the body is not JSON' } });
          }
        }
      }
      if (url.pathname.startsWith('/control/')) return send(res, fake.control(req.method, url, json));
      fake.requests.push({
        method: req.method,
        path: req.url,
        authorization: req.headers.authorization !== undefined,
        body: json ?? text,
        at: new Date().toISOString(),
      });
      if (url.pathname.startsWith('/labels/') && req.method === 'GET') {
        const label = fake.labels.get(url.pathname.slice('/labels/'.length));
        if (label === undefined) return send(res, { status: 404, body: { error: 'no such label' } });
        res.writeHead(200, { 'content-type': label.type, 'content-length': label.bytes.length });
        return res.end(label.bytes);
      }
      if (!url.pathname.startsWith('/v2/')) return send(res, { status: 404, body: fake.templates.notFound.body });
      const mode = fake.takeMode(url.pathname);
      let answer;
      if (mode !== null && mode.status !== undefined) {
        answer = fake.failure(mode.status, mode.retry_after);
      } else if (!FakeEasyPost.authorized(req.headers.authorization)) {
        answer = { status: 401, body: apiError('APIKEY.REQUIRED', 'API key required.') };
      } else {
        answer = fake.api(req.method, url, json);
      }
      // The work is done at once and only the answer waits: a client that times out has lost
      // the answer of a call that happened, as with a real network.
      const delay = mode !== null && mode.delay_ms ? mode.delay_ms : 0;
      const body = JSON.parse(JSON.stringify(answer.body));  // as it was when answered
      if (delay > 0) setTimeout(() => send(res, { ...answer, body }), delay);
      else send(res, answer);
    });
    req.on('error', () => {});
    res.on('error', () => {});
  });
  server.listen(args.port, '127.0.0.1', () => {
    const { port } = server.address();
    fake.origin = `http://127.0.0.1:${port}`;
    process.stdout.write(`listening ${port}\n`);
  });
  process.on('SIGTERM', () => process.exit(0));
}

try {
  main();
} catch (error) {
  process.stderr.write(`fake_easypost: ${error.message}\n`);
  process.exit(1);
}

// A storefront backend talking to the returns service with @grpc/grpc-js, loading the contract
// from proto/ at run time with @grpc/proto-loader. The journey: stock the catalogue, sync a
// delivered order, check what may be returned (with the recommended replacement size), open an
// exchange, issue and redeem an instant-exchange token, and follow the order's timeline until the
// replacement is on its way.
//
//   RETURNS_ADDR=127.0.0.1:50051 RETURNS_API_KEY=rk_... node storefront.js
//
// Every mutation has a request_id chosen once per logical operation and reused on every retry,
// so a retry after UNAVAILABLE or DEADLINE_EXCEEDED never acts twice.
'use strict';

const path = require('path');
const crypto = require('crypto');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const address = process.env.RETURNS_ADDR || '127.0.0.1:50051';
const apiKey = process.env.RETURNS_API_KEY;
if (!apiKey) {
  console.error('set RETURNS_API_KEY to a STOREFRONT or ADMIN key');
  process.exit(2);
}

const protoRoot = path.resolve(__dirname, '../../../proto');
const definition = protoLoader.loadSync(
  ['order_service', 'return_service', 'exchange_service', 'inventory_service', 'timeline_service']
    .map((name) => `returns/v1/${name}.proto`),
  { includeDirs: [protoRoot], keepCase: true, longs: String, enums: String, defaults: false });
const v1 = grpc.loadPackageDefinition(definition).returns.v1;
// TLS when RETURNS_TLS_CA names the server's CA. Without it the API key would travel readable:
// allowed to this machine only, or anywhere with RETURNS_ALLOW_INSECURE_PLAINTEXT=1 (the server
// and the C++ client library refuse the same way).
function isLoopback(addr) {
  if (addr.startsWith('unix:')) return true;
  const target = addr.replace(/^(dns:\/\/\/|ipv4:|ipv6:)/, '');
  if (target.includes(',')) return false;  // a list: any address of it may be elsewhere
  const host = target.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost') return true;
  if (require('net').isIPv4(host)) return host.split('.')[0] === '127';
  return require('net').isIPv6(host) && host === '::1';
}
function channelCredentials() {
  if (process.env.RETURNS_TLS_CA) {
    return grpc.credentials.createSsl(require('fs').readFileSync(process.env.RETURNS_TLS_CA));
  }
  if (!isLoopback(address) && process.env.RETURNS_ALLOW_INSECURE_PLAINTEXT !== '1') {
    console.error(`refusing to send the API key in plaintext to ${address}: set RETURNS_TLS_CA ` +
                  'to the server\'s CA, or RETURNS_ALLOW_INSECURE_PLAINTEXT=1');
    process.exit(2);
  }
  return grpc.credentials.createInsecure();
}
const credentials = channelCredentials();
const clients = {
  orders: new v1.OrderService(address, credentials),
  returns: new v1.ReturnService(address, credentials),
  exchanges: new v1.ExchangeService(address, credentials),
  inventory: new v1.InventoryService(address, credentials),
  timeline: new v1.TimelineService(address, credentials),
};

function metadata() {
  const m = new grpc.Metadata();
  m.set('authorization', `Bearer ${apiKey}`);
  return m;
}

const RETRYABLE = new Set([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED, grpc.status.ABORTED,
                           grpc.status.RESOURCE_EXHAUSTED]);

// One unary call with a deadline; retried with jittered backoff on the retryable codes only,
// with the same request (and so the same request_id).
async function call(client, method, request, attempts = 4) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await new Promise((resolve, reject) => {
        client[method](request, metadata(), { deadline: Date.now() + 10000 },
                       (error, response) => (error ? reject(error) : resolve(response)));
      });
    } catch (error) {
      if (!RETRYABLE.has(error.code) || attempt >= attempts) {
        error.message = `${method}: ${error.message}`;
        throw error;
      }
      const delay = Math.min(2000, 100 * 2 ** attempt) * (0.5 + Math.random() / 2);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

function money(minor) {
  return { currency_code: 'EUR', amount_minor: String(minor) };
}

async function main() {
  const orderId = `node-${Date.now()}`;
  const delivered = new Date(Date.now() - 3 * 86400 * 1000);

  await call(clients.inventory, 'SetInventoryLevels', {
    request_id: crypto.randomUUID(),
    levels: ['S', 'M', 'L'].map((size) => ({
      sku: `TEE-BLUE-${size}`, on_hand: 10, unit_price: money(2500), product_id: 'TEE-BLUE', size })),
  });

  const order = await call(clients.orders, 'UpsertOrder', {
    request_id: crypto.randomUUID(),
    order: {
      order_id: orderId, customer_id: `cust-${orderId}`, customer_email: 'ada@example.com', currency_code: 'EUR',
      order_time: { seconds: String(Math.floor(delivered / 1000) - 5 * 86400) },
      delivered_time: { seconds: String(Math.floor(delivered / 1000)) },
      shipping_address: { name: 'Ada', line1: '1 Main St', city: 'Berlin', postal_code: '10115', country_code: 'DE' },
      lines: [{ line_id: 'L1', sku: 'TEE-BLUE-S', product_id: 'TEE-BLUE', title: 'Blue tee',
                variant_attributes: { size: 'S' }, quantity: 1, unit_price: money(2500) }],
    },
  });
  console.log(`synced order ${order.order_id} (${order.lines.length} line)`);

  const eligibility = await call(clients.returns, 'CheckEligibility',
                                 { order_id: orderId, reason: 'RETURN_REASON_TOO_SMALL' });
  const line = eligibility.lines[0];
  if (!line.eligible) throw new Error(`line L1 is not eligible: ${line.reasons.join('; ')}`);
  const recommended = line.recommendations[0];
  console.log(`eligible: ${line.returnable_quantity} unit(s); recommended replacement ` +
              `${recommended.sku} (${recommended.confidence_milli / 10}%: ${recommended.explanation})`);

  const ret = await call(clients.returns, 'CreateReturn', {
    request_id: crypto.randomUUID(), order_id: orderId,
    lines: [{ order_line_id: 'L1', quantity: 1, reason: 'RETURN_REASON_TOO_SMALL',
              resolution: 'RESOLUTION_EXCHANGE', replacement_sku: recommended.sku }],
  });
  console.log(`return ${ret.return_id}: ${ret.state}`);

  const issued = await call(clients.exchanges, 'IssueExchangeToken',
                            { request_id: crypto.randomUUID(), return_id: ret.return_id, order_line_id: 'L1' });
  console.log(`token ${issued.exchange_token.exchange_token_id}: ${issued.exchange_token.state}`);
  const redeemRequest = { request_id: crypto.randomUUID(), token: issued.token };
  const redeemed = await call(clients.exchanges, 'RedeemExchangeToken', redeemRequest);
  const again = await call(clients.exchanges, 'RedeemExchangeToken', redeemRequest);  // a retry: same answer
  if (again.exchange_token_id !== redeemed.exchange_token_id || again.state !== redeemed.state) {
    throw new Error('a retried redemption answered differently');
  }
  console.log(`redeemed: ${redeemed.state}; the replacement ships before the original is back`);

  // Follow the timeline live until the redemption is on it.
  const events = await new Promise((resolve, reject) => {
    const seen = [];
    const stream = clients.timeline.WatchTimeline({ order_id: orderId }, metadata(),
                                                  { deadline: Date.now() + 15000 });
    stream.on('data', (event) => {
      seen.push(event.event_type);
      if (event.event_type === 'exchange_token.redeemed') {
        stream.cancel();
        resolve(seen);
      }
    });
    stream.on('error', (error) => {
      if (error.code === grpc.status.CANCELLED) return;
      reject(new Error(`WatchTimeline: ${error.message} (seen: ${seen.join(', ')})`));
    });
  });
  console.log(`timeline: ${events.join(' -> ')}`);
  console.log('storefront journey complete');
}

main().then(() => process.exit(0), (error) => {
  console.error(`storefront: ${error.message}`);
  process.exit(1);
});

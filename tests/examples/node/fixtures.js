// What the lessons' Express examples use without defining: "your data layer" and friends.
//
// Lessons write `await db.users.insert(...)` or `createOrder(req.body)` and leave the storage
// to the reader. Here those names get small in-memory stand-ins, seeded with the rows the
// lesson's exchanges talk about (SEEDS, by the example's `seed=` or its lesson's slug).
'use strict';

// Rows each lesson's exchanges assume. Ids count up from the highest seeded one.
const SEEDS = {
  success: {
    users: [{ id: 17, email: 'ada@example.com', name: 'Ada' }],
    jobIds: ['5c1a'], // the id the lesson's 202 shows
  },
  'caching-and-conditional-requests': {
    articles: [{
      id: 7, title: 'Status codes', body: '...', version: 42,
      updatedAt: new Date('2025-03-04T09:30:00Z'),
    }],
  },
  'redirects-and-methods': {
    orders: [{ id: 8811, sku: 'A-99', qty: 1 }],
  },
  'server-errors': { down: ['orders'] }, // the orders database has crashed
  'handling-statuses-in-fetch': {
    users: [{ id: 7, name: 'Ada', email: 'ada@example.com' }],
  },
  'success-codes-for-apis': {
    users: [{ id: 123, email: 'ana@example.com', name: 'Ana' }],
    jobs: [{ id: 76, name: 'export', status: 'done', result_url: '/api/exports/sales-2023.csv' }],
  },
  'apis-before-ana': { users: [{ id: 122, email: 'bo@example.com', name: 'Bo' }] },
  'apis-export-done': {
    jobs: [{ id: 77, name: 'export', status: 'done', result_url: '/api/exports/sales-2024.csv' }],
  },
  'orders-overloaded': { upstream: 'overloaded' },
  'orders-down': { upstream: 'down' },
  'orders-slow': { upstream: 'slow' },
  'status-codes-in-real-apis': {
    users: [{ id: 57, name: 'Linus', email: 'linus@example.com' }],
  },
  'events-down': { eventsDown: true }, // the event store is unreachable
  redirection: {
    orders: [{ id: 8811, sku: 'A-99', qty: 1 }],
    catalog: [{ id: 'current', version: 42, items: [] }],
  },
};

class Collection {
  constructor(rows = []) {
    this.rows = new Map(rows.map((row) => [String(row.id), { ...row }]));
  }

  nextId() {
    return Math.max(0, ...[...this.rows.keys()].map(Number).filter(Number.isFinite)) + 1;
  }

  async insert(data) {
    const row = { id: this.nextId(), ...data };
    this.rows.set(String(row.id), row);
    return { ...row };
  }

  async create(data) {
    return this.insert(data);
  }

  async get(id) {
    const row = this.rows.get(String(id));
    return row ? { ...row } : null;
  }

  async findById(id) {
    return this.get(id);
  }

  async update(id, changes) {
    const row = this.rows.get(String(id));
    if (!row) return null;
    Object.assign(row, changes, { id: row.id });
    if ('version' in row) row.version += 1;
    return { ...row };
  }

  async remove(id) {
    return this.rows.delete(String(id));
  }

  async delete(id) {
    return this.remove(id);
  }
}

// A collection whose database is down: every call fails as a lost connection would.
class Unreachable {
  constructor(name) {
    return new Proxy({}, {
      get: () => async () => {
        throw new Error(`connect ECONNREFUSED 10.0.0.5:5432 (reading ${name})`);
      },
    });
  }
}

function database(seed = {}) {
  const collections = {};
  const down = new Set(seed.down || []);
  return new Proxy(collections, {
    get(target, name) {
      if (typeof name !== 'string') return undefined;
      if (!target[name]) {
        target[name] = down.has(name) ? new Unreachable(name) : new Collection(seed[name] || []);
      }
      return target[name];
    },
  });
}

// Secrets the examples read from the environment, as a deployment would set them.
process.env.JWT_SECRET ??= 'example-secret-for-tests';
process.env.STRIPE_SECRET_KEY ??= 'sk_test_lesson_examples';
process.env.STRIPE_WEBHOOK_SECRET ??= 'whsec_lesson_examples'; // tests/examples/runners.py signs with it
process.env.BILLING_HOOK_PASSWORD ??= 'billing-hook-password';

// The API tokens the lessons' exchanges send (the lab uses the same names).
const TOKENS = {
  'viewer-token': { user: { id: 7, roles: ['viewer'] } },
  'admin-token': { user: { id: 1, roles: ['admin'] } },
};

// An upstream service for gateway examples, behaving as the seed says; it stands in for
// fetch() so that nothing leaves this machine. 'up' answers 200, 'overloaded' 503 with
// Retry-After, 'down' refuses the connection, 'slow' never answers in time (the fetch fails
// as AbortSignal.timeout() would make it fail).
function upstreamFetch(state) {
  return async (url, options = {}) => {
    if (!String(url).startsWith('http://orders.internal/')) {
      throw new TypeError(`fetch to ${url}: only the stand-in upstream is reachable here`);
    }
    if (state === 'down') throw new TypeError('fetch failed', { cause: new Error('ECONNREFUSED') });
    if (state === 'slow') {
      throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    }
    if (state === 'overloaded') {
      return new Response(JSON.stringify({ error: 'overloaded' }), {
        status: 503, headers: { 'Retry-After': '30', 'Content-Type': 'application/json' },
      });
    }
    return Response.json([{ id: 1, total: '120.00' }]);
  };
}

// Every name an example may use without defining it. Only the ones an example mentions (and
// does not define itself) are handed to it.
function fixtures(example) {
  const seed = SEEDS[example.seed || example.slug] || {};
  const db = database(seed);
  const jobIds = [...(seed.jobIds || [])];
  let jobCount = 0;
  return {
    db,
    fetch: upstreamFetch(seed.upstream || 'up'),
    // a job queue: add() stores a queued job and hands it back, get() finds one
    queue: {
      async add(name, data) {
        jobCount += 1;
        const id = jobIds.shift();
        const job = { name, data, status: 'queued' };
        return id ? { id, ...job } : db.jobs.insert(job);
      },
      async get(id) {
        return db.jobs.get(id);
      },
    },
    // store an order from a posted form; the new order, with its id
    createOrder: async (data) => db.orders.insert({ ...data }),
    // a token check: the session for a known token, null for a missing or invalid one
    verifyToken: (token) => TOKENS[token] || null,
    deleteProject: (req, res) => res.sendStatus(204),
    // middleware: req.user from a Bearer token (a missing or unknown token leaves it unset)
    authenticate: (req, res, next) => {
      const token = (req.get('Authorization') || '').replace(/^Bearer /i, '');
      req.user = TOKENS[token]?.user;
      next();
    },
    // a password check: the user, or null
    checkPassword: async (username, password) =>
      (username === 'ada' && password === 'correct-horse' ? { id: 3, username } : null),
    startSession: (res, user) => res.cookie('session', `session-of-${user.id}`, { httpOnly: true }),
    // your own error class for "no such thing"
    NotFoundError: class NotFoundError extends Error {},
    // your validation: a list of {pointer, detail} problems, empty when the user is fine
    validateUser: (user) => (/^[^@\s]+@[^@\s]+$/.test(user?.email ?? '')
      ? [] : [{ pointer: '#/email', detail: 'must be an email address' }]),
    // the webhook event store: recordOnce() is true for an event id not seen before
    events: {
      seen: new Set(),
      async recordOnce(id) {
        if (seed.eventsDown) throw new Error('connect ECONNREFUSED 10.0.0.5:5432');
        if (this.seen.has(id)) return false;
        this.seen.add(id);
        return true;
      },
    },
    // route handlers the lessons name and leave to the reader
    createUser: async (req, res) => res.status(201).json(await db.users.insert(req.body)),
    startImport: async (req, res) => res.status(202).json({ status: 'queued' }),
    search: (req, res) => res.json({ results: [] }),
    updateInvoice: (req, res) => res.json({ id: Number(req.params.id), ...req.body }),
    // informational: the slow part of building a page
    renderDashboard: async () => '<!doctype html><title>Dashboard</title><h1>Dashboard</h1>',
  };
}

module.exports = { fixtures, SEEDS, database };

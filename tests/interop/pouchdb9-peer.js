#!/usr/bin/env node
// pouchdb9-peer.js: a PouchDB 9 peer (memory adapter) for tests/test-interop.c.
//
// Copyright 2026 The Glossa authors
//
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Reads one JSON command per line on stdin and answers each, in order, with
// one line "@@ <json>" on stdout: {"ok":true,"result":…} or
// {"ok":false,"error":"…","status":N}. Other stdout lines (PouchDB's own
// warnings) are not answers. Commands, all on one local in-memory database:
//
//   {"op":"replicate","from":URL}   one-shot pull (PouchDB.replicate)
//   {"op":"replicate","to":URL}     one-shot push
//   {"op":"live","url":URL}         db.sync(URL, {live, retry}) both ways
//   {"op":"stop"}                   cancels the live sync
//   {"op":"bulk_docs","docs":[…],"new_edits":false}
//   {"op":"put","doc":{…}}
//   {"op":"remove","id":ID}         deletes the winning revision
//   {"op":"fill_atts","n":N,"size":BYTES,"prefix":P}
//                                   N documents P0…, each with a random
//                                   attachment "f" of BYTES bytes
//   {"op":"wait","id":ID,"timeout_ms":N}  until the doc exists; {"ms":…}
//   {"op":"dump"}                   every document (see dump() below)
//
// Plain CommonJS and APIs of Node 18 (Debian 12's nodejs).
'use strict';

const crypto = require('crypto');
const readline = require('readline');
const PouchDB = require('pouchdb-core')
  .plugin(require('pouchdb-adapter-memory'))
  .plugin(require('pouchdb-adapter-http'))
  .plugin(require('pouchdb-replication'));

const db = new PouchDB('local', { adapter: 'memory' });
let live = null;
const liveErrors = [];

// A live sync whose peer goes away (the tests stop Glossa's server on
// purpose) can leave a rejected fetch nobody awaits; under load Node then
// ends the process. The sync retries by itself (the tests check it catches
// up), so say it on stderr and go on.
process.on('unhandledRejection', (err) => {
  process.stderr.write('pouchdb9-peer: unhandled rejection: ' + String(err) + '\n');
});

function answer (obj) {
  process.stdout.write('@@ ' + JSON.stringify(obj) + '\n');
}

function summary (result) {
  return {
    status: result.status,
    docs_read: result.docs_read,
    docs_written: result.docs_written,
    doc_write_failures: result.doc_write_failures,
    errors: (result.errors || []).map(String),
  };
}

// The same shape test-interop.c builds from a server over HTTP:
// {id: {"winner", "deleted", "conflicts":[…], "leaves":[open_revs=all,
// revs, attachments inline, sorted by rev]}}.
async function dump () {
  const out = {};
  const changes = await db.changes({ since: 0 });
  for (const row of changes.results) {
    const leaves = await db.get(row.id, { open_revs: 'all', revs: true, attachments: true });
    leaves.sort((a, b) => {
      const ra = a.ok ? a.ok._rev : a.missing;
      const rb = b.ok ? b.ok._rev : b.missing;
      return ra < rb ? -1 : ra > rb ? 1 : 0;
    });
    let conflicts = [];
    if (!row.deleted) {
      const doc = await db.get(row.id, { conflicts: true });
      conflicts = (doc._conflicts || []).slice().sort();
    }
    out[row.id] = {
      winner: row.changes[0].rev,
      deleted: !!row.deleted,
      conflicts: conflicts,
      leaves: leaves,
    };
  }
  return out;
}

function sleep (ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor (id, timeoutMs) {
  const start = Date.now();
  for (;;) {
    try {
      await db.get(id);
      return { ms: Date.now() - start };
    } catch (err) {
      if (err.status !== 404)
        throw err;
    }
    if (Date.now() - start > timeoutMs)
      throw new Error('timed out waiting for ' + id);
    await sleep(10);
  }
}

async function run (cmd) {
  switch (cmd.op) {
    case 'replicate':
      if (cmd.from)
        return summary(await PouchDB.replicate(new PouchDB(cmd.from), db));
      return summary(await PouchDB.replicate(db, new PouchDB(cmd.to)));
    case 'live':
      live = db.sync(new PouchDB(cmd.url), { live: true, retry: true });
      live.on('error', (err) => liveErrors.push(String(err)));
      live.on('denied', (err) => liveErrors.push('denied: ' + String(err)));
      return {};
    case 'stop':
      if (live) {
        live.cancel();
        live = null;
      }
      return { errors: liveErrors };
    case 'bulk_docs':
      return await db.bulkDocs(cmd.docs, { new_edits: cmd.new_edits !== false });
    case 'put':
      return await db.put(cmd.doc);
    case 'remove':
      return await db.remove(await db.get(cmd.id));
    case 'fill_atts': {
      const docs = [];
      for (let i = 0; i < cmd.n; i++) {
        docs.push({
          _id: cmd.prefix + i,
          _attachments: {
            f: {
              content_type: 'application/octet-stream',
              data: crypto.randomBytes(cmd.size).toString('base64'),
            },
          },
        });
      }
      await db.bulkDocs(docs);
      return { n: docs.length };
    }
    case 'wait':
      return await waitFor(cmd.id, cmd.timeout_ms || 5000);
    case 'dump':
      return await dump();
    default:
      throw new Error('unknown op ' + cmd.op);
  }
}

// Commands run one after another, in the order they came.
let queue = Promise.resolve();
const lines = readline.createInterface({ input: process.stdin, terminal: false });

lines.on('line', (line) => {
  if (line.trim() === '')
    return;
  queue = queue.then(async () => {
    try {
      answer({ ok: true, result: await run(JSON.parse(line)) });
    } catch (err) {
      answer({ ok: false, error: String(err && (err.reason || err.message) || err), status: err && err.status });
    }
  });
});
lines.on('close', () => {
  queue.then(() => {
    if (live)
      live.cancel();
    process.exit(0);
  });
});

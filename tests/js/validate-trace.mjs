#!/usr/bin/env node
// Validates epollscope's Chrome Trace Event exports two ways: Chrome DevTools' trace engine
// (third party) must read each file without error and find the expected processes, named
// threads, slices and async pairs; and the structure Perfetto's importer needs is checked by
// hand (perfetto-structure.mjs). Exits 0 when every file passes, 1 otherwise.
//
//   node validate-trace.mjs KIND[:N]=FILE ...
//
// KIND says what the run that produced FILE must show (see EXPECTATIONS); N is a count for it
// (connections made by a live run). Before the files, the checker proves on hand-made broken
// traces that it rejects each defect it looks for, so a pass means something.
import fs from 'node:fs';

import { readWithDevTools } from './devtools-check.mjs';
import { checkStructure } from './perfetto-structure.mjs';

// "fd 7 ← :43210" (a built-in client's) or "fd 7 ← external :43210" (nc, a script): LaneTracker's
const CONNECTION_LANE = /^fd \d+ \u2190 (external )?:\d+$/;

// What each kind of run must show, as read by DevTools (processes, threads, async pairs) and in
// the raw events (calls, counters, diagnoses).
const EXPECTATIONS = {
  // epollscope --headless --duration S while N external clients connect, send and close.
  live: (n) => ({
    processes: ['epollscope engine'],
    threads: [[/^epoll_wait$/, 1], [/^listener fd \d+$/, 1], [CONNECTION_LANE, n]],
    asyncPairs: n,
    calls: [['accept4', (e) => e.args.ret >= 0, n], ['read', (e) => e.args.ret > 0, n],
            ['close', () => true, 1],
            // a wait that blocked for at least 1 ms shows its blocked duration
            ['epoll_wait', (e) => e.dur >= 1000 && e.args.ret >= 1, 1]],
    counters: [[/^backlog fd \d+$/, ['accept_queue', 'limit']]],
  }),
  // epollscope --lesson FILE --check --trace-out: built-in client lanes and diagnoses too.
  lesson: () => ({
    processes: ['epollscope engine', 'clients'],
    threads: [[/^epoll_wait/, 1], [/^client \d+$/, 1], [CONNECTION_LANE, 1]],
    asyncPairs: 1,
    calls: [['accept4', (e) => e.args.ret >= 0, 1], ['epoll_wait', () => true, 1]],
    counters: [[/^queues fd \d+$/, ['recvq', 'sendq']]],
    instants: [['connect', 'client', 1]],
  }),
  // Lesson 02: the lost wakeup is diagnosed as stranded bytes.
  stranded: () => ({
    ...EXPECTATIONS.lesson(),
    instants: [['connect', 'client', 1], ['stranded', 'diagnosis', 1], ['ready', 'epoll', 1]],
  }),
  // Lesson 15 (thundering herd): several engine threads, each its own epoll_wait lane.
  // (Its samples depend on timing, so no counter is required of it.)
  workers: () => ({
    ...EXPECTATIONS.lesson(),
    threads: [[/^epoll_wait/, 2], [/^client \d+$/, 1]],
    counters: [],
  }),
  // epollscope --headless --open LOG (strace -f -ttt -T -yy) --trace-out.
  strace: () => ({
    processes: ['epollscope engine'],
    threads: [[/^epoll_wait/, 1]],
    asyncPairs: 1,
    calls: [['epoll_wait', () => true, 1], ['accept4', (e) => e.args.ret >= 0, 1]],
    metadataSource: /^strace log /,
  }),
  // strace of a server whose ET reads leave bytes behind: inferred stranded diagnosis.
  'strace-stranded': () => ({
    ...EXPECTATIONS.strace(),
    instants: [['stranded', 'diagnosis,inferred', 1]],
  }),
};

function countMatching(values, regex) {
  return [...values].filter((v) => typeof v === 'string' && regex.test(v)).length;
}

// Problems with what the run shows, given what DevTools read and the raw document.
function checkExpectations(expect, doc, devtools) {
  const problems = [];
  const events = doc.traceEvents;
  for (const name of expect.processes ?? []) {
    if (![...devtools.processes.values()].includes(name)) {
      problems.push(`DevTools found no process named "${name}"`);
    }
  }
  for (const [regex, min] of expect.threads ?? []) {
    const found = countMatching(devtools.threads.values(), regex);
    if (found < min) problems.push(`DevTools found ${found} threads named ${regex}, want >= ${min}`);
  }
  if ((expect.asyncPairs ?? 0) > devtools.asyncPairs) {
    problems.push(`${devtools.asyncPairs} connection lifetimes, want >= ${expect.asyncPairs}`);
  }
  for (const [name, test, min] of expect.calls ?? []) {
    const found = events.filter((e) => e.ph === 'X' && e.cat === 'syscall' && e.name === name &&
                                       test(e)).length;
    if (found < min) problems.push(`${found} matching ${name} slices, want >= ${min}`);
  }
  for (const [regex, keys] of expect.counters ?? []) {
    const counters = events.filter((e) => e.ph === 'C' && regex.test(e.name));
    if (counters.length === 0) problems.push(`no counter named ${regex}`);
    for (const key of keys) {
      if (!counters.some((e) => typeof e.args[key] === 'number')) {
        problems.push(`no counter ${regex} with a numeric ${key}`);
      }
    }
  }
  for (const [name, cat, min] of expect.instants ?? []) {
    const found = events.filter((e) => e.ph === 'i' && e.name === name && e.cat === cat).length;
    if (found < min) problems.push(`${found} instants ${name} (cat ${cat}), want >= ${min}`);
  }
  if (expect.metadataSource && !expect.metadataSource.test(doc.metadata?.source ?? '')) {
    problems.push(`metadata.source ${JSON.stringify(doc.metadata?.source)} is not ${expect.metadataSource}`);
  }
  return problems;
}

// Calls keep the contract's args (DESIGN "Headless CLI"): fd and ret numbers, errno a name and
// only on failure.
function checkCallArgs(doc) {
  const problems = [];
  for (const e of doc.traceEvents) {
    if (e.ph !== 'X' || e.cat !== 'syscall') continue;
    const args = e.args ?? {};
    if (!Number.isInteger(args.fd) || !Number.isInteger(args.ret)) {
      problems.push(`${e.name} at ${e.ts} lacks integer fd/ret args`);
    } else if (('errno' in args) !== (args.ret < 0)) {
      problems.push(`${e.name} at ${e.ts}: errno ${args.errno} with ret ${args.ret}`);
    } else if ('errno' in args && !/^E[A-Z0-9]+$/.test(args.errno)) {
      problems.push(`${e.name} at ${e.ts}: errno ${JSON.stringify(args.errno)} is not a name`);
    }
    if (problems.length > 20) break;
  }
  return problems;
}

export async function validateDocument(doc, expect) {
  const structure = checkStructure(doc);
  const problems = Array.isArray(structure) ? structure : [...structure.problems];
  if (Array.isArray(structure)) return { problems };
  problems.push(...checkCallArgs(doc));
  const devtools = await readWithDevTools(structuredClone(doc.traceEvents));
  problems.push(...devtools.problems);
  if (expect && devtools.processes) problems.push(...checkExpectations(expect, doc, devtools));
  return { problems, structure, devtools };
}

// ---- self-test: each defect the checker looks for, planted in an otherwise good trace ----

function goodTrace() {
  return {
    traceEvents: [
      { ph: 'X', name: 'epoll_wait', cat: 'syscall', ts: 0, dur: 10.5, pid: 1, tid: 10,
        args: { fd: 3, ret: 1 } },
      { ph: 'X', name: 'read', cat: 'syscall', ts: 10.5, dur: 1, pid: 1, tid: 10,
        args: { fd: 7, ret: -1, errno: 'EAGAIN' } },
      { ph: 'i', s: 't', name: 'ready', cat: 'epoll', ts: 10.5, pid: 1, tid: 11, args: {} },
      { ph: 'C', name: 'queues fd 7', cat: 'kernel', ts: 3, pid: 1, args: { recvq: 5 } },
      { ph: 'b', name: 'fd 7', cat: 'conn', id: 11, ts: 1, pid: 1 },
      { ph: 'e', name: 'fd 7', cat: 'conn', id: 11, ts: 12, pid: 1 },
      { ph: 'i', s: 't', name: 'connect', cat: 'client', ts: 0.5, pid: 2, tid: 12, args: {} },
      { ph: 'M', name: 'process_name', pid: 1, args: { name: 'epollscope engine' } },
      { ph: 'M', name: 'process_name', pid: 2, args: { name: 'clients' } },
      { ph: 'M', name: 'thread_name', pid: 1, tid: 10, args: { name: 'epoll_wait' } },
      { ph: 'M', name: 'thread_name', pid: 1, tid: 11, args: { name: 'fd 7' } },
      { ph: 'M', name: 'thread_name', pid: 2, tid: 12, args: { name: 'client 1' } },
    ],
  };
}

const PLANTED_DEFECTS = [
  ['a slice partially overlapping another on its track',
   (t) => { t.traceEvents[1].ts = 10.4; }],
  ['an async begin without its end', (t) => { t.traceEvents.splice(5, 1); }],
  ['an async end whose name differs from its begin', (t) => { t.traceEvents[5].name = 'fd 7 ←'; }],
  ['an async end before its begin', (t) => { t.traceEvents[5].ts = 0.5; }],
  ['a track without a thread_name', (t) => { t.traceEvents.splice(10, 1); }],
  ['a counter with a string value', (t) => { t.traceEvents[3].args.recvq = 'five'; }],
  ['a tid that is also a pid', (t) => {
    for (const e of t.traceEvents) if (e.tid === 12) e.tid = 1;
  }],
  ['a tid used in two pids', (t) => {
    for (const e of t.traceEvents) if (e.tid === 12) e.tid = 11;
  }],
  ['a slice without dur', (t) => { delete t.traceEvents[0].dur; }],
  ['a string timestamp', (t) => { t.traceEvents[2].ts = '10.5'; }],
  ['errno on a call that succeeded', (t) => { t.traceEvents[0].args.errno = 'EINTR'; }],
];

async function selfTest() {
  const failures = [];
  const good = await validateDocument(goodTrace(), null);
  if (good.problems.length > 0) failures.push(`good trace rejected: ${good.problems.join('; ')}`);
  for (const [what, plant] of PLANTED_DEFECTS) {
    const trace = goodTrace();
    plant(trace);
    const result = await validateDocument(trace, null);
    if (result.problems.length === 0) failures.push(`not caught: ${what}`);
  }
  // The third-party parser itself must see the overlap (not only our own check).
  const overlapping = goodTrace();
  overlapping.traceEvents[1].ts = 10.4;
  const devtools = await readWithDevTools(structuredClone(overlapping.traceEvents));
  if (devtools.problems.length === 0) failures.push('DevTools did not notice an overlapping slice');
  return failures;
}

async function main(args) {
  if (args.length === 0) {
    console.error('usage: validate-trace.mjs KIND[:N]=FILE ...  kinds: ' +
                  Object.keys(EXPECTATIONS).join(', '));
    return 2;
  }
  let failed = 0;
  let passed = 0;
  const selfFailures = await selfTest();
  for (const failure of selfFailures) console.log(`self-test: ${failure}`);
  if (selfFailures.length > 0) ++failed;
  else ++passed;
  console.log(`self-test: ${selfFailures.length === 0 ? 'ok' : 'FAILED'} ` +
              `(${PLANTED_DEFECTS.length} planted defects)`);

  for (const arg of args) {
    const match = /^([a-z-]+)(?::(\d+))?=(.+)$/.exec(arg);
    if (!match || !(match[1] in EXPECTATIONS)) {
      console.error(`bad argument ${arg}: want KIND[:N]=FILE`);
      return 2;
    }
    const [, kind, count, file] = match;
    let doc;
    try {
      doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      console.log(`${kind} ${file}: FAILED: not JSON: ${error.message}`);
      ++failed;
      continue;
    }
    const result = await validateDocument(doc, EXPECTATIONS[kind](Number(count ?? 1)));
    const d = result.devtools;
    const summary = d?.processes
        ? `${doc.traceEvents.length} events, ${d.processes.size} processes, ${d.threads.size} ` +
          `named threads, ${d.slices} slices in DevTools' trees, ${d.asyncPairs} async pairs`
        : '';
    if (result.problems.length === 0) {
      ++passed;
      console.log(`${kind} ${file}: ok: ${summary}`);
    } else {
      ++failed;
      console.log(`${kind} ${file}: FAILED (${summary})`);
      for (const problem of result.problems.slice(0, 30)) console.log(`  ${problem}`);
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));

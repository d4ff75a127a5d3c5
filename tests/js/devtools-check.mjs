// Reads an export with Chrome DevTools' own trace engine (@paulirish/trace_engine, the model
// behind the Performance panel), a parser nobody here wrote, and reports what it understood:
// processes and named threads, the slices it could place in each thread's tree, and the async
// begin/end pairs it could match. Used by validate-trace.mjs, single-threaded.
import * as TraceEngine from '@paulirish/trace_engine';

import { toNs } from './perfetto-structure.mjs';

// The engine reads window.DOMRect in some handlers (its README says to polyfill it in Node),
// and Node 18 (Debian 12's) lacks Array.prototype.toSorted, which one of its insights calls.
globalThis.DOMRect ??= class DOMRect {
  constructor(x = 0, y = 0, width = 0, height = 0) {
    Object.assign(this, { x, y, width, height });
  }
};
if (!Array.prototype.toSorted) {
  Object.defineProperty(Array.prototype, 'toSorted', {
    value(compare) {
      return [...this].sort(compare);
    },
  });
}

// Parses `traceEvents` (the engine mutates and annotates the objects: pass a copy) and returns
// { problems, processes: Map(pid -> name), threads: Map("pid/tid" -> name), slices, asyncPairs }.
export async function readWithDevTools(traceEvents) {
  const problems = [];
  const model = TraceEngine.TraceModel.Model.createWithAllHandlers();
  try {
    await model.parse(traceEvents);
  } catch (error) {
    return { problems: [`DevTools' trace engine threw: ${error.stack ?? error}`] };
  }
  const parsed = model.parsedTrace();
  const data = parsed?.data;
  if (!data) return { problems: ["DevTools' trace engine produced no data"] };

  const meta = data.Meta;
  if (!meta.traceIsGeneric) problems.push('DevTools took the trace for a Chrome browser trace');
  if (!(meta.traceBounds.range > 0)) problems.push('DevTools found no time range');

  const processes = new Map();
  for (const [pid, event] of meta.processNames) processes.set(pid, event.args?.name);
  const threads = new Map();
  for (const [pid, byTid] of meta.threadsInProcess) {
    for (const [tid, event] of byTid) threads.set(`${pid}/${tid}`, event.args?.name);
  }

  // The Performance panel's flame chart is the tree treify() builds per thread; a slice that
  // partially overlaps its parent is left out of it (silently: it would not be drawn).
  let slices = 0;
  for (const [pid, process] of data.Renderer.processes) {
    for (const [tid, thread] of process.threads) {
      for (const entry of thread.entries) {
        if (entry.ph !== 'X') continue;
        ++slices;
        if (data.Renderer.entryToNode.has(entry)) continue;
        problems.push(`DevTools left ${entry.name} at ts ${entry.ts} on ${pid}/${tid} out of ` +
                      `its thread's tree (it overlaps a slice it does not nest in)`);
        if (problems.length > 20) break;
      }
    }
  }

  // Async lifetimes through the engine's own begin/end matcher (keyed cat:id:name, as
  // Perfetto keys its async tracks). It only pairs; whether every begin found its end is
  // counted here.
  const asyncEvents = traceEvents.filter((e) => e.ph === 'b' || e.ph === 'e');
  const begins = asyncEvents.filter((e) => e.ph === 'b').length;
  const matched = TraceEngine.Helpers.Trace.createMatchedSortedSyntheticEvents(asyncEvents);
  for (const pair of matched) {
    const end = pair.args.data.endEvent;
    if (!end) problems.push(`DevTools found async ${pair.name} without an end`);
    else if (toNs(end.ts) < toNs(pair.ts)) problems.push(`DevTools: async ${pair.name} ends before it begins`);
  }
  if (matched.length !== begins) {
    problems.push(`DevTools matched ${matched.length} async begin/end pairs of ${begins} begins`);
  }
  return { problems, processes, threads, slices, asyncPairs: matched.length };
}

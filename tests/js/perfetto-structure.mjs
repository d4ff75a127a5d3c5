// The structure Perfetto's JSON importer needs from a Chrome Trace Event file, checked by
// hand (src/trace_processor/importers/json/json_trace_{tokenizer,parser_impl}.cc; see
// shared/ECOSYSTEM.md §1.2). Perfetto reads what it can and silently drops or misfiles the
// rest, so a file that "opens" can still show the wrong thing: these checks say what would go
// wrong. Used by validate-trace.mjs, single-threaded.

// Phases epollscope writes. Anything else is a sign the writer went wrong.
const KNOWN_PHASES = new Set(['X', 'i', 'C', 'M', 'b', 'e']);

// Perfetto turns µs into integer ns the same way (CoerceToTs: llround(v * 1000)): nesting is
// judged on these integers, not on floating-point sums.
export function toNs(us) {
  return Math.round(us * 1000);
}

const isInt = (v) => Number.isInteger(v);
const isNum = (v) => typeof v === 'number' && Number.isFinite(v);

// Returns a list of problems (strings); empty when the file is what Perfetto needs.
export function checkStructure(doc) {
  const problems = [];
  const problem = (event, text) => {
    if (problems.length < 50) problems.push(`${text}: ${JSON.stringify(event).slice(0, 300)}`);
  };
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    return ['not the object form {"traceEvents": [...]}'];
  }
  if (!Array.isArray(doc.traceEvents)) return ['"traceEvents" is not an array'];

  const events = doc.traceEvents;
  const slicesByThread = new Map();  // "pid/tid" -> [{start, end, event}]
  const threadTracks = new Set();    // "pid/tid" of every X and thread-scoped instant
  const pidScoped = new Set();       // pids of counters, async events and process metadata
  const threadNames = new Map();     // "pid/tid" -> name
  const processNames = new Map();    // pid -> name
  const pidsOfTid = new Map();       // tid -> Set(pid)
  const asyncOpen = new Map();       // "pid|cat|id|name" -> [begin ns]
  let asyncPairs = 0;

  for (const event of events) {
    if (event === null || typeof event !== 'object') {
      problem(event, 'an event is not an object');
      continue;
    }
    const { ph } = event;
    if (!KNOWN_PHASES.has(ph)) {
      problem(event, `unexpected phase ${JSON.stringify(ph)}`);
      continue;
    }
    if (typeof event.name !== 'string' || event.name === '') problem(event, 'no name');
    if (!isInt(event.pid)) problem(event, 'pid is not an integer');
    if (ph !== 'M' && !isNum(event.ts)) problem(event, 'ts is not a number');
    if ('tid' in event && !isInt(event.tid)) problem(event, 'tid is not an integer');
    if (isInt(event.tid)) {
      if (!pidsOfTid.has(event.tid)) pidsOfTid.set(event.tid, new Set());
      pidsOfTid.get(event.tid).add(event.pid);
    }
    const track = `${event.pid}/${event.tid}`;
    switch (ph) {
      case 'X': {
        if (!isInt(event.tid)) problem(event, 'a slice without a tid');
        if (!isNum(event.dur) || event.dur < 0) {
          problem(event, 'X without a non-negative numeric dur (Perfetto drops it)');
          break;
        }
        threadTracks.add(track);
        const start = toNs(event.ts);
        if (!slicesByThread.has(track)) slicesByThread.set(track, []);
        slicesByThread.get(track).push({ start, end: start + toNs(event.dur), event });
        break;
      }
      case 'i':
        if (event.s === 't' || event.s === undefined) {
          if (!isInt(event.tid)) problem(event, 'a thread instant without a tid (Perfetto drops it)');
          threadTracks.add(track);
        } else if (event.s !== 'p' && event.s !== 'g') {
          problem(event, `instant scope ${JSON.stringify(event.s)} is not t, p or g`);
        }
        break;
      case 'C': {
        pidScoped.add(event.pid);
        const args = event.args;
        if (args === null || typeof args !== 'object' || Object.keys(args).length === 0) {
          problem(event, 'a counter without args');
          break;
        }
        for (const [key, value] of Object.entries(args)) {
          if (!isNum(value)) problem(event, `counter value ${key} is not a number`);
        }
        break;
      }
      case 'b':
      case 'e': {
        pidScoped.add(event.pid);
        if (typeof event.cat !== 'string' || event.cat === '') problem(event, 'async without cat');
        if (event.id === undefined || event.id === '') {
          problem(event, 'async without id (Perfetto drops it)');
          break;
        }
        // Perfetto's async track is (name, pid, hash(cat, id)) and its End matches on the
        // name: a "b" and its "e" must agree on all four.
        const key = `${event.pid}|${event.cat}|${String(event.id)}|${event.name}`;
        if (!asyncOpen.has(key)) asyncOpen.set(key, []);
        const open = asyncOpen.get(key);
        if (ph === 'b') {
          open.push(toNs(event.ts));
        } else if (open.length === 0) {
          problem(event, 'an async end with no begin of the same pid, cat, id and name');
        } else {
          const begin = open.pop();
          if (toNs(event.ts) < begin) problem(event, 'an async end before its begin');
          ++asyncPairs;
        }
        break;
      }
      case 'M':
        if (event.name === 'thread_name') {
          if (!isInt(event.tid)) problem(event, 'thread_name without a tid');
          if (typeof event.args?.name !== 'string' || event.args.name === '') {
            problem(event, 'thread_name without args.name');
          }
          if (threadNames.has(track)) problem(event, 'a thread named twice');
          threadNames.set(track, event.args?.name);
        } else if (event.name === 'process_name') {
          pidScoped.add(event.pid);
          processNames.set(event.pid, event.args?.name);
        }
        break;
    }
  }

  for (const [key, open] of asyncOpen) {
    if (open.length > 0) problems.push(`async begin never ended: ${key}`);
  }
  for (const track of threadTracks) {
    if (!threadNames.has(track)) problems.push(`track pid/tid ${track} has no thread_name`);
  }
  for (const pid of new Set([...threadTracks].map((t) => Number(t.split('/')[0])))) {
    if (!processNames.has(pid)) problems.push(`pid ${pid} has no process_name`);
  }
  // Perfetto keeps Linux semantics: a tid names one thread system-wide (thread_name is applied
  // by tid alone), and events with a pid but no tid land on thread tid=pid. So a tid used in
  // two pids, or equal to a pid that has pid-scoped events, names or fills the wrong track.
  for (const [tid, pids] of pidsOfTid) {
    if (pids.size > 1) problems.push(`tid ${tid} is used in pids ${[...pids].join(', ')}`);
    if (pidScoped.has(tid) && !(pids.size === 1 && pids.has(tid))) {
      problems.push(`tid ${tid} is also a pid with pid-scoped events (its main thread)`);
    }
  }
  problems.push(...checkNesting(slicesByThread));
  return { problems, asyncPairs, threadNames, processNames };
}

// Slices on one thread track must nest strictly: Perfetto moves one that partially overlaps
// another to a separate track, which breaks the "one lane per socket" picture.
function checkNesting(slicesByThread) {
  const problems = [];
  for (const [track, slices] of slicesByThread) {
    slices.sort((a, b) => a.start - b.start || b.end - a.end);
    const stack = [];
    for (const slice of slices) {
      while (stack.length > 0 && stack.at(-1).end <= slice.start) stack.pop();
      const parent = stack.at(-1);
      if (parent !== undefined && slice.end > parent.end) {
        if (problems.length < 20) {
          problems.push(
            `track ${track}: ${slice.event.name} [${slice.start}, ${slice.end}) ns partially ` +
              `overlaps ${parent.event.name} [${parent.start}, ${parent.end}) ns`);
        }
        continue;
      }
      stack.push(slice);
    }
  }
  return problems;
}

// Which classes of a jar can matter, by the class names in its class files' constant pools (Class
// entries, descriptors, and string constants naming a class in slash or dot form, which covers
// Class.forName and ServiceLoader-style lookups by a literal name). Used to choose and check the
// Managed Flink jar's shade filters (docs/deploy.md, The jar), with the classes a run loaded
// (bin/check-managed-jar --loaded-classes FILE). Node built-ins only (zlib reads the entries), as a
// fresh clone has nothing but JDK 17, Maven and Node.
const fs = require('fs');
const zlib = require('zlib');

const USAGE = `usage:
  node bin/lib/jar-references.js unreachable JAR LOADED
      package subtrees of JAR with no class reachable from LOADED (and META-INF/services
      providers), largest first: no code path from a class the job loads can name them.
  node bin/lib/jar-references.js dangling BEFORE_JAR AFTER_JAR LOADED
      classes of AFTER_JAR that name a class BEFORE_JAR had and AFTER_JAR has not; LOADED marks
      those the run loaded (their code that names a missing class must be shown never to run).`;

// Unicode letters and digits, as in the identifiers javac accepts.
const NAME = /[A-Za-z_$][\p{L}\p{N}_$]*(?:[/.][\p{L}\p{N}_$]+)+/gu;

// The central directory's entries: name, compressed size, method and local header offset. Jars of
// more than 65,535 entries (the local jar) carry their counts and offsets in the Zip64 records.
function openZip(path) {
  const data = fs.readFileSync(path);
  let end = data.length - 22;
  while (end >= 0 && data.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error(`${path} is not a zip file`);
  let count = data.readUInt16LE(end + 10);
  let pos = data.readUInt32LE(end + 16);
  if (count === 0xffff || pos === 0xffffffff) {
    const z64 = Number(data.readBigUInt64LE(end - 20 + 8));
    count = Number(data.readBigUInt64LE(z64 + 32));
    pos = Number(data.readBigUInt64LE(z64 + 48));
  }
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (data.readUInt32LE(pos) !== 0x02014b50) throw new Error(`${path}: bad central directory`);
    const nameLength = data.readUInt16LE(pos + 28), extraLength = data.readUInt16LE(pos + 30);
    const entry = {
      filename: data.toString(data.readUInt16LE(pos + 8) & 0x800 ? 'utf8' : 'latin1', pos + 46, pos + 46 + nameLength),
      method: data.readUInt16LE(pos + 10),
      compressSize: data.readUInt32LE(pos + 20),
      offset: data.readUInt32LE(pos + 42),
    };
    const sizes = [data.readUInt32LE(pos + 24) === 0xffffffff, entry.compressSize === 0xffffffff, entry.offset === 0xffffffff];
    if (sizes.some(Boolean)) {
      // The Zip64 extra field holds, in this order, those of the three that overflowed.
      for (let x = pos + 46 + nameLength; x < pos + 46 + nameLength + extraLength; x += 4 + data.readUInt16LE(x + 2)) {
        if (data.readUInt16LE(x) !== 1) continue;
        let field = x + 4;
        const next = () => { const v = Number(data.readBigUInt64LE(field)); field += 8; return v; };
        if (sizes[0]) next();
        if (sizes[1]) entry.compressSize = next();
        if (sizes[2]) entry.offset = next();
      }
    }
    entries.push(entry);
    pos += 46 + nameLength + extraLength + data.readUInt16LE(pos + 32);
  }
  const read = (entry) => {
    const start = entry.offset + 30 + data.readUInt16LE(entry.offset + 26) + data.readUInt16LE(entry.offset + 28);
    const bytes = data.subarray(start, start + entry.compressSize);
    if (entry.method === 0) return bytes;
    if (entry.method === 8) return zlib.inflateRawSync(bytes);
    throw new Error(`${path}: ${entry.filename} uses compression method ${entry.method}`);
  };
  return { entries, read };
}

function* utf8Constants(data) {
  const count = data.readUInt16BE(8);
  let pos = 10;
  for (let index = 1; index < count; index++) {
    const tag = data[pos];
    if (tag === 1) {
      const length = data.readUInt16BE(pos + 1);
      yield data.toString('utf8', pos + 3, pos + 3 + length);
      pos += 3 + length;
    } else if ([3, 4, 9, 10, 11, 12, 17, 18].includes(tag)) {
      pos += 5;
    } else if (tag === 5 || tag === 6) {
      pos += 9;
      index++;
    } else if ([7, 8, 16, 19, 20].includes(tag)) {
      pos += 3;
    } else if (tag === 15) {
      pos += 4;
    } else {
      throw new Error(`constant pool tag ${tag}`);
    }
  }
}

function classes(zip) {
  const found = new Map();
  for (const entry of zip.entries) {
    if (entry.filename.endsWith('.class') && !entry.filename.startsWith('META-INF/')) {
      found.set(entry.filename.slice(0, -6), entry);
    }
  }
  return found;
}

function names(zip, entry, known) {
  const found = new Set();
  for (const text of utf8Constants(zip.read(entry))) {
    for (const [match] of text.matchAll(NAME)) {
      const name = match.replaceAll('.', '/');
      if (known.has(name)) found.add(name);
    }
  }
  return found;
}

function readLoaded(path) {
  return new Set(fs.readFileSync(path, 'utf8').split(/\r\n|\n|\r/)
    .map((line) => line.trim()).filter((line) => line).map((line) => line.replaceAll('.', '/')));
}

// Python's %.Nf (the first version of this scan): round half to even on the double's exact value,
// where toFixed rounds an exact tie up.
function fixed(x, digits) {
  const exact = x.toFixed(100);
  const cut = exact.indexOf('.') + 1 + digits;
  const tie = /^50*$/.test(exact.slice(cut));
  return tie && Number(exact[cut - 1]) % 2 === 0 ? exact.slice(0, cut) : x.toFixed(digits);
}

function unreachable(jarPath, loadedPath) {
  const jar = openZip(jarPath);
  const all = classes(jar);
  const roots = new Set([...readLoaded(loadedPath)].filter((name) => all.has(name)));
  for (const entry of jar.entries) {
    if (entry.filename.startsWith('META-INF/services/') && !entry.filename.endsWith('/')) {
      for (const line of jar.read(entry).toString('utf8').split(/\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/)) {
        const name = line.split('#')[0].trim().replaceAll('.', '/');
        if (all.has(name)) roots.add(name);
      }
    }
  }
  const reached = new Set(), todo = [...roots];
  while (todo.length) {
    const name = todo.pop();
    if (!reached.has(name)) {
      reached.add(name);
      for (const named of names(jar, all.get(name), all)) if (!reached.has(named)) todo.push(named);
    }
  }
  const size = new Map(), hits = new Map(), count = new Map();
  const add = (map, key, n) => map.set(key, (map.get(key) || 0) + n);
  for (const [name, entry] of all) {
    const parts = name.split('/');
    for (let depth = 1; depth < parts.length; depth++) {
      const pkg = parts.slice(0, depth).join('/');
      add(count, pkg, 1);
      add(size, pkg, entry.compressSize + 2 * entry.filename.length + 92); // + headers
      add(hits, pkg, reached.has(name) ? 1 : 0);
    }
  }
  const tops = [...size.keys()]
    .filter((p) => hits.get(p) === 0 && (!p.includes('/') || (hits.get(p.slice(0, p.lastIndexOf('/'))) || 0) > 0))
    .map((p) => [size.get(p), p])
    .sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0));
  const total = tops.reduce((sum, [bytes]) => sum + bytes, 0);
  console.log(`${all.size} classes, ${roots.size} loaded, ${reached.size} reachable; `
    + `unreachable subtrees ${fixed(total / 1e6, 2)} MB:`);
  for (const [bytes, pkg] of tops) {
    console.log(`${fixed(bytes / 1e6, 3).padStart(7)} MB ${String(count.get(pkg)).padStart(5)} classes  ${pkg}/**`);
  }
}

function dangling(beforePath, afterPath, loadedPath) {
  const after = openZip(afterPath);
  const kept = classes(after);
  const removed = new Set([...classes(openZip(beforePath)).keys()].filter((name) => !kept.has(name)));
  const loaded = readLoaded(loadedPath);
  const naming = new Map();
  for (const [name, entry] of kept) {
    const missing = names(after, entry, removed);
    if (missing.size) naming.set(name, [...missing].sort(byCodePoint));
  }
  console.log(`${removed.size} classes removed; ${naming.size} kept classes name one of them:`);
  const order = [...naming.keys()].sort((a, b) => loaded.has(b) - loaded.has(a) || byCodePoint(a, b));
  for (const name of order) {
    const missing = naming.get(name);
    console.log((loaded.has(name) ? 'LOADED ' : '       ') + name + ' -> '
      + missing.slice(0, 3).map((m) => m.slice(m.lastIndexOf('/') + 1)).join(', ') + (missing.length > 3 ? ' ...' : ''));
  }
}

function byCodePoint(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

const args = process.argv.slice(2);
if (args.length === 3 && args[0] === 'unreachable') {
  unreachable(args[1], args[2]);
} else if (args.length === 4 && args[0] === 'dangling') {
  dangling(args[1], args[2], args[3]);
} else {
  console.error(USAGE);
  process.exit(1);
}

#!/usr/bin/env python3
"""Which classes of a jar can matter, by the class names in its class files' constant pools
(Class entries, descriptors, and string constants naming a class in slash or dot form, which
covers Class.forName and ServiceLoader-style lookups by a literal name). Used to choose and check
the Managed Flink jar's shade filters (docs/deploy.md, The jar), with the classes a run loaded
(bin/check-managed-jar --loaded-classes FILE).

  jar-references.py unreachable JAR LOADED
      package subtrees of JAR with no class reachable from LOADED (and META-INF/services
      providers), largest first: no code path from a class the job loads can name them.
  jar-references.py dangling BEFORE_JAR AFTER_JAR LOADED
      classes of AFTER_JAR that name a class BEFORE_JAR had and AFTER_JAR has not; LOADED marks
      those the run loaded (their code that names a missing class must be shown never to run).
"""
import collections
import re
import struct
import sys
import zipfile

NAME = re.compile(r'[A-Za-z_$][\w$]*(?:[/.][\w$]+)+')


def utf8_constants(data):
    count = struct.unpack('>H', data[8:10])[0]
    pos, index = 10, 1
    while index < count:
        tag = data[pos]
        if tag == 1:
            length = struct.unpack('>H', data[pos + 1:pos + 3])[0]
            yield data[pos + 3:pos + 3 + length].decode('utf-8', 'replace')
            pos += 3 + length
        elif tag in (3, 4, 9, 10, 11, 12, 17, 18):
            pos += 5
        elif tag in (5, 6):
            pos, index = pos + 9, index + 1
        elif tag in (7, 8, 16, 19, 20):
            pos += 3
        elif tag == 15:
            pos += 4
        else:
            raise ValueError(f'constant pool tag {tag}')
        index += 1


def classes(jar):
    return {i.filename[:-6]: i for i in jar.infolist()
            if i.filename.endswith('.class') and not i.filename.startswith('META-INF/')}


def names(jar, info, known):
    found = set()
    for text in utf8_constants(jar.read(info)):
        for match in NAME.findall(text):
            name = match.replace('.', '/')
            if name in known:
                found.add(name)
    return found


def read_loaded(path):
    return {line.strip().replace('.', '/') for line in open(path) if line.strip()}


def unreachable(jar_path, loaded_path):
    jar = zipfile.ZipFile(jar_path)
    all_classes = classes(jar)
    roots = read_loaded(loaded_path) & set(all_classes)
    for info in jar.infolist():
        if info.filename.startswith('META-INF/services/') and not info.filename.endswith('/'):
            for line in jar.read(info).decode().splitlines():
                name = line.split('#')[0].strip().replace('.', '/')
                if name in all_classes:
                    roots.add(name)
    reached, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name not in reached:
            reached.add(name)
            todo.extend(names(jar, all_classes[name], all_classes) - reached)
    size, hits, count = collections.Counter(), collections.Counter(), collections.Counter()
    for name, info in all_classes.items():
        parts = name.split('/')
        for depth in range(1, len(parts)):
            package = '/'.join(parts[:depth])
            count[package] += 1
            size[package] += info.compress_size + 2 * len(info.filename) + 92  # + headers
            hits[package] += name in reached
    tops = sorted(((size[p], p) for p in size
                   if hits[p] == 0 and ('/' not in p or hits[p.rsplit('/', 1)[0]] > 0)), reverse=True)
    print(f'{len(all_classes)} classes, {len(roots)} loaded, {len(reached)} reachable; '
          f'unreachable subtrees {sum(s for s, _ in tops) / 1e6:.2f} MB:')
    for bytes_, package in tops:
        print(f'{bytes_ / 1e6:7.3f} MB {count[package]:5d} classes  {package}/**')


def dangling(before_path, after_path, loaded_path):
    before, after = zipfile.ZipFile(before_path), zipfile.ZipFile(after_path)
    kept = classes(after)
    removed = set(classes(before)) - set(kept)
    loaded = read_loaded(loaded_path)
    naming = {c: names(after, info, removed) for c, info in kept.items()}
    naming = {c: n for c, n in naming.items() if n}
    print(f'{len(removed)} classes removed; {len(naming)} kept classes name one of them:')
    for name in sorted(naming, key=lambda c: (c not in loaded, c)):
        missing = sorted(naming[name])
        print(('LOADED ' if name in loaded else '       ') + name + ' -> '
              + ', '.join(m.rsplit('/', 1)[-1] for m in missing[:3]) + (' ...' if len(missing) > 3 else ''))


if __name__ == '__main__':
    if len(sys.argv) == 4 and sys.argv[1] == 'unreachable':
        unreachable(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] == 'dangling':
        dangling(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)

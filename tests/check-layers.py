#!/usr/bin/env python3
"""The runtime's shape (issue #10), checked on the sources.

- No cycle among the modules of src/: neither in what their .c files
  include nor in whose functions they call.
- No src/ source over 900 lines.
- The engine's core (src/engine/core.[ch]) names no machine's event: the
  engine's hooks run the events.

Prints what it finds and exits 1 on a violation.
"""
import os
import re
import sys

MAX_LINES = 900
src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', 'src')
faults = []

files = []
for root, _, names in os.walk(src):
    for n in names:
        if n.endswith(('.c', '.h', '.rl')):
            files.append(os.path.join(root, n))
files.sort()


def strip_comments(text):
    text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
    return re.sub(r'"(?:\\.|[^"\\])*"', '""', text)


def module(path):
    return os.path.splitext(os.path.basename(path))[0]


text = {f: open(f, encoding='utf-8').read() for f in files}
for f in files:
    n = text[f].count('\n')
    if f.endswith(('.c', '.rl')) and n > MAX_LINES:
        faults.append(f'{f}: {n} lines, more than {MAX_LINES}')

# who defines which function, and the module of each header
defined = {}
for f in files:
    if not f.endswith(('.c', '.rl')):
        continue
    for m in re.finditer(r'^(rrec_\w+) \(', text[f], re.M):
        defined.setdefault(m.group(1), module(f))
    for m in re.finditer(r'^(?:const )?\w+ (rrec_\w+_binding)\b', text[f], re.M):
        defined[m.group(1)] = module(f)
    if 'G_DEFINE_QUARK (rrec-engine-error' in text[f]:
        defined['rrec_engine_error_quark'] = module(f)

modules = sorted({module(f) for f in files})
calls = {m: set() for m in modules}
includes = {m: set() for m in modules}
header_of = {os.path.basename(f): module(f) for f in files if f.endswith('.h')}
for f in files:
    me = module(f)
    body = strip_comments(text[f])
    for inc in re.findall(r'#include "([^"]+)"', text[f]):
        other = header_of.get(os.path.basename(inc))
        if other and other != me:
            includes[me].add(other)
    if f.endswith('.h'):
        continue
    for name, owner in defined.items():
        if owner != me and re.search(r'\b' + name + r'\b', body):
            calls[me].add(owner)
    if 'RREC_ENGINE_ERROR' in body and defined.get('rrec_engine_error_quark') not in (None, me):
        calls[me].add(defined['rrec_engine_error_quark'])


def cycle(graph, what):
    state = {}
    path = []

    def visit(m):
        state[m] = 1
        path.append(m)
        for n in sorted(graph.get(m, ())):
            if state.get(n) == 1:
                return path[path.index(n):] + [n]
            if n not in state:
                found = visit(n)
                if found:
                    return found
        state[m] = 2
        path.pop()
        return None

    for m in sorted(graph):
        if m not in state:
            found = visit(m)
            if found:
                faults.append(f'{what} cycle: ' + ' -> '.join(found))
                return


# engine-private.h is the umbrella of the whole engine, for the code that
# sees all of it (engine.c, the store, tests): it is no module of its own.
for g in (includes, calls):
    g.pop('engine-private', None)
    for m in g:
        g[m].discard('engine-private')
cycle(includes, 'include')
cycle(calls, 'call')

for f in files:
    if os.path.basename(f) in ('core.c', 'core.h'):
        for name in re.findall(r'\bRREC_[A-Z]+_EVENT_\w+', strip_comments(text[f])):
            faults.append(f'{f}: the core names the machine event {name}')

for m in sorted(calls):
    if calls[m]:
        print(f'{m} -> {" ".join(sorted(calls[m]))}')
for fault in faults:
    print('FAIL:', fault)
sys.exit(1 if faults else 0)

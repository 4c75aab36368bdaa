#!/usr/bin/env python3
"""Shares of a profile's samples inside one function's calls.

`perf record -e cpu-clock --call-graph dwarf` samples a whole run; this
keeps the samples whose call chain passes through ROOT (by default the
bench's hinted timed part, bench_engine_timed_hints) and prints, for
each function, the share of those samples it was running (self) and the
share it was on the stack (inclusive).  The binary must keep ROOT's
frame: build with -fno-optimize-sibling-calls (doc/performance.md).

usage: perf-timed.py PERF.DATA [ROOT] [N]
"""
import collections
import subprocess
import sys


def chains(path):
    out = subprocess.run(['perf', 'script', '-i', path, '-F', 'ip,sym'],
                         capture_output=True, text=True, check=True).stdout
    for block in out.split('\n\n'):
        syms = []
        for line in block.strip().splitlines():
            parts = line.strip().split(None, 1)
            name = parts[1] if len(parts) > 1 else '?'
            syms.append(name.split('+')[0].replace(' (inlined)', '').strip())
        if syms:
            yield syms


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    path = sys.argv[1]
    root = sys.argv[2] if len(sys.argv) > 2 else 'bench_engine_timed_hints'
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 25
    own, on_stack, n = collections.Counter(), collections.Counter(), 0
    for syms in chains(path):
        if root not in syms:
            continue
        n += 1
        own[syms[0]] += 1
        for s in set(syms[:syms.index(root)]):
            on_stack[s] += 1
    if n == 0:
        sys.exit(f'{path}: no sample inside {root}')
    print(f'{n} samples inside {root}')
    for title, c in (('self', own), ('inclusive', on_stack)):
        print(f'{title}:')
        for name, k in c.most_common(top):
            print(f'  {100 * k / n:5.1f} %  {name}')


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""Fail when modules of a Rust library crate depend on each other in a cycle.

Usage: module_cycles.py [SRC_DIR]   (default: core/src)

Reads every `.rs` file under SRC_DIR (except `bin/`), collects the paths it
names (`use` trees and inline `crate::`, `super::`, `self::` paths; comments
and `#[cfg(test)]` modules are ignored), and resolves each to the module that defines the item,
following `pub use` / `pub(crate) use` re-exports. A dependency from module
`a::b::x` to `a::c::y` is a dependency between the siblings `a::b` and
`a::c`; dependencies between a module and its own ancestors are not counted
(a parent re-exports its children, a child may name its parent). Every
level of the module tree must then be acyclic: a cycle is printed with one
file-level import for each of its edges, and the exit status is 1.
"""

import os
import re
import sys
from collections import defaultdict

SRC = sys.argv[1] if len(sys.argv) > 1 else "core/src"


def module_of(rel):
    """`scoring/plan/rules.rs` -> ('scoring', 'plan', 'rules'); lib.rs -> ()."""
    parts = rel[:-3].split("/")
    if parts[-1] in ("mod", "lib"):
        parts = parts[:-1]
    return tuple(parts)


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    # String literals may contain `::` (messages); drop them.
    return re.sub(r'"(?:\\.|[^"\\])*"', '""', text)


def expand_use(tree):
    """Expand a use tree (`crate::a::{b, c::{d, e as f}}`) into flat paths."""
    tree = re.sub(r"\s+", "", tree)
    depth = 0
    for i, ch in enumerate(tree):
        if ch == "{":
            if depth == 0:
                prefix, inner = tree[:i], tree[i + 1 : tree.rindex("}")]
                out, start, d = [], 0, 0
                for j, c in enumerate(inner + ","):
                    if c == "{":
                        d += 1
                    elif c == "}":
                        d -= 1
                    elif c == "," and d == 0:
                        part = inner[start:j]
                        start = j + 1
                        if part:
                            out += [prefix + p if p != "self" else prefix.rstrip(":")
                                    for p in expand_use(part)]
                return out
            depth += 1
    return [tree.split("as")[0] if "as" in tree.split("::")[-1] else tree]


files = {}
for root, _dirs, names in os.walk(SRC):
    for name in names:
        if name.endswith(".rs"):
            rel = os.path.relpath(os.path.join(root, name), SRC).replace(os.sep, "/")
            if rel.startswith("bin/"):
                continue
            with open(os.path.join(root, name), encoding="utf-8") as f:
                files[module_of(rel)] = (rel, strip_comments(f.read()))
modules = set(files)

USE = re.compile(r"\b(pub(?:\([^)]*\))?\s+)?use\s+([^;]+);")
INLINE = re.compile(r"\b(?:crate|super|self)(?:::[A-Za-z_][A-Za-z0-9_]*)+")


def absolute(base, path):
    """Segments from the crate root of `path` as written in module `base`, or
    None when it names an external crate (a bare path that is no child)."""
    segs = path.split("::")
    if segs[0] == "crate":
        return segs[1:]
    if segs[0] not in ("super", "self"):
        return list(base) + segs if tuple(base) + (segs[0],) in modules else None
    cur = list(base)
    while segs and segs[0] in ("super", "self"):
        if segs.pop(0) == "super":
            cur = cur[:-1]
    return cur + segs


TEST_ONLY = re.compile(r"#\[cfg\([^\]]*\btest\b[^\]]*\]\s*$")


def chunks(mod, text):
    """Split a file into its own text and its inline modules (`mod x { .. }`),
    each with the module its paths are written in. Test modules
    (`#[cfg(test)]`) are left out: a test may build its inputs with any part
    of the crate without that being a dependency of the code."""
    out, rest, pos = [], [], 0
    for m in re.finditer(r"\bmod\s+(\w+)\s*\{", text):
        if m.start() < pos:
            continue
        depth, i = 1, m.end()
        while depth and i < len(text):
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        rest.append(text[pos : m.start()])
        if not TEST_ONLY.search(text[: m.start()]):
            out.append((mod + (m.group(1),), text[m.end() : i - 1]))
        pos = i
    rest.append(text[pos:])
    return [(mod, "".join(rest))] + out


def test_only_files():
    """Modules declared `#[cfg(test)] mod x;` (test helpers in their own file)."""
    found = set()
    for mod, (_rel, text) in files.items():
        for m in re.finditer(r"\bmod\s+(\w+)\s*;", text):
            if TEST_ONLY.search(text[: m.start()]):
                found.add(mod + (m.group(1),))
    return found


# Re-exports: (module, name) -> absolute path of what it names.
reexports = {}
uses = defaultdict(list)  # file module -> [(absolute path, written text)]


def scan(mod, base, text):
    """Record the paths named in `text`, written inside module `base` of file `mod`."""
    for m in USE.finditer(text):
        for p in expand_use(m.group(2)):
            if p.endswith("::*"):
                p = p[:-3]
            absp = absolute(base, p)
            if absp is None:
                continue
            uses[mod].append((absp, p))
            if m.group(1) and base == mod:
                reexports[(mod, absp[-1])] = absp
    for m in INLINE.finditer(USE.sub("", text)):
        absp = absolute(base, m.group(0))
        if absp is not None:
            uses[mod].append((absp, m.group(0)))


test_files = test_only_files()
for mod, (rel, text) in files.items():
    if any(mod[: len(t)] == t for t in test_files):
        continue
    for base, chunk in chunks(mod, text):
        scan(mod, base, chunk)


def resolve(segs, seen=()):
    """The module that defines the item at `segs`, following re-exports."""
    cur = ()
    for i, s in enumerate(segs):
        if cur + (s,) in modules:
            cur = cur + (s,)
            continue
        target = reexports.get((cur, s))
        if target is not None and tuple(target) not in seen and list(target) != list(segs):
            return resolve(list(target) + list(segs[i + 1 :]), seen + (tuple(segs),))
        return cur
    return cur


# Sibling edges at every level of the tree.
edges = defaultdict(lambda: defaultdict(list))  # parent -> a -> [(b, evidence)]
for mod, paths in uses.items():
    for absp, written in paths:
        target = resolve(absp)
        n = 0
        while n < min(len(mod), len(target)) and mod[n] == target[n]:
            n += 1
        if n == len(mod) or n == len(target):
            continue  # the same module, or an ancestor / descendant
        parent, a, b = mod[:n], mod[: n + 1], target[: n + 1]
        edges[parent][a].append((b, f"{files[mod][0]}: {written}"))


def sccs(graph):
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]
    nodes = set(graph) | {b for a in graph for b, _ in graph[a]}

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w, _ in graph.get(v, []):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(comp)

    sys.setrecursionlimit(10000)
    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


name = lambda m: "crate::" + "::".join(m) if m else "crate"
found = 0
for parent in sorted(edges):
    for comp in sccs(edges[parent]):
        found += 1
        members = set(comp)
        print(f"cycle between modules: {', '.join(name(m) for m in sorted(comp))}")
        for a in sorted(comp):
            for b in sorted({b for b, _ in edges[parent][a] if b in members}):
                example = next(e for t, e in edges[parent][a] if t == b)
                print(f"  {name(a)} -> {name(b)}   ({example})")
if found:
    sys.exit(1)
print(f"no module cycles in {SRC} ({len(modules)} modules)")

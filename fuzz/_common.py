"""Shared plumbing for the ttdiag fuzz harnesses.

* ``corpus_args(name, extra_dirs)`` builds the libFuzzer argv: a writable working corpus
  (``fuzz/corpus/<name>``, git-ignored) first -- libFuzzer only ever writes into the first
  directory -- then the checked-in seeds ``fuzz/corpus_seed/<name>`` and any read-only extra
  directories that exist on this machine (e.g. /work/shared/corpus, read at runtime, never copied).
* ``run(test_one_input, name, extra_dirs)`` runs under atheris when it is importable, otherwise
  a plain random-mutation loop over the same seeds (``--fallback-seconds N``, default 60).
"""

from __future__ import annotations

import os
import random
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

try:
    import atheris  # type: ignore
except ImportError:  # pragma: no cover - depends on the machine
    atheris = None


def _has_corpus_arg(argv: list[str]) -> bool:
    return any(not a.startswith("-") for a in argv[1:])


def corpus_args(name: str, extra_dirs: list[str] = ()) -> list[str]:
    argv = list(sys.argv)
    if _has_corpus_arg(argv):
        return argv  # the user chose corpus dirs / a crash file to replay
    work = os.path.join(HERE, "corpus", name)
    os.makedirs(work, exist_ok=True)
    dirs = [work, os.path.join(HERE, "corpus_seed", name)]
    dirs += [d for d in extra_dirs if os.path.isdir(d)]
    if not any(a.startswith("-max_len=") for a in argv):
        argv.append("-max_len=65536")
    return argv + dirs


def _iter_seed_files(dirs: list[str]):
    for d in dirs:
        for dp, _, files in os.walk(d):
            for f in files:
                yield os.path.join(dp, f)


def _mutate(rng: random.Random, data: bytes, pool: list[bytes]) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        op = rng.randrange(7)
        pos = rng.randint(0, len(b))
        if op == 0 and b:  # flip a byte
            b[min(pos, len(b) - 1)] = rng.randrange(256)
        elif op == 1:  # insert random bytes
            b[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif op == 2 and b:  # delete a range
            del b[pos:pos + rng.randint(1, 64)]
        elif op == 3 and b:  # duplicate a range
            s = rng.randint(0, len(b) - 1)
            b[pos:pos] = b[s:s + rng.randint(1, 256)]
        elif op == 4 and pool:  # splice another seed
            o = rng.choice(pool)
            s = rng.randint(0, len(o))
            b[pos:pos] = o[s:s + rng.randint(1, 512)]
        elif op == 5:  # interesting tokens
            b[pos:pos] = rng.choice([b"\n", b"\r", b"\x00", b"\x1b[31m", b"(", b")", b"<", b">", b"{", b"}",
                                     b"\"", b"'", b"#", b"%", b"@", b":", b",", b"x", b"-1", b"99999999999",
                                     b"\xff\xfe", b"\x1f\x8b", b" | ERROR | ", b"TT_THROW", b"Executing operation: "])
        elif op == 6 and b:  # truncate
            del b[pos:]
    return bytes(b[:65536])


def fallback_loop(test_one_input, name: str, extra_dirs: list[str], seconds: float, seed: int = 0) -> int:
    """Random mutation without coverage feedback. Returns 1 on the first crash (input saved)."""
    dirs = [os.path.join(HERE, "corpus_seed", name), os.path.join(HERE, "corpus", name)]
    dirs += [d for d in extra_dirs if os.path.isdir(d)]
    pool = []
    for p in _iter_seed_files(dirs):
        with open(p, "rb") as f:
            pool.append(f.read(65536))
    pool = pool or [b""]
    rng = random.Random(seed)
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        data = _mutate(rng, rng.choice(pool), pool) if n >= len(pool) else pool[n]
        try:
            test_one_input(data)
        except Exception:
            path = os.path.join(HERE, f"crash-fallback-{name}-{n}")
            with open(path, "wb") as f:
                f.write(data)
            traceback.print_exc()
            print(f"CRASH after {n:,} executions; input saved to {path}", file=sys.stderr)
            return 1
        n += 1
    print(f"fallback fuzzer: {n:,} executions in {seconds:.0f}s, no crash", file=sys.stderr)
    return 0


def run(test_one_input, name: str, extra_dirs: list[str] = ()) -> None:
    if atheris is None or "--fallback" in sys.argv:
        secs = 60.0
        for a in sys.argv[1:]:
            if a.startswith("--fallback-seconds="):
                secs = float(a.split("=", 1)[1])
        sys.exit(fallback_loop(test_one_input, name, list(extra_dirs), secs))
    atheris.Setup(corpus_args(name, list(extra_dirs)), test_one_input)
    atheris.Fuzz()

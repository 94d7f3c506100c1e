"""B6: counts at any scale, in memory, streamed from files, and on Dask with 1 and 2 workers.

The corpus is the Wikipedia sample in gensim's test data, tokenised by gensim's
``WikiCorpus`` (its default tokeniser: lower case, tokens of 2-15 characters,
markup removed), one article per line, written to ``N_FILES`` files of about
equal numbers of articles. Each method counts the pairs (window 5, min_count 5)
from those files in a fresh process of its own, so that its peak memory is its
own:

- in memory: read every file into token lists, then ``sh.cooccurrence_counts``;
- streaming: ``sh.cooccurrence_counts_from_files(paths, ...)``, about 1 MiB of text at a time;
- Dask: the same call with a ``Client`` of a ``LocalCluster`` with 1 or 2 worker
  processes (one thread each); the cluster's start is timed apart.

Tokens per second is the corpus's tokens over the best of ``REPEAT`` calls.
Peak memory is the first call's: the process's peak resident memory above its
resident memory just before that call (for Dask, the client's plus every
worker's above its own start). The results of all four are checked to be
identical (vocabulary, indptr, indices, data). Targets: identical results;
streaming's peak memory below in-memory's. The machine's other load counts:
on 2 shared cores, 2 Dask workers and the client compete for them.
"""

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from _common import environment, figure, finish, print_environment, target

import sgns_helpers as sh

WINDOW, MIN_COUNT, N_FILES, REPEAT = 5, 5, 8, 3
SAMPLE = "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"
METHODS = ("in memory", "streaming", "dask, 1 worker", "dask, 2 workers")


def rss_mb() -> float:
    """Resident memory of this process now, in MiB."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20


def peak_mb() -> float:
    """Peak resident memory of this process, in MiB: VmHWM, which starts afresh at exec (ru_maxrss
    does not: a child would report at least its parent's memory at the fork)."""
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:")) / 1024


def fingerprint(vocab, counts) -> str:
    h = hashlib.sha256("\n".join(vocab).encode())
    for a in (counts.indptr.astype(np.int64), counts.indices.astype(np.int64), counts.data, np.array(counts.shape)):
        h.update(a.tobytes())
    return f"{h.hexdigest()}:{counts.dtype}"


def write_corpus(folder: Path) -> tuple[list[Path], int]:
    from gensim.corpora import WikiCorpus
    from gensim.test.utils import datapath

    articles = list(WikiCorpus(datapath(SAMPLE), dictionary={}, processes=1).get_texts())
    paths = []
    for f, part in enumerate(np.array_split(np.arange(len(articles)), N_FILES)):
        path = folder / f"wiki{f:02d}.txt"
        path.write_text("".join(" ".join(articles[a]) + "\n" for a in part), encoding="utf-8")
        paths.append(path)
    return paths, sum(map(len, articles))


def measure(method: str, paths: list[str]) -> dict:
    """Run one method REPEAT times in this process; its best time, peak memory and fingerprint."""
    out = {"method": method}
    if method == "in memory":
        def call():
            sentences = []
            for path in paths:
                with open(path, encoding="utf-8") as fh:
                    sentences += [line.split() for line in fh]
            return sh.cooccurrence_counts(sentences, WINDOW, min_count=MIN_COUNT)
    elif method == "streaming":
        def call():
            return sh.cooccurrence_counts_from_files(paths, WINDOW, min_count=MIN_COUNT)
    else:
        from distributed import Client, LocalCluster

        t0 = time.perf_counter()
        cluster = LocalCluster(n_workers=int(method.split()[1]), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
        client.run(lambda: sh.cooccurrence_counts_from_files)  # import sgns_helpers on every worker
        out["cluster_start_seconds"] = time.perf_counter() - t0
        worker_base = client.run(rss_mb)

        def call():
            return sh.cooccurrence_counts_from_files(paths, WINDOW, min_count=MIN_COUNT, client=client)
    base = rss_mb()
    seconds = []
    for repeat in range(REPEAT):
        t0 = time.perf_counter()
        vocab, counts = call()
        seconds.append(time.perf_counter() - t0)
        if repeat == 0:  # the peak of one call (later calls reuse memory that malloc kept)
            out.update(fingerprint=fingerprint(vocab, counts), n_words=len(vocab), nnz=int(counts.nnz),
                       n_pairs=int(counts.sum()), client_peak_mb=peak_mb() - base, rss_base_mb=base)
            out["peak_mb"] = out["client_peak_mb"]
            if method.startswith("dask"):
                worker_peak = client.run(peak_mb)
                out["worker_peak_mb"] = sum(worker_peak[w] - worker_base[w] for w in worker_peak)
                out["peak_mb"] += out["worker_peak_mb"]
        del vocab, counts
    out["seconds"] = min(seconds)
    if method.startswith("dask"):
        client.close()
        cluster.close()
    return out


def main() -> dict:
    print_environment("B6 - counts at any scale: in memory, streaming, Dask with 1 and 2 workers")
    with tempfile.TemporaryDirectory() as tmp:
        paths, n_tokens = write_corpus(Path(tmp))
        runs = {}
        for method in METHODS:  # each in a fresh process: a fair peak
            out = Path(tmp) / "out.json"
            cmd = [sys.executable, __file__, "--method", method, "--out", str(out), *map(str, paths)]
            subprocess.run(cmd, check=True, cwd=Path(__file__).parent)
            runs[method] = json.loads(out.read_text())
    for run in runs.values():
        run["tokens_per_second"] = n_tokens / run["seconds"]
    mem, stream, d1, d2 = (runs[m] for m in METHODS)
    figs = {"n_tokens": n_tokens, "n_files": N_FILES, "window": WINDOW, "min_count": MIN_COUNT,
            "n_words": mem["n_words"], "nnz": mem["nnz"], "n_pairs": mem["n_pairs"], "runs": runs,
            "streaming_over_memory_seconds": stream["seconds"] / mem["seconds"],
            "streaming_over_memory_peak": stream["peak_mb"] / mem["peak_mb"],
            "dask2_speedup_over_dask1": d1["seconds"] / d2["seconds"],
            "dask2_over_streaming_seconds": d2["seconds"] / stream["seconds"]}
    figure("corpus: tokens, files", f"{n_tokens:,} tokens in {N_FILES} files")
    figure("vocabulary (min_count 5), non-zero cells", f"{mem['n_words']:,} words, {mem['nnz']:,} cells")
    for method, run in runs.items():
        extra = f" (cluster start {run['cluster_start_seconds']:.1f} s)" if "cluster_start_seconds" in run else ""
        figure(f"{method}: tokens per second", f"{run['tokens_per_second']:,.0f}{extra}")
        figure(f"{method}: peak memory above start", run["peak_mb"], "MiB")
    figure("streaming / in memory: time", figs["streaming_over_memory_seconds"], "x")
    figure("streaming / in memory: peak memory", figs["streaming_over_memory_peak"], "x")
    figure("dask 2 workers: speed-up over 1 worker", figs["dask2_speedup_over_dask1"], "x")
    figure("dask 2 workers / streaming: time", figs["dask2_over_streaming_seconds"], "x")
    same = len({run["fingerprint"] for run in runs.values()}) == 1
    targets = [target("results identical: in memory, streaming, Dask 1 and 2 workers", same),
               target("streaming peak memory below in-memory's", stream["peak_mb"] < mem["peak_mb"])]
    return {"env": environment(), "figures": figs, "targets": targets}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--method")
    parser.add_argument("--out")
    args, rest = parser.parse_known_args()
    if args.method:  # a child: one method, its figures to --out
        paths = [p for p in rest if not p.startswith("--")]
        Path(args.out).write_text(json.dumps(measure(args.method, paths)))
    else:
        finish(main())

#!/usr/bin/env python3
"""Times NumPy's float32 matmul (OpenBLAS sgemm) on the matmul benchmark's shapes.

The matmul-benchmark executable runs this script in the same run as its own timings and
prints the figures side by side; it can also be run alone:

    python3 scripts/bench_matmul_numpy.py --threads 1,2 --repetitions 5 \
        --cases '[{"m": 512, "k": 512, "n": 512, "transposeA": false, "transposeB": false}]'

Each case is C = op(A) @ op(B) with op(A) m x k and op(B) k x n; a transposed operand is
stored transposed (A as k x m, B as n x k) and passed as a view `.T`, so OpenBLAS receives
it as a transpose flag, exactly as the Swift side does. Threads are set with threadpoolctl
when it is installed, else by running this script again with OPENBLAS_NUM_THREADS.

OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are removed from the environment before NumPy
loads, so OpenBLAS picks its kernel for this CPU by itself; the kernel it chose is printed.

Output: one JSON object on stdout with "numpy", "blas" (threadpoolctl's description of the
BLAS library, when available) and "results", a list of the cases with "threads" and
"gflops" (the median over the repetitions, after one warm-up call).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

# OpenBLAS reads these when it loads: drop them before importing NumPy.
for variable in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
    os.environ.pop(variable, None)

import numpy as np  # noqa: E402

DEFAULT_CASES = [
    {"m": 512, "k": 512, "n": 512, "transposeA": False, "transposeB": False},
    {"m": 1024, "k": 1024, "n": 1024, "transposeA": False, "transposeB": False},
]


def time_case(case, repetitions, rng):
    """Median GFLOP/s of op(A) @ op(B) over `repetitions` calls."""
    m, k, n = case["m"], case["k"], case["n"]
    a = rng.standard_normal((k, m) if case["transposeA"] else (m, k), dtype=np.float32)
    b = rng.standard_normal((n, k) if case["transposeB"] else (k, n), dtype=np.float32)
    op_a = a.T if case["transposeA"] else a
    op_b = b.T if case["transposeB"] else b
    out = np.empty((m, n), dtype=np.float32)
    np.matmul(op_a, op_b, out=out)  # warm-up: page in the output, start the threads
    seconds = []
    for _ in range(repetitions):
        start = time.perf_counter()
        np.matmul(op_a, op_b, out=out)
        seconds.append(time.perf_counter() - start)
    return 2.0 * m * n * k / statistics.median(seconds) / 1e9


def blas_info():
    """threadpoolctl's description of the loaded BLAS (architecture = OpenBLAS kernel)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return None
    return [
        {key: entry.get(key) for key in ("internal_api", "version", "architecture", "threading_layer", "filepath")}
        for entry in threadpool_info()
        if entry.get("user_api") == "blas"
    ]


def run(cases, threads, repetitions):
    """Results for every case at every thread count."""
    rng = np.random.default_rng(0)
    results = []
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        threadpool_limits = None
    for count in threads:
        if threadpool_limits is not None:
            with threadpool_limits(limits=count, user_api="blas"):
                figures = [time_case(case, repetitions, rng) for case in cases]
        elif os.environ.get("OPENBLAS_NUM_THREADS") == str(count):
            figures = [time_case(case, repetitions, rng) for case in cases]
        else:
            # Without threadpoolctl the thread count is fixed when OpenBLAS loads: ask a
            # fresh interpreter that starts with OPENBLAS_NUM_THREADS set.
            environment = dict(os.environ, OPENBLAS_NUM_THREADS=str(count))
            output = subprocess.run(
                [sys.executable, __file__, "--threads", str(count), "--repetitions", str(repetitions),
                 "--cases", json.dumps(cases)],
                env=environment, check=True, capture_output=True, text=True).stdout
            figures = [entry["gflops"] for entry in json.loads(output)["results"]]
        results += [dict(case, threads=count, gflops=figure) for case, figure in zip(cases, figures)]
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", help="JSON list of {m, k, n, transposeA, transposeB}")
    parser.add_argument("--threads", default="1", help="comma-separated thread counts")
    parser.add_argument("--repetitions", type=int, default=5)
    arguments = parser.parse_args()
    cases = json.loads(arguments.cases) if arguments.cases else DEFAULT_CASES
    threads = [int(text) for text in arguments.threads.split(",")]
    results = run(cases, threads, max(1, arguments.repetitions))
    print(json.dumps({"numpy": np.__version__, "blas": blas_info(), "results": results}))


if __name__ == "__main__":
    main()

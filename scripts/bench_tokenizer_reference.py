#!/usr/bin/env python3
"""Times the reference BERT tokenizers on a text file, for Benchmarks/TokenizerBenchmark.

    python3 scripts/bench_tokenizer_reference.py --vocab VOCAB --text FILE [--repeats N] [--python-fraction F]
                                                 [--cased]

Encodes every line of FILE with [CLS]/[SEP], single-threaded, and prints one JSON object per tokenizer:
{"name", "seconds": [one per repeat], "tokens", "bytes"}. Seconds are the CPU time of the calling thread
(time.thread_time), which a busy shared machine disturbs far less than wall-clock time. The Rust
tokenizer (tokenizers, through
transformers' BertTokenizer) encodes all lines with encode_batch with parallelism switched off; the
original Python tokenizer (BertTokenizerLegacy) is timed on the first --python-fraction of the lines
(0.05 by default; it is about two orders of magnitude slower), and its bytes and tokens are those of that part.
Prints nothing and exits 2 if transformers or tokenizers are missing.
"""

import argparse
import json
import os
import sys
import time

os.environ["TOKENIZERS_PARALLELISM"] = "false"
os.environ["RAYON_NUM_THREADS"] = "1"
os.environ["RAYON_RS_NUM_CPUS"] = "1"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--vocab", required=True)
    parser.add_argument("--text", required=True)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--python-fraction", type=float, default=0.05)
    parser.add_argument("--cased", action="store_true")
    args = parser.parse_args()
    try:
        import warnings
        warnings.filterwarnings("ignore")
        from transformers import BertTokenizer, BertTokenizerLegacy
        from transformers.utils import logging as hf_logging
        hf_logging.set_verbosity_error()
    except ImportError:
        sys.exit(2)

    with open(args.text, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    with open(args.vocab, encoding="utf-8") as f:
        vocab = {line.rstrip("\n"): i for i, line in enumerate(f)}
    lowercase = not args.cased

    rust = BertTokenizer(vocab=vocab, do_lower_case=lowercase).backend_tokenizer
    seconds, tokens = [], 0
    for _ in range(args.repeats):
        start = time.thread_time()
        encodings = rust.encode_batch(lines, add_special_tokens=True)
        seconds.append(time.thread_time() - start)
        tokens = sum(len(e.ids) for e in encodings)
    total_bytes = sum(len(line.encode("utf-8")) + 1 for line in lines)
    print(json.dumps({"name": "tokenizers (Rust)", "seconds": seconds, "tokens": tokens, "bytes": total_bytes}))
    sys.stdout.flush()

    python = BertTokenizerLegacy(args.vocab, do_lower_case=lowercase)
    part = lines[: max(1, int(len(lines) * args.python_fraction))]
    seconds, tokens = [], 0
    for _ in range(min(args.repeats, 3)):
        start = time.thread_time()
        tokens = sum(len(python(line)["input_ids"]) for line in part)
        seconds.append(time.thread_time() - start)
    part_bytes = sum(len(line.encode("utf-8")) + 1 for line in part)
    print(json.dumps({"name": "transformers Python", "seconds": seconds, "tokens": tokens, "bytes": part_bytes}))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""PyTorch eager reference for the model benchmark: BertModel inference on CPU.

    python3 scripts/bench_inference_torch.py [--runs 7] [--threads 1,2] [--shapes minilm,base]
                                             [--attention sdpa|eager]
    python3 scripts/bench_inference_torch.py --serve [--shapes minilm,base] [--attention sdpa|eager]

The shapes `model-benchmark` times, with random weights (the values do not change the time):
  minilm  all-MiniLM-L6-v2's shape (6 layers, H 384, 12 heads, I 1536, V 30522), batch 8 x 128
  base    BERT-base (12 layers, H 768, 12 heads, I 3072, V 30522), batch 1 x 128
Each forward pass is `model(input_ids, attention_mask, token_type_ids)` under torch.inference_mode()
in eval mode (no dropout, no autograd), the pooler included, as `BertModel` runs it. One warm-up pass,
then --runs timed passes; prints one JSON line per (shape, threads) with every pass's time, the
median and the fastest, tokens per second at the median, and the versions. The attention defaults to transformers'
default implementation (sdpa); --attention eager selects the plain matmul-softmax-matmul one.

--serve is for `model-benchmark`, which pairs each of its passes with one of ours. The script builds
the models of --shapes as above (same seeds, same inputs), prints one JSON line
{"ready": true, "torch": ..., "transformers": ..., "attention": ...}, then reads requests from
standard input, one a line: `SHAPE THREADS [CPU]` runs one forward pass of that shape with that many
threads and answers {"seconds": t}, timing the model call alone; with CPU, the calling thread (the
only one a single-threaded pass uses) runs on that CPU for the pass, as the benchmark's own pass of
the pair does. A request it cannot run gets {"error": ...}. `quit` or the end of the input ends it.
--runs and --threads do not apply there.
"""

import argparse
import json
import os
import statistics
import sys
import time

SHAPES = {
    "minilm": (dict(num_hidden_layers=6, hidden_size=384, num_attention_heads=12, intermediate_size=1536), 8, 128),
    "base": (dict(num_hidden_layers=12, hidden_size=768, num_attention_heads=12, intermediate_size=3072), 1, 128),
}


def build(name, attention):
    """The model of shape `name` in eval mode and its inputs; the weights come from torch's global seed."""
    import torch
    from transformers import BertConfig, BertModel

    sizes, batch, length = SHAPES[name]
    config = BertConfig(**sizes)
    model = BertModel(config, add_pooling_layer=True).eval()
    model.set_attn_implementation(attention)
    generator = torch.Generator().manual_seed(1)
    ids = torch.randint(1000, 29000, (batch, length), generator=generator)
    inputs = dict(input_ids=ids, attention_mask=torch.ones_like(ids), token_type_ids=torch.zeros_like(ids))
    return model, inputs, batch, length


def build_all(args):
    """Yields (name, model, inputs, batch, length) for each of --shapes in order, after one seeding.

    Lazily: standalone mode builds each model only when it comes to time it. Both modes see the same
    weights, since each model takes the next draws of torch's global generator and nothing between
    two builds draws from it (the timed passes run in eval mode, without dropout).
    """
    import torch

    torch.manual_seed(0)
    for name in args.shapes.split(","):
        yield (name, *build(name, args.attention))


def versions(args):
    """The versions and the attention implementation, for the JSON lines."""
    import torch
    import transformers

    return {"torch": torch.__version__, "transformers": transformers.__version__, "attention": args.attention}


def run_once(args) -> None:
    """Times --runs passes per shape and thread count and prints one JSON line for each."""
    import torch

    described = versions(args)
    for name, model, inputs, batch, length in build_all(args):
        for threads in [int(t) for t in args.threads.split(",")]:
            torch.set_num_threads(threads)
            with torch.inference_mode():
                model(**inputs)
                times = []
                for _ in range(args.runs):
                    start = time.perf_counter()
                    model(**inputs)
                    times.append(time.perf_counter() - start)
            median = statistics.median(times)
            print(json.dumps({
                "shape": name, "threads": threads, "batch": batch, "length": length,
                "median_seconds": median, "fastest_seconds": min(times), "runs": len(times), "times_seconds": times,
                "tokens_per_second": batch * length / median, **described,
            }), flush=True)


def answer(request, models):
    """The reply to one request line: one timed forward pass, or why it cannot run."""
    import torch

    words = request.split()
    if len(words) not in (2, 3) or not all(word.isdigit() for word in words[1:]) or int(words[1]) < 1:
        return {"error": f"expected 'SHAPE THREADS [CPU]' or 'quit', got {request.strip()!r}"}
    name, threads = words[0], int(words[1])
    cpu = int(words[2]) if len(words) == 3 else None
    if name not in models:
        return {"error": f"unknown shape {name!r}: this server built {', '.join(models)}"}
    allowed = os.sched_getaffinity(0)
    if cpu is not None and cpu not in allowed:
        return {"error": f"CPU {cpu} is not among this process's CPUs {sorted(allowed)}"}
    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)
    model, inputs = models[name]
    if cpu is not None:
        os.sched_setaffinity(0, {cpu})
    try:
        start = time.perf_counter()
        model(**inputs)
        return {"seconds": time.perf_counter() - start}
    finally:
        if cpu is not None:
            os.sched_setaffinity(0, allowed)


def serve(args) -> None:
    """Builds the models of --shapes, says it is ready, then answers requests until `quit` or the end of input."""
    import torch

    models = {name: (model, inputs) for name, model, inputs, _, _ in build_all(args)}
    print(json.dumps({"ready": True, **versions(args)}), flush=True)
    with torch.inference_mode():
        for request in iter(sys.stdin.readline, ""):
            if request.strip() == "quit":
                break
            print(json.dumps(answer(request, models)), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--attention", default="sdpa", choices=["sdpa", "eager"])
    parser.add_argument("--shapes", default="minilm,base")
    parser.add_argument("--serve", action="store_true", help="answer one timed pass per request line (see above)")
    args = parser.parse_args()
    if args.serve:
        serve(args)
    else:
        run_once(args)


if __name__ == "__main__":
    main()

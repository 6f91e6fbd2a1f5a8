#!/usr/bin/env python3
"""PyTorch eager reference for the model benchmark: BertModel inference on CPU.

    python3 scripts/bench_inference_torch.py [--runs 7] [--threads 1,2] [--attention sdpa|eager]

The shapes `model-benchmark` times, with random weights (the values do not change the time):
  minilm  all-MiniLM-L6-v2's shape (6 layers, H 384, 12 heads, I 1536, V 30522), batch 8 x 128
  base    BERT-base (12 layers, H 768, 12 heads, I 3072, V 30522), batch 1 x 128
Each forward pass is `model(input_ids, attention_mask, token_type_ids)` under torch.inference_mode()
in eval mode (no dropout, no autograd), the pooler included, as `BertModel` runs it. One warm-up pass,
then --runs timed passes; prints one JSON line per (shape, threads) with every pass's time, the
median and the fastest, tokens per second at the median, and the versions. The attention defaults to transformers'
default implementation (sdpa); --attention eager selects the plain matmul-softmax-matmul one.
"""

import argparse
import json
import statistics
import time

SHAPES = {
    "minilm": (dict(num_hidden_layers=6, hidden_size=384, num_attention_heads=12, intermediate_size=1536), 8, 128),
    "base": (dict(num_hidden_layers=12, hidden_size=768, num_attention_heads=12, intermediate_size=3072), 1, 128),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--attention", default="sdpa", choices=["sdpa", "eager"])
    parser.add_argument("--shapes", default="minilm,base")
    args = parser.parse_args()

    import torch
    import transformers
    from transformers import BertConfig, BertModel

    torch.manual_seed(0)
    for name in args.shapes.split(","):
        sizes, batch, length = SHAPES[name]
        config = BertConfig(**sizes)
        model = BertModel(config, add_pooling_layer=True).eval()
        model.set_attn_implementation(args.attention)
        generator = torch.Generator().manual_seed(1)
        ids = torch.randint(1000, 29000, (batch, length), generator=generator)
        inputs = dict(input_ids=ids, attention_mask=torch.ones_like(ids), token_type_ids=torch.zeros_like(ids))
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
                "tokens_per_second": batch * length / median, "attention": args.attention,
                "torch": torch.__version__, "transformers": transformers.__version__,
            }), flush=True)


if __name__ == "__main__":
    main()

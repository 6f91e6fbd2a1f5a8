#!/usr/bin/env python3
"""PyTorch eager reference for the training benchmark: BertForMaskedLM + AdamW on CPU.

    python3 scripts/bench_training_torch.py --config tiny|mini [--steps 5] [--threads 2] [--batch 16] [--sequence 128]
    python3 scripts/bench_training_torch.py --gemm [--threads 2]

One full step is what the Swift benchmark times: forward with masked-LM labels (15% of the
positions, 80/10/10, -100 elsewhere), backward, clip_grad_norm_(1.0), AdamW.step (lr 5e-5,
weight decay 0.01 off for biases and LayerNorm weights, as the Trainer groups them),
zero_grad. Batch --batch x --sequence random tokens (16 x 128 by default, as the Swift
benchmark uses), dropout on (model.train()). As the reference
implementation does, the MLM decoder runs at every position.

Prints one JSON object: tokens per second (median step time over the timed steps), the
median CPU seconds per step (user + system, all threads), the process's peak resident memory (ru_maxrss, the same figure as VmHWM), and the versions.
Run each configuration in its own process so the peak belongs to it alone.

--gemm prints NumPy's float32 matmul rate (2048^3) with the given number of BLAS threads,
the machine's GEMM figure the benchmark compares against (it needs numpy, not torch).
"""

import argparse
import json
import os
import resource
import statistics
import sys
import time

CONFIGS = {
    "tiny": dict(num_hidden_layers=2, hidden_size=128, num_attention_heads=2, intermediate_size=512),
    "mini": dict(num_hidden_layers=4, hidden_size=256, num_attention_heads=4, intermediate_size=1024),
}


def peak_memory_mb():
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def gemm(threads):
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = str(threads)
    import numpy as np

    n = 2048
    rng = np.random.default_rng(1)
    a = rng.standard_normal((n, n), dtype=np.float32)
    b = rng.standard_normal((n, n), dtype=np.float32)
    a @ b
    times = []
    for _ in range(5):
        start = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - start)
    flops = 2.0 * n * n * n
    print(json.dumps({"numpy_gflops": flops / statistics.median(times) / 1e9, "threads": threads, "size": n,
                      "numpy": np.__version__}))


def train(config_name, steps, threads, batch, length):
    import torch
    import transformers
    from transformers import BertConfig, BertForMaskedLM

    torch.set_num_threads(threads)
    torch.manual_seed(0)
    config = BertConfig(vocab_size=30522, max_position_embeddings=512, **CONFIGS[config_name])
    model = BertForMaskedLM(config)
    model.train()

    decay, no_decay = [], []
    for name, parameter in model.named_parameters():
        (no_decay if ("bias" in name or "LayerNorm" in name) else decay).append(parameter)
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
        lr=5e-5, betas=(0.9, 0.999), eps=1e-8)

    generator = torch.Generator().manual_seed(1)
    special = 5  # ids 0..4 stand for [PAD] [UNK] [CLS] [SEP] [MASK]
    ids = torch.randint(special, config.vocab_size, (batch, length), generator=generator)
    ids[:, 0] = 2
    ids[:, -1] = 3
    labels = ids.clone()
    chosen = torch.rand(batch, length, generator=generator) < 0.15
    chosen[:, 0] = False
    chosen[:, -1] = False
    labels[~chosen] = -100
    draw = torch.rand(batch, length, generator=generator)
    inputs = ids.clone()
    inputs[chosen & (draw < 0.8)] = 4
    random_tokens = torch.randint(config.vocab_size, (batch, length), generator=generator)
    replace = chosen & (draw >= 0.8) & (draw < 0.9)
    inputs[replace] = random_tokens[replace]
    attention = torch.ones(batch, length, dtype=torch.long)

    def step():
        loss = model(input_ids=inputs, attention_mask=attention, labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        return loss.item()

    for _ in range(2):
        step()
    times, cpu_times = [], []
    for _ in range(steps):
        start, cpu_start = time.perf_counter(), time.process_time()
        step()
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
    seconds = statistics.median(times)
    print(json.dumps({
        "config": config_name, "threads": threads, "batch": batch, "sequence": length,
        "step_seconds": seconds, "cpu_seconds": statistics.median(cpu_times),
        "step_times": times, "cpu_times": cpu_times,
        "tokens_per_second": batch * length / seconds,
        "peak_memory_mb": peak_memory_mb(), "torch": torch.__version__,
        "transformers": transformers.__version__,
    }))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", choices=sorted(CONFIGS))
    parser.add_argument("--gemm", action="store_true")
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--sequence", type=int, default=128)
    args = parser.parse_args()
    if args.gemm:
        gemm(args.threads)
    elif args.config:
        train(args.config, args.steps, args.threads, args.batch, args.sequence)
    else:
        parser.error("give --config or --gemm")


if __name__ == "__main__":
    sys.exit(main())

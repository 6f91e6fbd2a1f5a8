#!/usr/bin/env python3
"""Writes the reference outputs the command-line tests compare `bert fill-mask` against.

The reference is transformers' own fill-mask pipeline (PyTorch, CPU) on the tiny random-weight
masked-LM checkpoint that make_model_fixtures.py saved (Tests/BERTTests/Fixtures/tiny-masked-lm).
Its weights are random, so the guesses mean nothing, but every step of the pipeline (tokenizing,
finding the masks, softmax, top-k, decoding `token_str` and `sequence`) is exercised, with one
[MASK] and with two.

Output: Tests/BERTTests/Fixtures/fill-mask/reference.json
  {"checkpoint": "tiny-masked-lm", "top_k": 5,
   "cases": [{"text": ..., "predictions": <the pipeline's output, as it returns it>}, ...]}

Run: python3 scripts/make_cli_fixtures.py  (needs torch and transformers)
"""

import json
from pathlib import Path

import torch
import transformers
from transformers import AutoTokenizer, BertForMaskedLM, pipeline

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests" / "BERTTests" / "Fixtures"
TOP_K = 5

TEXTS = [
    "the cat sat on the [MASK] .",
    "She saw a red [MASK] in the tree!",
    "[MASK] dog ran to the park",
    "the [MASK] was happy and the [MASK] was sad .",
]


def main() -> None:
    torch.set_num_threads(1)
    folder = FIXTURES / "tiny-masked-lm"
    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    model = BertForMaskedLM.from_pretrained(str(folder), attn_implementation="eager").eval()
    fill = pipeline("fill-mask", model=model, tokenizer=tokenizer, device="cpu")
    cases = []
    for text in TEXTS:
        predictions = fill(text, top_k=TOP_K)
        cases.append({"text": text, "predictions": predictions})
        print(text)
        for row in predictions if isinstance(predictions[0], dict) else [p for group in predictions for p in group]:
            print(f"  {row['score']:.6f} {row['token']:3d} {row['token_str']!r:12} {row['sequence']!r}")
    out = FIXTURES / "fill-mask"
    out.mkdir(parents=True, exist_ok=True)
    document = {
        "checkpoint": "tiny-masked-lm",
        "top_k": TOP_K,
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__},
        "cases": cases,
    }
    (out / "reference.json").write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {(out / 'reference.json').relative_to(ROOT)}")


if __name__ == "__main__":
    main()

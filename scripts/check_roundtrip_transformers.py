#!/usr/bin/env python3
"""Checks that checkpoints saved by this package load in transformers and give the same outputs.

Steps:
  1. Runs the Swift test TransformersExportTests with BERT_EXPORT_DIR set, which writes one folder per
     architecture (BertModel, BertForMaskedLM, BertForPreTraining, BertForNextSentencePrediction,
     BertForSequenceClassification, BertForTokenClassification, BertForQuestionAnswering): a tiny model
     with seeded random weights saved by `savePretrained` (config.json, model.safetensors, vocab.txt,
     tokenizer_config.json) and swift_outputs.json (a padded batch and the Swift outputs for it).
     With --from DIR, uses folders an earlier run wrote instead.
  2. Loads each folder with `<architecture>.from_pretrained` (eager attention, eval mode), requiring no
     missing and no unexpected keys, and the tokenizer with AutoTokenizer (its ids for a sentence must
     equal the Swift tokenizer's).
  3. Runs the batch and prints the largest |difference| of every output; fails above 1e-5.

Run: python3 scripts/check_roundtrip_transformers.py [--from DIR] [--scratch-path .build-x]
(needs torch and transformers; step 1 builds the tests in release mode).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOLERANCE = 1e-5


def export(directory: Path, scratch_path: str | None) -> None:
    command = ["swift", "test", "-c", "release", "-Xswiftc", "-enable-testing",
               "--filter", "TransformersExportTests"]
    if scratch_path:
        command += ["--scratch-path", scratch_path]
    print("$ BERT_EXPORT_DIR=" + str(directory) + " " + " ".join(command), flush=True)
    subprocess.run(command, cwd=ROOT, env={**os.environ, "BERT_EXPORT_DIR": str(directory)}, check=True,
                   stdout=subprocess.DEVNULL)


def check(folder: Path) -> float:
    import torch
    import transformers
    from transformers import AutoTokenizer

    swift = json.loads((folder / "swift_outputs.json").read_text())
    architecture = swift["architecture"]
    model_class = getattr(transformers, architecture)
    model, info = model_class.from_pretrained(str(folder), output_loading_info=True, attn_implementation="eager")
    model.eval()
    problems = {key: value for key, value in info.items() if value and key != "error_msgs"}
    if problems or info.get("error_msgs"):
        raise SystemExit(f"{architecture}: transformers reports {info}")
    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    ids = tokenizer(swift["sentence"])["input_ids"]
    if ids != swift["sentence_ids"]:
        raise SystemExit(f"{architecture}: tokenizer ids {ids} differ from Swift's {swift['sentence_ids']}")

    inputs = {key: torch.tensor(value) for key, value in swift["inputs"].items()}
    with torch.no_grad():
        output = model(**inputs)
    worst = 0.0
    for name, expected in swift["outputs"].items():
        value = getattr(output, name)
        reference = torch.tensor(expected["values"], dtype=torch.float64).reshape(expected["shape"])
        if list(value.shape) != expected["shape"]:
            raise SystemExit(f"{architecture} {name}: transformers {list(value.shape)}, Swift {expected['shape']}")
        difference = (value.double() - reference).abs().max().item()
        worst = max(worst, difference)
        print(f"  {architecture:32} {name:24} {str(list(value.shape)):14} max |difference| {difference:.3g}")
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--from", dest="source", help="folders written by an earlier export")
    parser.add_argument("--scratch-path", help="passed to swift test")
    args = parser.parse_args()
    import torch
    import transformers

    torch.set_num_threads(1)
    print(f"torch {torch.__version__}, transformers {transformers.__version__}")
    with tempfile.TemporaryDirectory(prefix="bert-export-") as temporary:
        directory = Path(args.source) if args.source else Path(temporary)
        if not args.source:
            export(directory, args.scratch_path)
        folders = sorted(p for p in directory.iterdir() if (p / "swift_outputs.json").exists())
        if not folders:
            raise SystemExit(f"no exported checkpoints in {directory}")
        worst = max(check(folder) for folder in folders)
    print(f"{len(folders)} architectures: largest |difference| between Swift and transformers {worst:.3g} "
          f"(tolerance {TOLERANCE:g})")
    sys.exit(0 if worst <= TOLERANCE else 1)


if __name__ == "__main__":
    main()

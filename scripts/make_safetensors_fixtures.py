#!/usr/bin/env python3
"""Writes the reference safetensors files that Tests/SafeTensorsTests reads.

The files are written by the reference library (`safetensors.torch.save_file`), and the
expected values are recorded beside them as JSON, floats as their Float32 bit patterns so
that infinities, NaN, negative zero and subnormals compare exactly.

Outputs (Tests/SafeTensorsTests/Fixtures/):
  dtypes.safetensors   one tensor each of F32, F16, BF16, F64, I64, I32, U8 and BOOL,
                       holding edge values (subnormals, infinities, NaN, -0, extremes)
  dtypes.json          per tensor: dtype, shape and the values as torch converts them
                       (floats: `float32_bits`; integers: `values`), plus the file order
  sorted_f32.safetensors  F32 tensors (a scalar and an empty one included) saved with
                       metadata {"format": "pt"}; a writer given the same tensors sorted
                       by name must produce these exact bytes
  sorted_f32.json      names (in sorted order), shapes and values of those tensors

Run: python3 scripts/make_safetensors_fixtures.py   (needs torch and safetensors)
"""

import json
import struct
from pathlib import Path

import torch
from safetensors.torch import save_file

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests" / "SafeTensorsTests" / "Fixtures"

# One key only: the reference keeps metadata in a hash map, so with several keys their order in
# the header (and the file's bytes) would change from run to run.
METADATA = {"format": "pt"}

INF = float("inf")
NAN = float("nan")


def float32_bits(t: torch.Tensor) -> list[int]:
    """The Float32 bit patterns of `t` converted to float32 by torch (exact for F16/BF16)."""
    return [int(b) & 0xFFFFFFFF for b in t.to(torch.float32).contiguous().view(torch.int32).flatten().tolist()]


def header_order(path: Path) -> list[str]:
    """Tensor names in the order of their data offsets, read straight from the header."""
    raw = path.read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    header.pop("__metadata__", None)
    return [name for name, _ in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"])]


def dtypes_fixture() -> None:
    tensors = {
        "f32": torch.tensor(
            [[0.0, -0.0, 1.5, -2.25], [3.4028234663852886e38, 1.401298464324817e-45, INF, NAN]],
            dtype=torch.float32,
        ),
        # F16 edge values: max normal, smallest normal 2^-14, smallest subnormal 2^-24, the
        # largest subnormal, 0.1 and 1/3 (rounded), infinities, NaN and both zeros.
        "f16": torch.tensor(
            [1.0, -2.0, 65504.0, 2.0**-14, 2.0**-24, 1023 * 2.0**-24, 0.1, 1 / 3, INF, -INF, NAN, -0.0],
            dtype=torch.float16,
        ),
        # BF16: max, smallest normal 2^-126, a subnormal 2^-133, 0.1 (rounded), infinities, NaN.
        "bf16": torch.tensor(
            [[1.0, -1.5, 3.3895313892515355e38, 2.0**-126, 2.0**-133], [0.1, INF, -INF, NAN, -0.0]],
            dtype=torch.bfloat16,
        ),
        "f64": torch.tensor([0.1, -2.5, 1e300], dtype=torch.float64),
        "i64": torch.tensor([[0, 1, -1], [2**40, -(2**62), 2**63 - 1]], dtype=torch.int64),
        "i32": torch.tensor([-(2**31), 7, 2**31 - 1], dtype=torch.int32),
        "u8": torch.tensor([0, 128, 255], dtype=torch.uint8),
        "bool": torch.tensor([True, False, True], dtype=torch.bool),
    }
    path = OUT / "dtypes.safetensors"
    save_file(tensors, str(path), metadata=METADATA)
    names = {
        torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64",
        torch.int64: "I64", torch.int32: "I32", torch.uint8: "U8", torch.bool: "BOOL",
    }
    expected = {}
    for name, t in tensors.items():
        entry = {"dtype": names[t.dtype], "shape": list(t.shape)}
        if t.dtype.is_floating_point:
            entry["float32_bits"] = float32_bits(t)
        else:
            entry["values"] = [int(v) for v in t.flatten().tolist()]
        expected[name] = entry
    document = {
        "metadata": METADATA,
        "file_order": header_order(path),
        "tensors": expected,
    }
    (OUT / "dtypes.json").write_text(json.dumps(document, indent=1) + "\n")


def sorted_f32_fixture() -> None:
    generator = torch.Generator().manual_seed(0)
    tensors = {
        "bert.embeddings.LayerNorm.weight": torch.randn(4, generator=generator),
        "bert.pooler.dense.weight": torch.randn(2, 3, generator=generator),
        "cls.predictions.bias": torch.randn(5, generator=generator),
        "empty": torch.zeros(0, 3),
        "scalar": torch.tensor(-0.75),
        "z \"quoted\" name": torch.randn(1, 1, 2, generator=generator),
    }
    save_file(tensors, str(OUT / "sorted_f32.safetensors"), metadata=METADATA)
    document = {
        "metadata": METADATA,
        "tensors": [
            {"name": name, "shape": list(tensors[name].shape), "float32_bits": float32_bits(tensors[name])}
            for name in sorted(tensors)
        ],
    }
    (OUT / "sorted_f32.json").write_text(json.dumps(document, indent=1) + "\n")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    dtypes_fixture()
    sorted_f32_fixture()
    for path in sorted(OUT.glob("*")):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()

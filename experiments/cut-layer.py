#!/usr/bin/env python3
"""Copies a model directory with one encoder layer cut out: a known answer for --depth-align.

    cut-layer.py SRC_DIR LAYER OUT_DIR

Tensors named '...layer.N...' with N > LAYER move down one index, LAYER's are left out, and
config.json's num_hidden_layers drops by one. Plain Python (json, struct): the safetensors
header is rewritten and the tensor bytes copied unchanged.
"""
import json
import os
import re
import struct
import sys

src, cut, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
layer = re.compile(r"(^|\.)layer\.(\d+)\.")

with open(os.path.join(src, "model.safetensors"), "rb") as f:
    n = struct.unpack("<Q", f.read(8))[0]
    header = json.loads(f.read(n))
    data = f.read()

tensors = []
for name, entry in header.items():
    if name == "__metadata__":
        continue
    m = layer.search(name)
    if m:
        index = int(m.group(2))
        if index == cut:
            continue
        if index > cut:
            name = name[:m.start(2)] + str(index - 1) + name[m.end(2):]
    begin, end = entry["data_offsets"]
    tensors.append((name, entry["dtype"], entry["shape"], data[begin:end]))

new_header, offset = {}, 0
for name, dtype, shape, raw in tensors:
    new_header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
    offset += len(raw)
encoded = json.dumps(new_header, separators=(",", ":")).encode()
encoded += b" " * (-len(encoded) % 8)

os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "model.safetensors"), "wb") as f:
    f.write(struct.pack("<Q", len(encoded)))
    f.write(encoded)
    for _, _, _, raw in tensors:
        f.write(raw)
with open(os.path.join(src, "config.json")) as f:
    config = json.load(f)
config["num_hidden_layers"] -= 1
with open(os.path.join(out, "config.json"), "w") as f:
    json.dump(config, f, indent=2)

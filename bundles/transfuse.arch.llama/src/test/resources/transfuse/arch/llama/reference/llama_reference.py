#!/usr/bin/env python3
"""HF LlamaForCausalLM's forward pass in float64 NumPy, the reference of LlamaReferenceForwardTest.

  llama_reference.py generate DIR   writes a small random model (config.json, model.safetensors),
                                    input_ids.npy, attention_mask.npy and expected_logits.npy
  llama_reference.py forward DIR OUT.npy
                                    recomputes the logits of DIR's model on its inputs

Follows transformers' modeling_llama.py: RMSNorm x / sqrt(mean(x^2) + eps) * w; rotary embeddings
in the rotate-half convention (cos/sin of [freqs, freqs], freqs = position * theta^(-2j/hd));
query head h reads KV head h // (heads / kv_heads) (repeat_kv); scores q k^T / sqrt(hd) with the
causal and padding mask; SwiGLU down(silu(gate(x)) * up(x)); final norm; lm_head (or the tied
embedding matrix). No torch needed; numpy 2.x.
"""
import json
import struct
import sys
from pathlib import Path

import numpy as np


def read_safetensors(path):
    raw = Path(path).read_bytes()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        a, b = e["data_offsets"]
        assert e["dtype"] == "F32", name
        out[name] = np.frombuffer(raw[8 + n + a:8 + n + b], dtype="<f4").reshape(e["shape"]).astype(np.float64)
    return out


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        b = np.ascontiguousarray(t, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    Path(path).write_bytes(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def rms_norm(x, w, eps):
    return x / np.sqrt((x * x).mean(-1, keepdims=True) + eps) * w


def rotate(x, theta):
    """x [B, heads, T, hd]: x * cos + rotate_half(x) * sin at positions 0 .. T-1."""
    t, hd = x.shape[2], x.shape[3]
    freqs = np.arange(t, dtype=np.float64)[:, None] * theta ** (-np.arange(0, hd, 2, dtype=np.float64) / hd)[None, :]
    emb = np.concatenate([freqs, freqs], -1)
    rotated = np.concatenate([-x[..., hd // 2:], x[..., :hd // 2]], -1)
    return x * np.cos(emb) + rotated * np.sin(emb)


def forward(cfg, w, ids, mask):
    d, heads, kv = cfg["hidden_size"], cfg["num_attention_heads"], cfg.get("num_key_value_heads", cfg["num_attention_heads"])
    hd, eps, theta = d // heads, cfg.get("rms_norm_eps", 1e-6), cfg.get("rope_theta", 10000.0)
    b, t = ids.shape
    h = w["model.embed_tokens.weight"][ids]
    causal = np.tril(np.ones((t, t), dtype=bool))
    allowed = causal[None, None, :, :] & (mask[:, None, None, :] != 0)
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        x = rms_norm(h, w[p + "input_layernorm.weight"], eps)
        q = (x @ w[p + "self_attn.q_proj.weight"].T).reshape(b, t, heads, hd).transpose(0, 2, 1, 3)
        k = (x @ w[p + "self_attn.k_proj.weight"].T).reshape(b, t, kv, hd).transpose(0, 2, 1, 3)
        v = (x @ w[p + "self_attn.v_proj.weight"].T).reshape(b, t, kv, hd).transpose(0, 2, 1, 3)
        q, k = rotate(q, theta), rotate(k, theta)
        k, v = np.repeat(k, heads // kv, axis=1), np.repeat(v, heads // kv, axis=1)
        s = np.where(allowed, q @ k.transpose(0, 1, 3, 2) / np.sqrt(hd), -np.inf)
        s = np.exp(s - s.max(-1, keepdims=True))
        ctx = (s / s.sum(-1, keepdims=True)) @ v
        h = h + ctx.transpose(0, 2, 1, 3).reshape(b, t, heads * hd) @ w[p + "self_attn.o_proj.weight"].T
        x = rms_norm(h, w[p + "post_attention_layernorm.weight"], eps)
        gate = x @ w[p + "mlp.gate_proj.weight"].T
        act = gate / (1 + np.exp(-gate)) * (x @ w[p + "mlp.up_proj.weight"].T)
        h = h + act @ w[p + "mlp.down_proj.weight"].T
    h = rms_norm(h, w["model.norm.weight"], eps)
    head = w["model.embed_tokens.weight"] if cfg.get("tie_word_embeddings", False) else w["lm_head.weight"]
    return h @ head.T


def generate(out):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    cfg = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 16, "num_hidden_layers": 2,
           "num_attention_heads": 4, "num_key_value_heads": 2, "intermediate_size": 40, "hidden_act": "silu",
           "max_position_embeddings": 32, "rms_norm_eps": 1e-5, "rope_theta": 100.0, "attention_bias": False,
           "mlp_bias": False, "vocab_size": 50, "tie_word_embeddings": False}
    rng = np.random.default_rng(20261203)
    d, i, v, kv = 16, 40, 50, 2 * 4
    w = {"model.embed_tokens.weight": rng.normal(0, 1, (v, d))}
    for n in range(2):
        p = f"model.layers.{n}."
        w[p + "input_layernorm.weight"] = 1 + rng.normal(0, 0.2, d)
        for name, shape in [("self_attn.q_proj", (d, d)), ("self_attn.k_proj", (kv, d)), ("self_attn.v_proj", (kv, d)),
                            ("self_attn.o_proj", (d, d))]:
            w[p + name + ".weight"] = rng.normal(0, 0.4, shape)
        w[p + "post_attention_layernorm.weight"] = 1 + rng.normal(0, 0.2, d)
        for name, shape in [("mlp.gate_proj", (i, d)), ("mlp.up_proj", (i, d)), ("mlp.down_proj", (d, i))]:
            w[p + name + ".weight"] = rng.normal(0, 0.3, shape)
    w["model.norm.weight"] = 1 + rng.normal(0, 0.2, d)
    w["lm_head.weight"] = rng.normal(0, 0.5, (v, d))
    w = {k: a.astype(np.float32) for k, a in w.items()}
    (out / "config.json").write_text(json.dumps(cfg, indent=2) + "\n")
    write_safetensors(out / "model.safetensors", w)
    ids = rng.integers(0, v, (3, 12)).astype(np.int64)
    mask = np.ones((3, 12), dtype=np.int64)
    mask[1, 9:] = 0
    mask[2, 5:] = 0
    np.save(out / "input_ids.npy", ids)
    np.save(out / "attention_mask.npy", mask)
    np.save(out / "expected_logits.npy", recompute(out))


def recompute(model):
    model = Path(model)
    cfg = json.loads((model / "config.json").read_text())
    ids = np.load(model / "input_ids.npy")
    mask = np.load(model / "attention_mask.npy")
    return forward(cfg, read_safetensors(model / "model.safetensors"), ids, mask)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "generate":
        generate(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "forward":
        np.save(sys.argv[3], recompute(sys.argv[2]))
    else:
        sys.exit("usage: llama_reference.py generate DIR | forward DIR OUT.npy")

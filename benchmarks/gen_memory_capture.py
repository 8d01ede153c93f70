"""Write a synthetic graph capture (tt-metal 2025-26 node schema, pretty-printed like
``ttnn.graph.end_graph_capture()`` dumps) of about N nodes, streamed to disk.

    python benchmarks/gen_memory_capture.py OUT.json --nodes 1000000 [--seed 0]

Each op is a composite frame (level 1) around a device operation (level 2) that allocates its output
(``create_device_tensor``, level 3), then one program (``circular_buffer_deallocate_all`` + 2-6 CBs,
some tensor-backed, on one or two core range sets), and a ``Tensor::deallocate`` freeing the output of
the op before (so L1 stays bounded); tensor and buffer identity nodes as in real captures. The figures
are synthetic; the node shapes follow tt-metal graph_l1_traces/README.md @ 8458ac2a §2.
Prints one JSON line: {"path", "nodes", "ops", "bytes", "seconds"}.
"""

from __future__ import annotations

import argparse
import json
import random
import time

RANGES = ("{[0-0 - 7-7]}", "{[0-0 - 10-9]}", "{[0-0 - 10-8], [0-9 - 3-9]}", "{[0-0 - 3-7]}", "{[4-0 - 7-7]}")
NAMES = ("ttnn.matmul", "ttnn.add", "ttnn.conv2d", "ttnn.softmax", "ttnn.layer_norm", "ttnn.to_layout")
DEVICE_OPS = ("MatmulDeviceOperation", "BinaryNgDeviceOperation", "Conv2dDeviceOperation", "SoftmaxDeviceOperation",
              "LayerNormDeviceOperation", "TilizeDeviceOperation")


def _node(counter: int, node_type: str, params, level: int, connections=(), inputs=(), **extra) -> dict:
    d = {"arguments": [], "connections": list(connections), "counter": counter, "input_tensors": list(inputs),
         "node_type": node_type, "params": params, "stacking_level": level}
    d.update(extra)
    return d


def _tensor(counter: int, tid: int, per_bank: int, level: int) -> dict:
    return _node(counter, "tensor", {
        "address": 0, "buffer_type": 1, "device_id": 1,
        "device_tensors": f"[{{\"address\":0,\"device_id\":0,\"mesh_device_id\":1,\"tensor_id\":{tid}}}]",
        "dtype": "DataType::BFLOAT16", "layout": "Layout::TILE",
        "memory_config": "MemoryConfig(memory_layout=TensorMemoryLayout::INTERLEAVED,buffer_type=BufferType::L1,"
                         "shard_spec=std::nullopt,nd_shard_spec=std::nullopt,created_with_nd_shard_spec=0)",
        "shape": f"Shape([1, 1, {per_bank // 64}, 2048])", "size": per_bank * 64, "tensor_id": tid}, level)


def _buffer(counter: int, event: str, per_bank: int, level: int) -> dict:
    return _node(counter, event, {"address": 0, "buffer_type": 1, "device_id": 1, "layout": "INTERLEAVED",
                                  "max_size_per_bank": per_bank, "num_cores": 0, "page_size": 2048,
                                  "size": per_bank * 64, "type": "L1"}, level)


def op_nodes(c: int, i: int, rng: random.Random, prev_out: int | None) -> list[dict]:
    k = rng.randrange(len(NAMES))
    out = 2048 * rng.randint(1, 40)
    n = [_node(c, "function_start", {"inputs": "2", "name": NAMES[k]}, 1, (c + 1,)),
         _node(c + 1, "function_start", {"inputs": "2", "name": DEVICE_OPS[k]}, 2, (c + 2,), (c + 2, c + 3)),
         _tensor(c + 2, 2 * i, out, 2), _tensor(c + 3, 2 * i + 1, out, 2),
         _node(c + 4, "function_start", {"inputs": "5", "name": "tt::tt_metal::create_device_tensor"}, 3, (c + 5,)),
         _node(c + 5, "buffer", {"buffer_type": 1, "device_id": 1, "layout": "INTERLEAVED", "size": out * 64,
                                 "type": "L1"}, 3, (c + 8,)),
         _buffer(c + 6, "buffer_allocate", out, 3),
         _node(c + 7, "function_end", {"name": "tt::tt_metal::create_device_tensor"}, 3, (c + 8,)),
         _tensor(c + 8, 2 * i + 2, out, 3),
         _node(c + 9, "circular_buffer_deallocate_all", {"device_id": 1}, 2)]
    c += 10
    split = rng.random() < 0.3
    for j in range(rng.randint(2, 6)):
        crs = RANGES[3 + (j % 2)] if split else RANGES[k % 3]
        n.append(_node(c, "circular_buffer_allocate", {
            "address": 0, "core_range_set": crs, "device_id": 1, "globally_allocated": "1" if j == 0 and k == 1 else "0",
            "size": 2048 * rng.randint(1, 64)}, 2))
        c += 1
    n += [_node(c, "function_end", {"name": DEVICE_OPS[k]}, 2, (c + 1,), duration_ns=rng.randint(10_000, 900_000)),
          _tensor(c + 1, 2 * i + 2, out, 2),
          _node(c + 2, "function_end", {"name": NAMES[k]}, 1, (c + 3,), duration_ns=rng.randint(10_000, 900_000)),
          _tensor(c + 3, 2 * i + 2, out, 1)]
    c += 4
    if prev_out is not None:
        n += [_node(c, "function_start", {"inputs": "0", "name": "Tensor::deallocate"}, 1, (c + 1,)),
              _buffer(c + 1, "buffer_deallocate", prev_out, 1),
              _node(c + 2, "function_end", {"name": "Tensor::deallocate"}, 1, (), duration_ns=1000)]
    return n


def _indent(node: dict) -> str:
    return "  " + json.dumps(node, indent=2).replace("\n", "\n  ")


def generate(path: str, nodes: int, seed: int = 0) -> dict:
    t0 = time.perf_counter()
    rng = random.Random(seed)
    c, ops, prev = 1, 0, None
    size = 0
    with open(path, "w") as f:
        f.write("[\n" + _indent(_node(0, "capture_start", None, 0)))
        while c < nodes - 1:
            batch = op_nodes(c, ops, rng, prev)
            prev = batch[6]["params"]["max_size_per_bank"]
            ops += 1
            c += len(batch)
            f.write("".join(",\n" + _indent(x) for x in batch))
        f.write(",\n" + _indent(_node(c, "capture_end", None, 0, duration_ns=1)) + "\n]\n")
        size = f.tell()
    return {"path": path, "nodes": c + 1, "ops": ops, "bytes": size, "seconds": round(time.perf_counter() - t0, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--nodes", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    print(json.dumps(generate(a.out, a.nodes, a.seed)))


if __name__ == "__main__":
    main()

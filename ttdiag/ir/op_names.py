"""TTNN op names, for telling an op from a helper when a backtrace, a Python frame or a source path
is all a log has.

The set holds the TTNN dialect ops (tt-mlir ``include/ttmlir/Dialect/TTNN/IR/TTNNOps.td``, as they
appear in the corpus dumps) and the user-facing ttnn Python ops whose program factories show up in
tt-metal backtraces (``ttnn/cpp/ttnn/operations/<category>/<op>/``). A name outside the set is never
reported as the failing op: ``create_simple_matmul_program_config`` is a helper, ``linear`` an op.
"""

from __future__ import annotations

import re

TTNN_OPS = frozenset("""
abs add aggregate_tensor all_gather all_reduce all_to_all_combine all_to_all_dispatch arange argmax assign
avg_pool2d batch_norm bcast begin_trace_capture bitwise_and bitwise_not bitwise_or bitwise_xor capture_or_execute_trace
ceil clamp clamp_scalar clamp_tensor clone concat concatenate_heads constant conv1d conv2d conv3d conv_transpose2d
copy cos cumprod cumsum deallocate distribute_tensor distributed_layer_norm distributed_rms_norm divide dump_tensor
embedding embedding_bw empty end_trace_capture eq erf exp execute_trace expm1 fill_cache fill_pad floor fold
from_device full gather gelu ge generic get_device global_avg_pool2d group_norm gt halo interleaved_to_sharded
layer_norm layer_norm_pre_all_gather le leaky_relu linear load_tensor log log1p lt matmul max max_pool2d maximum
mean mesh_shard min minimum moreh_cumsum moreh_softmax multiply ne neg nlp_concat_heads nlp_concat_heads_decode
nlp_create_qkv_heads nlp_create_qkv_heads_decode ones pad paged_fill_cache paged_update_cache permute
point_to_point pow prepare_conv2d_bias prepare_conv2d_weights prod rand reciprocal reduce_scatter relu relu6
repeat repeat_interleave reshape reshard rms_norm rms_norm_pre_all_gather rotary_embedding
rotary_embedding_llama rsqrt sampling scaled_dot_product_attention scaled_dot_product_attention_decode scatter
sharded_to_interleaved sigmoid sign silu sin slice slice_static softmax sort split sqrt squeeze subtract sum
tan tanh tilize tilize_with_val_padding to_device to_dtype to_layout to_memory_config topk transpose typecast
uniform unsqueeze untilize untilize_with_unpadding update_cache upsample where write_tensor zeros
""".split())

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
# acronyms kept whole (NLPCreateQKVHeads -> nlp_create_qkv_heads, RMSNorm -> rms_norm)
_ACRONYMS = {"NLP": "Nlp", "QKV": "Qkv", "RMS": "Rms", "SDPA": "Sdpa", "MLA": "Mla"}


def snake(name: str) -> str:
    """``Conv2d`` -> ``conv2d``, ``ToMemoryConfig`` -> ``to_memory_config``, ``NLPCreateQKVHeads`` ->
    ``nlp_create_qkv_heads``, ``AvgPool2D`` -> ``avg_pool2d``."""
    for a, r in _ACRONYMS.items():
        name = name.replace(a, r)
    name = re.sub(r"(\d)D\b", r"\1d", name)
    return _CAMEL.sub("_", name).lower()


def is_op(name: str | None) -> bool:
    """Whether ``name`` (``conv2d`` or ``ttnn.conv2d``) is a TTNN op."""
    if not name:
        return False
    return name.removeprefix("ttnn.") in TTNN_OPS

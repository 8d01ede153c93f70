// The add of tt-metal's graph capture sharded_add.json (graph_l1_traces @8458ac2a): two 1x1x2048x512 bf16
// tensors height-sharded over 8x8 cores, shard [32, 512], output sharded the same way.
#sh = #ttnn.ttnn_layout<(d0, d1, d2, d3) -> (d0 * 2048 + d1 * 2048 + d2, d3), <8x8>, memref<1x16x!ttcore.tile<32x32, bf16>, #ttnn.buffer_type<l1>>, <height_sharded>>
module attributes {ttdiag.arch = "blackhole", ttdiag.tt_metal_era = "2026-02"} {
  func.func @main(%arg0: tensor<1x1x2048x512xbf16, #sh>, %arg1: tensor<1x1x2048x512xbf16, #sh>) -> tensor<1x1x2048x512xbf16, #sh> {
    %0 = "ttnn.add"(%arg0, %arg1) : (tensor<1x1x2048x512xbf16, #sh>, tensor<1x1x2048x512xbf16, #sh>) -> tensor<1x1x2048x512xbf16, #sh>
    return %0 : tensor<1x1x2048x512xbf16, #sh>
  }
}

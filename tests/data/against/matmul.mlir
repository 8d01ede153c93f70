// The matmul of tt-metal's graph captures matmul_l1_out.json / matmul_normal_mode.json (graph_l1_traces
// @8458ac2a, Blackhole p150b): 1x1x1024x1024 bf16 tiled DRAM-interleaved inputs, the output L1-interleaved.
#dram = #ttnn.ttnn_layout<(d0, d1, d2, d3) -> (d0 * 1024 + d1 * 1024 + d2, d3), <1x1>, memref<32x32x!ttcore.tile<32x32, bf16>, #ttnn.buffer_type<dram>>, <interleaved>>
#l1 = #ttnn.ttnn_layout<(d0, d1, d2, d3) -> (d0 * 1024 + d1 * 1024 + d2, d3), <1x1>, memref<32x32x!ttcore.tile<32x32, bf16>, #ttnn.buffer_type<l1>>, <interleaved>>
module attributes {ttdiag.arch = "blackhole", ttdiag.tt_metal_era = "2026-02"} {
  func.func @main(%arg0: tensor<1x1x1024x1024xbf16, #dram>, %arg1: tensor<1x1x1024x1024xbf16, #dram>) -> tensor<1x1x1024x1024xbf16, #l1> {
    %0 = "ttnn.matmul"(%arg0, %arg1) : (tensor<1x1x1024x1024xbf16, #dram>, tensor<1x1x1024x1024xbf16, #dram>) -> tensor<1x1x1024x1024xbf16, #l1>
    return %0 : tensor<1x1x1024x1024xbf16, #l1>
  }
}

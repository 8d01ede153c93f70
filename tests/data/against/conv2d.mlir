// The conv2d of tt-metal's graph capture conv2d.json (tests/ttnn/unit_tests/base_functionality/graph_l1_traces
// @8458ac2a, Blackhole p150b): 1x128x128x32 bf16 row-major DRAM input -> 64 channels, 3x3, stride 1, pad 1, bias,
// default Conv2dConfig; the shapes are the capture's (ttnn.conv2d's reshape to [1, 1, 16384, 32], the weight
// [64, 32, 3, 3] and bias [1, 1, 1, 64] on the host, the output [1, 1, 16384, 64]).
#dram = #ttnn.buffer_type<dram>
#system_memory = #ttnn.buffer_type<system_memory>
#in = #ttnn.ttnn_layout<(d0, d1, d2, d3) -> (d0 * 16384 + d1 * 16384 + d2, d3), <1x1>, memref<16384x32xbf16, #dram>, <interleaved>>
#w = #ttnn.ttnn_layout<(d0, d1, d2, d3) -> (d0 * 96 + d1 * 3 + d2, d3), <1x1>, memref<6144x3xbf16, #system_memory>>
#b = #ttnn.ttnn_layout<(d0, d1, d2, d3) -> (d0 + d1 + d2, d3), <1x1>, memref<1x64xbf16, #system_memory>>
#out = #ttnn.ttnn_layout<(d0, d1, d2, d3) -> (d0 * 16384 + d1 * 16384 + d2, d3), <1x1>, memref<512x2x!ttcore.tile<32x32, bf16>, #dram>, <interleaved>>
module attributes {ttdiag.arch = "blackhole", ttdiag.tt_metal_era = "2026-02"} {
  func.func @main(%arg0: tensor<1x1x16384x32xbf16, #in>, %arg1: tensor<64x32x3x3xbf16, #w>, %arg2: tensor<1x1x1x64xbf16, #b>) -> tensor<1x1x16384x64xbf16, #out> {
    %0 = "ttnn.get_device"() <{mesh_offset = #ttnn<mesh_offset 0x0>, mesh_shape = #ttnn<mesh_shape 1x1>}> : () -> !ttnn.device
    %1 = "ttnn.conv2d"(%arg0, %arg1, %arg2, %0) <{batch_size = 1 : i32, in_channels = 32 : i32, out_channels = 64 : i32, input_height = 128 : i32, input_width = 128 : i32, kernel_size = array<i32: 3, 3>, stride = array<i32: 1, 1>, padding = array<i32: 1, 1>, dilation = array<i32: 1, 1>, groups = 1 : i32}> : (tensor<1x1x16384x32xbf16, #in>, tensor<64x32x3x3xbf16, #w>, tensor<1x1x1x64xbf16, #b>, !ttnn.device) -> tensor<1x1x16384x64xbf16, #out>
    return %1 : tensor<1x1x16384x64xbf16, #out>
  }
}

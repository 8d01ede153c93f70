// A TTNN MLIR dump written for ttdiag's tests (not produced by tt-mlir): the failing op of a log without
// op lines is looked up in it by the failure's figures (tests/test_triage_dump_localize.py).
// Aliases for the layouts used below (wormhole_b0: 8x8 workers, tile bf16 = 2,048 B):
#dram_rm_64x128 = #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, memref<64x128xbf16, #ttnn.buffer_type<dram>>, <interleaved>>
#dram_tile_64x128 = #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, memref<2x4x!ttcore.tile<32x32, bf16>, #ttnn.buffer_type<dram>>, <interleaved>>
#l1_tile_64x128 = #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <8x8>, memref<1x1x!ttcore.tile<32x32, bf16>, #ttnn.buffer_type<l1>>, <interleaved>>
#dram_tile_128x64 = #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, memref<4x2x!ttcore.tile<32x32, bf16>, #ttnn.buffer_type<dram>>, <interleaved>>
#dram_tile_64x64 = #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, memref<2x2x!ttcore.tile<32x32, bf16>, #ttnn.buffer_type<dram>>, <interleaved>>
#dram_tile_wide = #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, memref<1x152640x!ttcore.tile<32x32, bf16>, #ttnn.buffer_type<dram>>, <interleaved>>
#dram_rm_wide = #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, memref<4x4884480xbf16, #ttnn.buffer_type<dram>>, <interleaved>>
module {
  func.func @main(%arg0: tensor<64x128xbf16, #dram_rm_64x128>) -> tensor<64x64xbf16, #dram_tile_64x64> {
    %0 = "ttnn.to_layout"(%arg0) <{layout = #ttnn.layout<tile>}> : (tensor<64x128xbf16, #dram_rm_64x128>) -> tensor<64x128xbf16, #dram_tile_64x128>
    %1 = "ttnn.to_memory_config"(%0) <{memory_config = #ttnn.memory_config<#ttnn.buffer_type<l1>, <interleaved>>}> : (tensor<64x128xbf16, #dram_tile_64x128>) -> tensor<64x128xbf16, #l1_tile_64x128>
    %2 = "ttnn.reshape"(%1) <{shape = [128 : i32, 64 : i32]}> : (tensor<64x128xbf16, #l1_tile_64x128>) -> tensor<128x64xbf16, #dram_tile_128x64>
    %3 = "ttnn.reshape"(%2) <{shape = [64 : i32, 64 : i32]}> : (tensor<128x64xbf16, #dram_tile_128x64>) -> tensor<64x64xbf16, #dram_tile_64x64>
    return %3 : tensor<64x64xbf16, #dram_tile_64x64>
  }
  func.func @wide_a(%arg0: tensor<4x4884480xbf16, #dram_tile_wide>) -> tensor<4x4884480xbf16, #dram_rm_wide> {
    %0 = "ttnn.to_layout"(%arg0) <{layout = #ttnn.layout<row_major>}> : (tensor<4x4884480xbf16, #dram_tile_wide>) -> tensor<4x4884480xbf16, #dram_rm_wide>
    return %0 : tensor<4x4884480xbf16, #dram_rm_wide>
  }
  func.func @wide_b(%arg0: tensor<4x4884480xbf16, #dram_tile_wide>) -> tensor<4x4884480xbf16, #dram_rm_wide> {
    %0 = "ttnn.to_layout"(%arg0) <{layout = #ttnn.layout<row_major>}> : (tensor<4x4884480xbf16, #dram_tile_wide>) -> tensor<4x4884480xbf16, #dram_rm_wide>
    return %0 : tensor<4x4884480xbf16, #dram_rm_wide>
  }
}

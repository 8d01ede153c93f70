// A small TTNN dump for the text-width goldens (tests/test_text_width.py), written for ttdiag:
// a program name longer than 80 columns' worth of table, the [4, 4884480] untilize of sample 001 (an
// L1 overflow), an L1-interleaved tensor (per-bank bytes in L1), and a memref written by the older
// rule (the logical shape collapsed before tiling).
#dram = #ttnn.buffer_type<dram>
#l1 = #ttnn.buffer_type<l1>
#wide_tile = #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, memref<1x152640x!ttcore.tile<32x32, bf16>, #dram>, <interleaved>>
#wide_rm = #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, memref<4x4884480xbf16, #dram>, <interleaved>>
#l1_tile = #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <8x8>, memref<1x1x!ttcore.tile<32x32, bf16>, #l1>, <interleaved>>
#old_rule = #ttnn.ttnn_layout<(d0, d1, d2, d3) -> (d0 * 32 + d1 * 4 + d2, d3), <1x1>, memref<1x2x!ttcore.tile<32x32, bf16>, #dram>, <interleaved>>
module {
  func.func @decoder_block_in_resnets_0_conv1_replicate_pad_untilize_of_the_wide_reshape(%arg0: tensor<4x4884480xbf16, #wide_tile>) -> tensor<4x4884480xbf16, #wide_rm> {
    %0 = "ttnn.to_layout"(%arg0) <{layout = #ttnn.layout<row_major>}> : (tensor<4x4884480xbf16, #wide_tile>) -> tensor<4x4884480xbf16, #wide_rm>
    return %0 : tensor<4x4884480xbf16, #wide_rm>
  }
  func.func @relu_in_l1(%arg0: tensor<32x2048xbf16, #l1_tile>, %arg1: tensor<1x8x4x64xbf16, #old_rule>) -> tensor<32x2048xbf16, #l1_tile> {
    %0 = "ttnn.relu"(%arg0) : (tensor<32x2048xbf16, #l1_tile>) -> tensor<32x2048xbf16, #l1_tile>
    return %0 : tensor<32x2048xbf16, #l1_tile>
  }
}

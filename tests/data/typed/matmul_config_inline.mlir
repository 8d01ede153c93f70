#dram = #ttnn.buffer_type<dram>
#a = #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, memref<8x8x!ttcore.tile<32x32, bf16>, #dram>, <interleaved>>
#b = #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, memref<8x16x!ttcore.tile<32x32, bf16>, #dram>, <interleaved>>
module {
  func.func @forward(%arg0: tensor<256x256xbf16, #a>, %arg1: tensor<256x512xbf16, #b>) -> tensor<256x512xbf16, #b> {
    %0 = "ttnn.matmul"(%arg0, %arg1) <{transpose_a = false, transpose_b = false, matmul_program_config = #ttnn.matmul_multi_core_reuse_multi_cast_program_config<compute_with_storage_grid_size = #ttnn.core_coord<8, 8>, in0_block_w = 2, out_subblock_h = 1, out_subblock_w = 2, out_block_h = 1, out_block_w = 2, per_core_m = 1, per_core_n = 2, transpose_mcast = false, fuse_batch = true>}> : (tensor<256x256xbf16, #a>, tensor<256x512xbf16, #b>) -> tensor<256x512xbf16, #b>
    return %0 : tensor<256x512xbf16, #b>
  }
}

"""The catalog of failure messages ttdiag recognises: each a :class:`~ttdiag.parse.templates.Template`
mirroring the format string in the tt-metal / tt-mlir / tt-xla source that prints it, with the
failure kind it reports and the file it comes from (for attribution; line numbers move between
versions and are never used to recognise a message).

Every message generation is listed: the 2023-25 "circular buffers" and Metal 2.0 "dataflow buffers"
wordings, the four ``bank_manager.cpp`` Out-of-Memory forms, every reshape ``TT_FATAL``, the dispatch
and firmware timeouts, the watcher's assert and NoC reports, the accuracy checks of tt-xla / tt-torch
/ forge. Sources were read at the commits cited in ttnn-facts.md §5 and in the comments below.

Figure names: ``pcc`` is the calculated correlation and ``required_pcc`` its threshold; ``atol`` and
``rtol`` are the check's tolerances (allclose's parameters) and ``measured_atol`` / ``measured_rtol``
the differences the check calculated. A watcher report's ``line`` is the line of the tripped assert
in the kernel's source (the issue's figure name; the failure's own log line is ``failures[i].line``).
"""

from __future__ import annotations

from .templates import Template

_PROGRAM = "tt_metal/impl/program/program.cpp"
_DFB = "tt_metal/impl/dataflow_buffer/dataflow_buffer.cpp"
_CB_CONFIG = "tt_metal/impl/buffers/circular_buffer_config.cpp"
_BANK = "tt_metal/impl/allocator/bank_manager.cpp"
_SMM = "tt_metal/impl/dispatch/system_memory_manager.cpp"
_LLRT = "tt_metal/llrt/llrt.cpp"
_WATCHER = "tt_metal/impl/debug/watcher_device_reader.cpp"
_BUILD = "tt_metal/jit_build/build.cpp"
_RESHAPE = "ttnn/cpp/ttnn/operations/data_movement/reshape_view/reshape.cpp"
_RESHAPE_COMMON = "ttnn/cpp/ttnn/operations/data_movement/reshape_view/reshape_common.cpp"
_RESHAPE_DEV = "ttnn/cpp/ttnn/operations/data_movement/reshape_on_device/device/reshape_op.cpp"
_TENSOR_OPS = "ttnn/core/tensor/tensor_ops.cpp"
_UMD_PCI = "tt-umd device/pcie/pci_device.cpp"
_UMD_ARC = "tt-umd device/arc"
_XLA_MB = "tt-xla pjrt_implementation/src/api/module_builder.cc"


def _t(family: str, kind: str, text: str, source: str, key: str | None = None, open_end: bool = False,
       check=None, wrapper: bool = False, not_before: str | None = None, **fixed) -> Template:
    return Template(family, kind, text, source, key=key, fixed=fixed, open_end=open_end, check=check, wrapper=wrapper,
                    not_before=not_before)


# the core a watcher report names (watcher_device_reader.cpp core_str_: "Device 0 worker core(x= 1,y= 0)
# virtual(x=19,y=18)"), then the processor
_WATCHER_CORE = "Device {device_id:int} {core_type:word} core{core:core} virtual{virtual_core:core}: {processor:word} "


def _above_buffer(f: dict) -> bool:
    """A clash: the CB region ends above the L1 buffer's address."""
    return f["cb_region_end_bytes"] > f["l1_buffer_address_bytes"]


TEMPLATES: list[Template] = [
    # -- circular / dataflow buffer region (ProgramImpl::validate_circular_buffer_region, and the
    #    Metal 2.0 validate_dataflow_buffer_region) ----------------------------------------------
    _t("cb-overflow", "cb-exceeds-l1",
       "Statically allocated circular buffers on core range {core_range:range} grow to {cb_region_end_bytes:int} B "
       "which is beyond max L1 size of {l1_limit_bytes:int} B", _PROGRAM),
    _t("dfb-overflow", "cb-exceeds-l1",
       "Statically allocated dataflow buffers on core range {core_range:range} grow to {cb_region_end_bytes:int} B "
       "which is beyond max L1 size of {l1_limit_bytes:int} B", _DFB),
    # a shorter wording without the core range or region end (seen in 2026 logs)
    _t("cb-overflow-short", "cb-exceeds-l1",
       "Statically allocated circular buffers grow beyond max L1 size of {l1_limit_bytes:int} B", _PROGRAM),
    _t("cb-clash", "cb-clashes-with-l1-buffer",
       "Statically allocated circular buffers in program {program_id:int} clash with L1 buffers on core range "
       "{core_range:range}. L1 buffer allocated at {l1_buffer_address_bytes:int} and static circular buffer region "
       "ends at {cb_region_end_bytes:int}", _PROGRAM, open_end=True, check=_above_buffer),
    _t("dfb-clash", "cb-clashes-with-l1-buffer",
       "Statically allocated dataflow buffers in program {program_id:int} clash with L1 buffers on core range "
       "{core_range:range}. L1 buffer allocated at {l1_buffer_address_bytes:int} and static dataflow buffer region "
       "ends at {cb_region_end_bytes:int}", _DFB, open_end=True, check=_above_buffer),
    # -- a CB larger than the globally allocated L1 buffer behind it (CircularBufferConfig): a
    #    warning in release builds until 2025, a TT_FATAL since --------------------------------------
    _t("cb-bank", "cb-exceeds-l1-bank",
       "Circular buffer size {cb_bytes:int} B exceeds allocated L1 buffer bank size of {bank_bytes:int} B", _CB_CONFIG),
    _t("cb-bank-set", "cb-exceeds-l1-bank",
       "Cannot set circular buffer size to {cb_bytes:int}. This is larger than the associated dynamically "
       "allocated L1 buffer bank size of {bank_bytes:int} B", _CB_CONFIG),
    _t("cb-buffer", "cb-exceeds-l1-bank",
       "Circular buffer size {cb_bytes:int} B exceeds allocated L1 buffer size of {buffer_bytes:int} B", _CB_CONFIG),
    # -- allocator Out of Memory (BankManager::allocate_buffer): 2023 log_fatal, 2024-25 TT_THROW,
    #    2025 "but bank size is only", late-2025+ with the allocator statistics. Anchored after
    #    "Out of Memory: " because pastes often drop it. --------------------------------------------
    _t("oom-stats", "out-of-memory",
       "Not enough space to allocate {requested_bytes:int} B {buffer_type:word} buffer across {num_banks:int} banks, "
       "where each bank needs to store {bytes_per_bank:int} B, but bank size is {bank_size_bytes:int} B "
       "(allocated: {allocated_bytes:int} B, free: {free_bytes:int} B, largest free block: "
       "{largest_free_block_bytes:int} B)", _BANK),
    _t("oom-only", "out-of-memory",
       "Not enough space to allocate {requested_bytes:int} B {buffer_type:word} buffer across {num_banks:int} banks, "
       "where each bank needs to store {bytes_per_bank:int} B, but bank size is only {bank_size_bytes:int} B", _BANK),
    # 2024 (tt-metal#9372): the sentence ends after the per-bank need
    _t("oom-2024", "out-of-memory",
       "Not enough space to allocate {requested_bytes:int} B {buffer_type:word} buffer across {num_banks:int} banks, "
       "where each bank needs to store {bytes_per_bank:int} B", _BANK, not_before=r",?\s*but\b"),
    _t("oom-deps", "out-of-memory",
       "Not enough space after considering dependencies to allocate {requested_bytes:int} B {buffer_type:word} "
       "across {num_banks:int} banks ({bytes_per_bank:int} B per bank), bank size is {bank_size_bytes:int} B "
       "(allocated: {allocated_bytes:int} B, free: {free_bytes:int} B, largest free block: "
       "{largest_free_block_bytes:int} B). After subtracting {dependency_ranges:int} dependency range(s) and "
       "{occupied_ranges:int} additional occupied range(s), {placeable_bytes:int} B remained placeable across "
       "{placeable_windows:int} window(s), largest {largest_placeable_bytes:int} B", _BANK),
    _t("oom-arena", "out-of-memory",
       "Persistent L1 arena is out of memory: cannot place {requested_bytes:int} bytes aligned to "
       "{alignment_bytes:int} on cores", "tt_metal/impl/allocator/persistent_l1_arena.cpp"),
    _t("oom-drisc", "out-of-memory",
       "DRISC L1 GCB zone full: requested {requested_bytes:int} B (aligned {aligned_bytes:int} B); zone is "
       "{zone_bytes:int} B", "tt_metal/impl/buffers/drisc_l1_arena.cpp"),
    _t("oom-short-l1", "out-of-memory", "Out of L1 Memory", "tt-forge-onnx runtime", buffer_type="L1"),
    _t("oom-short-dram", "out-of-memory", "Out of DRAM Memory", "tt-forge-onnx runtime", buffer_type="DRAM"),
    # TT-Buda / budabackend (legacy): an epoch's overlay blob larger than its L1 region
    _t("buda-overlay", "out-of-memory",
       "The overlay blob for {core_name:path} {core_desc:paren} does not fit, the max size is {overlay_max_bytes:int}, "
       "however we tried to allocate {overlay_requested_bytes:int}", "tt-budabackend", key="does not fit, the max size is",
       open_end=True, check=lambda f: f["overlay_requested_bytes"] > f["overlay_max_bytes"]),
    # -- reshape: every TT_FATAL / TT_THROW of tt-metal's reshape code -------------------------------
    _t("reshape-args", "reshape-invalid", "Invalid arguments to reshape", _RESHAPE_COMMON),
    _t("reshape-volumes", "reshape-invalid", "Attempting to reshape between two shapes with different volumes",
       _RESHAPE),
    _t("reshape-zero-in", "reshape-invalid", "Tensor volume is 0, but shape's volume is not", _RESHAPE),
    _t("reshape-zero-out", "reshape-invalid", "Tensor volume is not 0, but shape volume is 0", _RESHAPE),
    _t("reshape-infer-one", "reshape-invalid", "Only one dimension can be inferred in reshape", _RESHAPE),
    _t("reshape-minus-one", "reshape-invalid", "Shape cannot have more than 1 elements that is set to -1",
       _RESHAPE_COMMON),
    _t("reshape-zero-elements", "reshape-invalid", "cannot reshape tensor of 0 elements", _RESHAPE_COMMON),
    _t("reshape-rank0-from", "reshape-invalid", "Can't do reshape from rank 0 tensor", _RESHAPE),
    _t("reshape-rank0-to", "reshape-invalid", "Can't do reshape to rank 0 tensor", _RESHAPE),
    _t("reshape-rm-layout", "reshape-invalid", "Wrong layout in `reshape_rm`", _RESHAPE),
    _t("reshape-sharded-subgrid", "reshape-invalid", "Sharded reshape does not support sub core grid", _RESHAPE),
    _t("reshape-bf8-subgrid", "reshape-invalid", "Bfloat8 reshape does not support sub core grid", _RESHAPE),
    _t("reshape-bf8-dims", "reshape-invalid", "illegal dimensions for a bfloat8 tensor", _RESHAPE),
    _t("reshape-last-dim", "reshape-invalid",
       "Last dimension of the old shape ({old_last_dim:int}) should be divisible by the last dimension of the new "
       "shape ({new_last_dim:int}) or vice versa", _RESHAPE),
    _t("reshape-tile", "reshape-invalid",
       "Unable to reshape a tensor in TILE_LAYOUT to non-tile height and width", "ttnn/cpp/ttnn/operations/core.hpp"),
    _t("reshape-unable", "reshape-invalid", "Unable to reshape given tensor", "ttnn/cpp/ttnn/operations/core.hpp"),
    _t("reshape-on-device", "reshape-invalid", "Operands to reshape need to be", _RESHAPE_DEV),
    _t("reshape-tile-hw", "reshape-invalid",
       "Input tensor physical volume ({physical_volume:int}) must be divisible by TILE_HW ({tile_hw:int})",
       _RESHAPE_DEV),
    _t("reshape-width8", "reshape-invalid", "Operand/target width must be a multiple of 8", _RESHAPE_DEV),
    _t("reshape-layout", "reshape-invalid", "Unsupported layout for reshape", _RESHAPE_DEV),
    _t("reshape-sharded", "reshape-invalid", "Use ttnn::reshape for reshaping sharded inputs", _RESHAPE_DEV),
    _t("reshape-volume-assert", "reshape-invalid",
       "Required shape volume ({new_volume:int}) must match old shape volume ({old_volume:int})",
       "ttnn/cpp/ttnn/operations/data_movement/reshape_on_device/reshape.cpp"),
    _t("reshape-hw32", "reshape-invalid",
       "Expected a multiple of 32 for H, W (or -1 evaluating to such) in Tensor::reshape()", _TENSOR_OPS),
    _t("view-nd-sharded", "reshape-invalid", "View is not supported for ND sharded tensors", _TENSOR_OPS),
    _t("view-shard-width", "reshape-invalid",
       "Changing the last dimension of a sharded tensor is not supported unless the shard width matches",
       _TENSOR_OPS),
    # -- device timeouts (SystemMemoryManager, llrt wait_until_cores_done) ---------------------------
    _t("timeout-completion", "device-timeout",
       "TIMEOUT: device timeout, potential hang detected, the device is unrecoverable", _SMM),
    _t("timeout-fetch", "device-timeout", "TIMEOUT: device timeout in fetch queue wait, potential hang detected",
       _SMM),
    _t("timeout-cores", "device-timeout",
       "Device {device_id:int}: Timeout ({timeout_ms:int} ms) waiting for physical cores to finish: {cores:cores}.",
       _LLRT, key="Timeout ("),
    _t("timeout-eth", "device-timeout",
       "Device {device_id:int}: Timed out while waiting for active ethernet core {core:core} to become active again",
       _LLRT, key="Timed out while waiting for active ethernet core"),
    _t("timeout-fabric", "device-timeout", "Timeout after {timeout_ms:int} ms",
       "tt_metal/fabric (fabric_firmware_initializer.cpp: router sync)", key="Timeout after"),
    _t("timeout-eth-remote", "device-error",
       "Timeout waiting for Ethernet core service remote IO request", "tt-umd device/tt_device/remote_communication.cpp"),
    _t("timeout-noc-hang", "device-timeout", "Command Queue could not finish: device hang due to illegal NoC "
       "transaction", "tt_metal/impl/dispatch/hardware_command_queue.cpp"),
    # -- device errors ------------------------------------------------------------------------------
    _t("run-mailbox", "device-error",
       "Read unexpected run_mailbox value: {run_mailbox_value:hex} (expected {expected_run_state:hex} or "
       "{expected_done:hex})", _LLRT),
    _t("run-mailbox-core", "device-error", "Read unexpected run_mailbox value from core {core:core}", _LLRT),
    _t("fw-init", "device-error",
       "Device {device_id:int} init: failed to initialize FW! Try resetting the board.",
       "tt_metal/impl/device/firmware/risc_firmware_initializer.cpp", key="init: failed to initialize FW"),
    _t("watcher-assert", "device-error",
       _WATCHER_CORE + "tripped an assert on line {line:int}.", _WATCHER, key="tripped an assert on line"),
    _t("watcher-assert-core", "device-error",
       "Device {device_id:int} {core_type:word} core{core:core}: {processor:word} "
       "tripped an assert on line {line:int}.", _WATCHER, key="tripped an assert on line"),
    _t("watcher-assert-phys", "device-error",
       "Device {device_id:int} {core_type:word} core{core:core} phys{virtual_core:core}: {processor:word} "
       "tripped an assert on line {line:int}.", _WATCHER, key="tripped an assert on line"),
    _t("watcher-rtarg", "device-error",
       _WATCHER_CORE + "accessed {runtime_arg_kind:word} runtime arg index out of bounds.", _WATCHER, key="runtime arg index out of bounds"),
    _t("watcher-race", "device-error",
       _WATCHER_CORE + "detected an inter-kernel data race", _WATCHER, key="detected an inter-kernel data race"),
    _t("watcher-noc", "device-error",
       _WATCHER_CORE + "using noc{noc:int} tried to", _WATCHER, key="using noc"),
    _t("watcher-stopped", "device-error", "Watcher detected tripped assert and stopped device", _WATCHER),
    _t("watcher-noc-stopped", "device-error", "Watcher detected NOC error and stopped device", _WATCHER),
    _t("watcher-abort", "device-error", "Aborting wait due to watcher error", _WATCHER),
    _t("fw-update", "device-error", "Firmware update is required", _LLRT),
    # -- device open and driver (tt-metal tt_cluster.cpp, tt-umd device/): a card that is missing,
    #    hung or needs a reset; their time-outs are device errors, not operation hangs ------------------
    _t("no-chips", "device-error", "No chips detected in the cluster", "tt_metal/llrt/tt_cluster.cpp"),
    _t("no-devices", "device-error", "No Tenstorrent devices", _UMD_PCI),
    _t("no-driver", "device-error", "No Tenstorrent driver detected", "tt-tools-common"),
    _t("no-dev-node", "device-error", "No such file or directory: '/dev/tenstorrent", "tt-tools-common",
       key="'/dev/tenstorrent"),
    _t("chip-init", "device-error", "Chip initialization failed", "tt-umd device/cluster.cpp"),
    _t("open-device", "device-error", "Failed to open device", _UMD_PCI),
    _t("open-fd", "device-error", "Coudln't open file descriptor for PCI device", _UMD_PCI),
    _t("ioctl", "device-error", "TENSTORRENT_IOCTL_", _UMD_PCI),
    _t("pcie-hang", "device-error", "from PCIE: you should reset the board", "tt-umd device/tt_device/tt_device.cpp",
       key="you should reset the board"),
    _t("pcie-hang-2026", "device-error", "over PCIe ID {pcie_id:int}: the board should be reset",
       "tt-umd device/tt_device/tt_device.cpp", key="the board should be reset"),
    _t("noc-hang", "device-error", "{noc:word} is hung on", "tt-umd device/tt_device/tt_device_error.cpp",
       key="is hung on"),
    _t("arc-respond", "device-error", "Timed out after waiting {timeout_ms:int} ms for ARC to respond", _UMD_ARC,
       key="ms for ARC to respond"),
    _t("arc-start", "device-error", "Timed out after waiting {timeout_ms:int} ms for arc core", _UMD_ARC,
       key="ms for arc core"),
    _t("arc-startup", "device-error", "ARC startup error at core", _UMD_ARC),
    _t("arc-queue", "device-error", "Timeout waiting for ARC msg", _UMD_ARC),
    _t("arc-postcode", "device-error", "Device is not initialized: arc_fw postcode", _UMD_ARC),
    _t("dram-training", "device-error", "DRAM training failed", "tt-umd device/tt_device/tt_device.cpp"),
    _t("eth-training", "device-error", "ETH training timed out after {timeout_ms:int} ms",
       "tt-umd device/tt_device/wormhole_tt_device.cpp"),
    _t("eth-heartbeat", "device-error", "Timed out waiting for ETH heartbeat", "tt-umd device/topology"),
    _t("fw-old", "device-error", "is older than the minimum compatible version", "tt-umd device/cluster.cpp"),
    _t("tlb-alloc", "device-error", "Failed to allocate the TLB with size {tlb_bytes:int}", _UMD_PCI,
       key="Failed to allocate the TLB", open_end=True, check=lambda f: f["tlb_bytes"] > 0),
    _t("tlb-window", "device-error", "Failed to allocate TLB window", _UMD_PCI),
    _t("pcie-core", "device-error", "Required pcie core {core:core} not found in the device descriptor",
       "tt-umd device/soc_descriptor.cpp", key="not found in the device descriptor"),
    _t("cannot-open", "device-error", "Cannot open device", "tt-umd"),
    # -- kernel (JIT) builds: tt_metal/jit_build/build.cpp build_failure(), program.cpp GenerateBinaries ---
    _t("kernel-binaries", "kernel-build-failed", "Failed to generate binaries for {kernel:word}", _PROGRAM),
    _t("kernel-build", "kernel-build-failed", "{processor:word} build failed", _BUILD, key="build failed"),
    _t("kernel-link", "kernel-build-failed", "{processor:word} link failure --", _BUILD, key="link failure --"),
    _t("kernel-compile", "kernel-build-failed", "{processor:word} compile failure --", _BUILD,
       key="compile failure --"),
    _t("kernel-file", "kernel-build-failed", "Kernel file {kernel_file:path} doesn't exist!",
       "tt_metal/jit_build/genfiles.cpp", key="Kernel file"),
    # -- the frameworks' own compile failures (tt-torch tt_torch/csrc/tt-mlir-interface.cpp, forge
    #    forge/csrc/passes, tt-xla pjrt_implementation/src/api/module_builder.cc) --------------------
    _t("torch-shlo-ttir", "compile-error", "Failed to run StableHLO to TTIR compiler pass pipeline",
       "tt-torch tt_torch/csrc/tt-mlir-interface.cpp", wrapper=True),
    _t("torch-ttir-ttnn", "compile-error", "Failed to run TTIR TO TTNN compiler pass pipeline",
       "tt-torch tt_torch/csrc/tt-mlir-interface.cpp", wrapper=True),
    _t("torch-sharding", "compile-error", "Failed to run automatic sharding pipeline",
       "tt-torch tt_torch/csrc/tt-mlir-interface.cpp", wrapper=True),
    _t("torch-banner", "compile-error", "[tt-torch] An error occurred during compilation", "tt-torch tt_torch/dynamo",
       wrapper=True),
    _t("forge-pipeline", "compile-error", "Failed to run MLIR compiler pass pipeline", "tt-forge-fe forge/csrc/passes", wrapper=True),
    _t("forge-verify", "compile-error", "Generated MLIR module failed verification", "tt-forge-fe forge/csrc/passes", wrapper=True),
    _t("forge-lowering", "compile-error", "Unsupported operation for lowering from TTForge to TTIR",
       "tt-forge-fe forge/csrc/passes"),
    _t("xla-shlo", "compile-error", "Failed to run stablehlo pipeline", _XLA_MB, wrapper=True),
    _t("xla-vhlo", "compile-error", "Failed to create VHLO module", _XLA_MB, wrapper=True),
    _t("xla-convert", "compile-error", "Failed to convert from {from_ir:word} to {to_ir:word} module", _XLA_MB,
       key="Failed to convert from", wrapper=True),
    _t("xla-ttir-ttnn", "compile-error", "Failed to run TTIRToTTNNCommon pipeline", _XLA_MB, wrapper=True),
    _t("xla-runtime", "compile-error", "Failed to run TTNNCommonToRuntime pipeline", _XLA_MB, wrapper=True),
    # -- accuracy checks ----------------------------------------------------------------------------
    # tt-xla tests/infra comparators
    _t("pcc-xla", "accuracy",
       "PCC comparison failed. Calculated: pcc={pcc:float}. Required: pcc={required_pcc:float}.",
       "tt-xla tests/infra/evaluators"),
    _t("pcc-xla-invalid", "accuracy",
       "PCC comparison failed. Calculated: pcc={pcc:float} (invalid value). Required: pcc={required_pcc:float}.",
       "tt-xla tests/infra/evaluators"),
    _t("allclose-xla", "accuracy",
       "Allclose comparison failed. Calculated: atol={measured_atol:float}. Required: atol={atol:float}, "
       "rtol={rtol:float}.", "tt-xla tests/infra/evaluators"),
    _t("allclose-xla-old", "accuracy",
       "Allclose comparison failed. Required: atol={atol:float}, rtol={rtol:float}.",
       "tt-xla tests/infra/comparators/comparator.py"),
    _t("rel-l2-xla", "accuracy",
       "RelL2 comparison failed. Calculated: rel_l2={rel_l2:float}", "tt-xla tests/infra/evaluators"),
    _t("atol-xla", "accuracy",
       "Atol comparison failed. Calculated: atol={measured_atol:float}. Required: atol={atol:float}.",
       "tt-xla tests/infra/evaluators"),
    # tt-torch verify: "PCC of output 0: 0.2855, threshold: 0.99"
    _t("pcc-torch", "accuracy", "PCC of output {output:int}: {pcc:float}, threshold: {required_pcc:float}",
       "tt-torch tt_torch/tools/verify.py"),
    _t("atol-torch", "accuracy", "ATOL of output {output:int}: {measured_atol:float}, threshold: {atol:float}",
       "tt-torch tt_torch/tools/verify.py"),
    # forge sweeps (forge/test/operators/utils/compat.py check_pcc_error_level)
    _t("pcc-low", "accuracy", "pcc is in invalid low range: {pcc:float} <= {range_upper:float}",
       "tt-forge-fe forge/test/operators/utils/compat.py", open_end=True, check=lambda f: f["range_upper"] >= f["pcc"]),
    _t("pcc-medium", "accuracy",
       "pcc is in invalid medium range: {range_lower:float} < {pcc:float} <= {range_upper:float}",
       "tt-forge-fe forge/test/operators/utils/compat.py", open_end=True, check=lambda f: f["range_upper"] >= f["pcc"]),
    _t("pcc-high", "accuracy", "pcc is in invalid high range: {range_lower:float} < {pcc:float} < {range_upper:float}",
       "tt-forge-fe forge/test/operators/utils/compat.py", open_end=True, check=lambda f: f["range_upper"] > f["pcc"]),
    # forge verify (forge/forge/verify/compare.py, value_checkers.py)
    _t("pcc-forge", "accuracy", "Tensor mismatch. PCC = {pcc:float}, but required = {required_pcc:float}",
       "tt-forge-fe forge/forge/verify/compare.py"),
    _t("allclose-forge", "accuracy",
       "Tensor mismatch. Required rtol={rtol:float}, atol={atol:float}",
       "tt-forge-fe forge/forge/verify/value_checkers.py"),
    _t("allclose-forge-observed", "accuracy",
       "Observed maximum relative diff: {measured_rtol:float}, maximum absolute diff: {measured_atol:float}",
       "tt-forge-fe forge/forge/verify/value_checkers.py"),
    # older tt-xla comparators: "PCC is nan which is less than 0.99"
    _t("pcc-less", "accuracy", "PCC is {pcc:float} which is less than {required_pcc:float}",
       "tt-xla tests/infra/comparators", key="which is less than"),
    # tt-metal's tests/ttnn/utils_for_testing.py assert_with_pcc: "AssertionError: PCC: 0.9871"
    _t("pcc-ttnn-test", "accuracy", "AssertionError: PCC: {pcc:float}", "ttnn tests/ttnn/utils_for_testing.py",
       key="AssertionError: PCC:"),
    # benchmarks: "PCC comparison failed. PCC=0.683770, Required=0.97"
    _t("pcc-bench", "accuracy", "PCC comparison failed. PCC={pcc:float}, Required={required_pcc:float}",
       "tt-xla tests/benchmark", open_end=True, check=lambda f: f["required_pcc"] > f["pcc"]),
]

# The key of every template: a line holding one may start an error block (parse.log.is_trigger).
KEYS: tuple[str, ...] = tuple(dict.fromkeys(t.key for t in TEMPLATES if t.key))

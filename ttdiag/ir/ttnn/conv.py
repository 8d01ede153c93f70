"""Convolutions: ``ttnn.conv2d``, ``ttnn.conv_transpose2d``, ``ttnn.conv3d`` (tt-mlir ``include/ttmlir/Dialect/TTNN/IR/TTNNOps.td``).

conv2d's activation is flattened to ``[1, 1, N·H·W, C_in]`` and its result to ``[1, 1, N·Ho·Wo, C_out]``;
the spatial sizes are attributes. conv3d's activation is ``[N, D, H, W, C_in]`` (channels last).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..items import Atom, Body
from .attrs import AttrReader, Config
from .base import TTNNOp, attr, ttnn_op


def _pair(v: tuple[int, ...] | None, n: int, default: int) -> tuple[int, ...]:
    """A kernel / stride / dilation of ``n`` dims: one value broadcast, or the first ``n``."""
    if not v:
        return (default,) * n
    return tuple(v[:n]) if len(v) >= n else (v[0],) * n


@ttnn_op("ttnn.conv2d")
@dataclass(slots=True)
class Conv2d(TTNNOp):
    """``ttnn.conv2d``: operands input, weight[, bias]. ``padding`` is (top, bottom, left, right) when
    four values are given, else (h, w) applied to both sides."""

    in_channels: int | None = attr()
    out_channels: int | None = attr()
    batch_size: int | None = attr()
    input_height: int | None = attr()
    input_width: int | None = attr()
    kernel_size: tuple[int, ...] | None = attr(kind="ints")
    stride: tuple[int, ...] | None = attr(kind="ints")
    padding: tuple[int, ...] | None = attr(kind="ints")
    dilation: tuple[int, ...] | None = attr(kind="ints")
    groups: int = attr(default=1)
    conv2d_config: Config | None = attr(kind="config")
    compute_config: Config | None = attr(kind="config")

    @property
    def kernel(self) -> tuple[int, int]:
        return _pair(self.kernel_size, 2, 1)  # type: ignore[return-value]

    @property
    def strides(self) -> tuple[int, int]:
        return _pair(self.stride, 2, 1)  # type: ignore[return-value]

    @property
    def dilations(self) -> tuple[int, int]:
        return _pair(self.dilation, 2, 1)  # type: ignore[return-value]

    @property
    def pads(self) -> tuple[int, int, int, int]:
        """(top, bottom, left, right)."""
        p = self.padding or (0, 0)
        if len(p) >= 4:
            return p[0], p[1], p[2], p[3]
        h, w = (p[0], p[0]) if len(p) == 1 else (p[0], p[1])
        return h, h, w, w

    @property
    def has_bias(self) -> bool:
        """A bias operand: a ranked tensor third operand (the device operand that follows the tensors is
        not one; ``(input, weight, device)`` has no bias)."""
        return self.input(2) is not None

    def setting(self, key: str, kind: str = "int", default=None):
        """A ``conv2d_config`` field read with the :class:`~ttdiag.ir.ttnn.attrs.Config` getter ``kind``
        (int, bool, text); ``default`` when there is no config or no such field."""
        if self.conv2d_config is None:
            return default
        return getattr(self.conv2d_config, kind)(key, default)

    def slice_config(self) -> tuple[str, int] | None:
        """``conv2d_slice_config = #ttnn.conv2d_slice_config<type, num_slices>`` as (type, num_slices), type
        one of ``l1_full``, ``dram_height``, ``dram_width``; None when absent (tt-mlir's
        ``Conv2dSliceConfigAttr``: positional slice type and slice count)."""
        items = AttrReader(self.op).raw("conv2d_slice_config")
        if not items or not isinstance(items[0], Body):
            return None
        atoms = [it for it in items[0].items if isinstance(it, Atom) and it.kind in ("BARE_ID", "INT")]
        kind = next((a.text for a in atoms if a.kind == "BARE_ID"), None)
        num = next((int(a.text) for a in atoms if a.kind == "INT"), 0)
        return (kind, num) if kind else None

    def compute_flag(self, key: str) -> bool:
        """A ``compute_config`` boolean (``fp32_dest_acc_en``, ``packer_l1_acc`` ...); False when absent."""
        return bool(self.compute_config and self.compute_config.bool(key))

    def output_hw(self) -> tuple[int, int] | None:
        """(Ho, Wo) = floor((H + pads - dilation·(k - 1) - 1) / stride) + 1, or None without H and W."""
        if self.input_height is None or self.input_width is None:
            return None
        (kh, kw), (sh, sw), (dh, dw) = self.kernel, self.strides, self.dilations
        t, b, le, r = self.pads
        return ((self.input_height + t + b - dh * (kh - 1) - 1) // sh + 1,
                (self.input_width + le + r - dw * (kw - 1) - 1) // sw + 1)

    def verify(self) -> list[str]:
        """tt-mlir ``lib/Dialect/TTNN/Utils/VerificationUtils.cpp`` (conv2d ``verifyTensorRanks``, the
        flattened input / output dims) and tt-metal's conv2d: channels divisible by ``groups``."""
        out: list[str] = []
        x, w, y = self.input(0), self.input(1), self.output(0)
        for label, t in (("input", x), ("weight", w), ("result", y)):
            if t is not None and len(t.shape) != 4:
                out.append(f"{label} must be a 4-D tensor, not {len(t.shape)}-D")
        if self.groups < 1:
            out.append(f"groups must be at least 1, not {self.groups}")
        else:
            for label, c in (("in_channels", self.in_channels), ("out_channels", self.out_channels)):
                if c is not None and c % self.groups:
                    out.append(f"{label} {c} is not divisible by groups {self.groups}")
        if x is not None and len(x.shape) == 4 and self.in_channels is not None and x.shape[3] != self.in_channels:
            out.append(f"input channels {x.shape[3]} != in_channels {self.in_channels}")
        if y is not None and len(y.shape) == 4 and self.out_channels is not None and y.shape[3] != self.out_channels:
            out.append(f"result channels {y.shape[3]} != out_channels {self.out_channels}")
        hw = self.output_hw()
        if hw is not None and self.batch_size is not None and y is not None and len(y.shape) == 4:
            want = self.batch_size * hw[0] * hw[1]
            if y.shape[2] != want:
                out.append(f"result holds {y.shape[2]} pixels, N·Ho·Wo = {self.batch_size}·{hw[0]}·{hw[1]} = {want}")
        return out


@ttnn_op("ttnn.conv_transpose2d")
@dataclass(slots=True)
class ConvTranspose2d(Conv2d):
    """``ttnn.conv_transpose2d``: the attributes of conv2d plus ``output_padding``; the result holds
    ``N·Ho·Wo`` pixels with ``Ho = (H - 1)·stride - (top + bottom) + dilation·(k - 1) + output_padding + 1``
    (tt-metal ``conv_transpose2d``; torch ``ConvTranspose2d``)."""

    output_padding: tuple[int, ...] | None = attr(kind="ints")

    def output_hw(self) -> tuple[int, int] | None:
        """(Ho, Wo) of the transposed convolution, or None without H and W."""
        if self.input_height is None or self.input_width is None:
            return None
        (kh, kw), (sh, sw), (dh, dw) = self.kernel, self.strides, self.dilations
        t, b, le, r = self.pads
        oph, opw = _pair(self.output_padding, 2, 0)
        return ((self.input_height - 1) * sh - (t + b) + dh * (kh - 1) + oph + 1,
                (self.input_width - 1) * sw - (le + r) + dw * (kw - 1) + opw + 1)


@ttnn_op("ttnn.conv3d")
@dataclass(slots=True)
class Conv3d(TTNNOp):
    """``ttnn.conv3d`` (tt-metal ``experimental/conv3d``): operands input ``[N, D, H, W, C_in]``, weight[,
    bias]; ``conv3d_config`` holds the blocking (``t_out_block``, ``h_out_block``, ``w_out_block``,
    ``c_out_block``, ``c_in_block``, ``compute_with_storage_grid_size``)."""

    in_channels: int | None = attr()
    out_channels: int | None = attr()
    batch_size: int | None = attr()
    input_depth: int | None = attr()
    input_height: int | None = attr()
    input_width: int | None = attr()
    kernel_size: tuple[int, ...] | None = attr(kind="ints")
    stride: tuple[int, ...] | None = attr(kind="ints")
    padding: tuple[int, ...] | None = attr(kind="ints")
    padding_mode: str | None = attr(kind="text")
    groups: int = attr(default=1)
    dilation: tuple[int, ...] | None = attr(kind="ints")
    conv3d_config: Config | None = attr(kind="config")
    compute_config: Config | None = attr(kind="config")

    @property
    def has_bias(self) -> bool:
        """A bias operand: a ranked tensor third operand (``(input, weight, device)`` has none)."""
        return self.input(2) is not None

    @property
    def dilations(self) -> tuple[int, int, int]:
        """(dT, dH, dW); tt-mlir's conv3d carries no dilation today, so (1, 1, 1) when absent."""
        return _pair(self.dilation, 3, 1)  # type: ignore[return-value]

    def fp32_dest_acc(self) -> bool:
        """``compute_config.fp32_dest_acc_en``; False without a compute config (tt-metal's conv3d default:
        ``ttnn::prim::conv3d`` calls ``init_device_compute_kernel_config(arch, config, HiFi2, true, false,
        false)``, conv3d_device_operation.cpp @07b4a3f7)."""
        return bool(self.compute_config and self.compute_config.bool("fp32_dest_acc_en"))

    @property
    def kernel(self) -> tuple[int, int, int]:
        return _pair(self.kernel_size, 3, 1)  # type: ignore[return-value]

    @property
    def strides(self) -> tuple[int, int, int]:
        return _pair(self.stride, 3, 1)  # type: ignore[return-value]

    @property
    def pads(self) -> tuple[int, int, int]:
        return _pair(self.padding, 3, 0)  # type: ignore[return-value]

    def block(self, key: str, default: int | None = None) -> int | None:
        """A ``conv3d_config`` blocking field (``c_in_block`` ...), ``default`` when absent or 0."""
        v = self.conv3d_config.int(key) if self.conv3d_config else None
        return v or default

    def verify(self) -> list[str]:
        """A 5-D input whose last dim is C_in, and a ``c_in_block`` dividing C_in: what the blocking of
        the conv3d program factory assumes (tt-metal ``experimental/conv3d``; its ``validate`` is not
        transcribed here yet, so this list may be shorter than tt-metal's)."""
        out: list[str] = []
        x = self.input(0)
        if x is not None and len(x.shape) != 5:
            out.append(f"input must be a 5-D tensor [N, D, H, W, C], not {len(x.shape)}-D")
        if x is not None and len(x.shape) == 5 and self.in_channels is not None and x.shape[4] != self.in_channels:
            out.append(f"input channels {x.shape[4]} != in_channels {self.in_channels}")
        cb = self.block("c_in_block")
        if cb and self.in_channels and self.in_channels % cb:
            out.append(f"c_in_block {cb} does not divide in_channels {self.in_channels}")
        return out

"""ttdiag: offline diagnostics for Tenstorrent TT-MLIR / TT-NN runtime failures."""

__version__ = "0.1.0"

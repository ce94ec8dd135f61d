"""vtrial report: result files (HDF5) made into one self-contained HTML page for the protocol
committee (docs/report.md). Run as `vtrial report FILE.h5 ... --output report.html`."""

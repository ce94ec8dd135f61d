"""Reads what a report shows from one vtrial result file (layout: docs/output.md).

Only summaries and bounded samples are read, never a whole /trials column of a large run, so a
report of a million-trial file takes the time of a small one. Everything a reader does not know
(extra groups, extra columns) is ignored; everything it needs and cannot find is an error that
names the file and what is wrong.
"""
import math
import os

import h5py
import numpy as np
import yaml

# The layouts this reader understands (root attribute format_version).
KNOWN_FORMAT_VERSION = 2
REPORTED_TYPES = ("vtrial.run", "vtrial.sweep", "vtrial.samplesize")
# Rows of /trials read for the distributions shown (trials are exchangeable: the first rows are
# a random sample of the run).
TRIAL_SAMPLE_ROWS = 20000


class ResultFileError(Exception):
    """A file that cannot be reported; the message names it and says why."""


def _text(value):
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, np.ndarray) and value.shape == ():
        return _text(value[()])
    return value if isinstance(value, str) else str(value)


def _strings(dataset):
    return [_text(v) for v in dataset[:]]


def _columns(group, rows=None):
    """{name: array} of a group's 1-D datasets (subgroups skipped), optionally the first rows."""
    out = {}
    for name, item in group.items():
        if not isinstance(item, h5py.Dataset) or item.ndim != 1:
            continue
        data = item[:rows] if rows is not None else item[:]
        out[name] = [_text(v) for v in data] if data.dtype.kind in "OSU" else np.asarray(data)
    return out


class ResultFile:
    """One result file: `kind` ("run", "sweep" or "samplesize"), its root attributes, the
    resolved scenario and the tables a report draws on (None where the file has none)."""

    def __init__(self, path, index):
        self.path = path
        self.index = index  # position on the command line: the data-file of its numbers
        self.name = os.path.basename(path)
        self.attrs = {}
        self.scenario = {}
        self.summary = self.design = self.looks = self.arms = self.schema = None
        self.trials_sample = self.trial_count = self.patients = self.trajectories = None
        self.sweep = None
        self.uncertainty = {}
        self._open()

    # -- classification -------------------------------------------------------------------
    def _open(self):
        path = self.path
        if not os.path.exists(path):
            raise ResultFileError(f"{path}: no such file")
        if os.path.isdir(path):
            raise ResultFileError(f"{path}: a directory, not a vtrial result file")
        if not os.access(path, os.R_OK):
            raise ResultFileError(f"{path}: not readable (permission denied)")
        try:
            if not h5py.is_hdf5(path):
                raise ResultFileError(f"{path}: not an HDF5 file, so not a vtrial result "
                                      "(vtrial run, sweep and samplesize write HDF5)")
            with h5py.File(path, "r") as f:
                self._classify(f)
                self._read(f)
        except ResultFileError:
            raise
        except (OSError, KeyError, ValueError, TypeError, RuntimeError) as e:
            # A truncated or damaged file fails inside HDF5; say so with HDF5's own reason.
            reason = " ".join(str(e).split()) or type(e).__name__
            raise ResultFileError(f"{path}: cannot be read (truncated or damaged file?): {reason}") from None

    def _classify(self, f):
        path = self.path
        self.attrs = {k: _text(v) if isinstance(v, (bytes, str)) else v for k, v in f.attrs.items()}
        filetype = self.attrs.get("filetype")
        if not isinstance(filetype, str) or not filetype.startswith("vtrial."):
            raise ResultFileError(f"{path}: not a vtrial result file (HDF5 without the root attribute "
                                  "filetype of vtrial run, sweep or samplesize)")
        if filetype == "vtrial.shard":
            raise ResultFileError(f"{path}: a shard file (shard {self.attrs.get('shard', '?')} of a run), "
                                  "not a whole result: join the shards with vtrial merge and report the merged file")
        if filetype == "vtrial.block":
            raise ResultFileError(f"{path}: a block a running vtrial keeps, not a result: report the run's "
                                  "output file once it has finished")
        if filetype not in REPORTED_TYPES:
            raise ResultFileError(f"{path}: filetype '{filetype}' is not one this report knows "
                                  f"({', '.join(REPORTED_TYPES)}); a newer vtrial may have written it")
        version = self.attrs.get("format_version")
        if version is None:
            raise ResultFileError(f"{path}: written in the first layout (no format_version attribute, "
                                  "no result schema); rerun it with this vtrial to report it")
        version = int(version)
        if version > KNOWN_FORMAT_VERSION:
            raise ResultFileError(f"{path}: format_version {version} is newer than this report reads "
                                  f"({KNOWN_FORMAT_VERSION}); report it with the vtrial that wrote it")
        if version < KNOWN_FORMAT_VERSION:
            raise ResultFileError(f"{path}: format_version {version} is older than this report reads "
                                  f"({KNOWN_FORMAT_VERSION}); rerun it with this vtrial")
        self.kind = filetype.split(".", 1)[1]
        for key in ("scenario", "seed", "trials"):
            if key not in self.attrs:
                raise ResultFileError(f"{path}: the root attribute {key} is missing (not a complete vtrial file)")
        try:
            self.scenario = yaml.safe_load(self.attrs["scenario"]) or {}
        except yaml.YAMLError as e:
            raise ResultFileError(f"{path}: its scenario attribute is not YAML: {' '.join(str(e).split())}") from None
        if not isinstance(self.scenario, dict):
            raise ResultFileError(f"{path}: its scenario attribute is not a YAML mapping")

    def _require(self, f, name):
        if name not in f or not isinstance(f[name], h5py.Group):
            raise ResultFileError(f"{self.path}: the group /{name} is missing (a {self.attrs['filetype']} "
                                  "file has it; truncated or not written by vtrial?)")
        return f[name]

    # -- content --------------------------------------------------------------------------
    def _read(self, f):
        if self.kind == "run":
            self.summary = _columns(self._require(f, "summary"))
            for column in ("endpoint", "power", "ci_low", "ci_high", "mc_se", "trials"):
                if column not in self.summary:
                    raise ResultFileError(f"{self.path}: /summary has no column '{column}'")
            design = _columns(self._require(f, "design"))
            self.design = {k: (v[0] if len(v) else math.nan) for k, v in design.items()}
            if "looks" in f["design"] and isinstance(f["design/looks"], h5py.Group):
                self.looks = _columns(f["design/looks"])
            self.arms = _columns(self._require(f, "arms"))
            self.schema = _columns(self._require(f, "schema"))
            trials = self._require(f, "trials")
            wanted = [c for c in ("enrollment_days", "last_visit_days", "screened", "gs_stop_day", "gs_stop_look",
                                  "gs_z", "gs_reject") if c in trials]
            self.trial_count = min((trials[c].shape[0] for c in wanted), default=0)
            rows = min(self.trial_count, TRIAL_SAMPLE_ROWS)
            self.trials_sample = {c: np.asarray(trials[c][:rows]) for c in wanted}
            # Trial 0's own Kaplan-Meier values, to set beside the curve drawn from its patients.
            self.trial0 = {}
            if self.trial_count:
                for c in trials:
                    if c.startswith(("km_median_", "negative_by_day28_")) and isinstance(trials[c], h5py.Dataset):
                        self.trial0[c] = float(trials[c][0])
            if "patients" in f and isinstance(f["patients"], h5py.Group):
                self.patients = _columns(f["patients"])
            if "trajectories" in f and isinstance(f["trajectories"], h5py.Group):
                self.trajectories = _columns(f["trajectories"])
            for name in ("uncertainty/priors", "uncertainty/drivers", "calibration/summary", "calibration/targets"):
                if name in f and isinstance(f[name], h5py.Group):
                    self.uncertainty[name] = _columns(f[name])
        else:
            self.sweep = _columns(self._require(f, "sweep"))
            for column in ("endpoint", "patients", "power", "ci_low", "ci_high"):
                if column not in self.sweep:
                    raise ResultFileError(f"{self.path}: /sweep has no column '{column}'")

    # -- what the scenario says -----------------------------------------------------------
    def setting(self, dotted, default=None):
        node = self.scenario
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return node

    @property
    def measure(self):
        """"power", or "assurance" where the trials drew their unknowns from priors."""
        return "assurance" if self.attrs.get("power_measure") == "assurance" else "power"

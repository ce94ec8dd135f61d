"""vtrial: Monte Carlo simulation of a clinical trial's power and feasibility.

The compiled core (``vtrial._vtrial``) runs scenarios exactly as the ``vtrial`` command line does:

    import vtrial
    result = vtrial.run("scenarios/nct06971913.yaml", {"trial.patients": 120}, trials=2000)
    result["power"]["duration_of_viremia"]["power"]
    result["trials"]["duration_of_viremia_reject"]   # numpy array, one entry per trial

Functions:
    load_scenario(path, overrides=None) -> str        the resolved scenario as YAML
    run(path, overrides=None, trials=None, seed=None, threads=0, output=None) -> dict
    sweep(path, patients, overrides=None, trials=None, seed=None, threads=0) -> dict
    sample_size(path, endpoint=..., target_power=0.8, ...) -> dict
    read_result(path) -> dict                          reads an HDF5 result file (needs h5py only)

Overrides are ``{"trial.patients": 120}`` or ``["trial.patients=120"]``, as ``vtrial --set``.
A bad scenario key or value raises ValueError with the command line's message; an argument of
the wrong type raises TypeError and one out of range ValueError, naming it; other failures
raise RuntimeError. See docs/python.md.
"""

import errno
import os
import stat

try:
    from ._vtrial import __version__, load_scenario, merge, missing_shards, run, sample_size, sweep
except ImportError as _error:  # read_result still works without the compiled module
    _import_error = _error

    def _missing(*_args, **_kwargs):
        raise ImportError(f"the compiled module vtrial._vtrial is not available: {_import_error}")

    load_scenario = run = sweep = sample_size = merge = missing_shards = _missing
    __version__ = None

__all__ = ["load_scenario", "run", "sweep", "sample_size", "merge", "missing_shards", "read_result", "__version__"]


def _text(value):
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if hasattr(value, "dtype") and getattr(value, "shape", None) == ():
        return _text(value.item())
    return value


def read_result(path):
    """Reads an HDF5 file written by ``vtrial run`` / ``sweep`` / ``samplesize`` or ``run(output=...)``.

    Returns a dict with
      "attributes": the root attributes (filetype, version, format_version, scenario (resolved
          YAML), seed, trials);
      one entry per group ("trials", "patients", "trajectories", "summary", "design", "schema",
          "arms", "sweep"): {dataset name: numpy array} (strings decoded to a list of str; a
          subgroup such as /design/looks is a nested dict of the same);
      "power": {endpoint: {power, mc_se, ci_low, ci_high, rejections, trials, kind, comparison,
          test, outcome, ...}} from /summary, as ``run()`` returns it;
      "design": {name: float} from /design, plus "looks" (a list of dicts, None where a value
          does not apply) for a group-sequential design, as ``run()`` returns it.
    """
    import h5py  # imported here so that `import vtrial` does not require h5py

    path = _result_path(path)
    try:
        with h5py.File(path, "r") as f:
            return _read_result_file(h5py, f, path)
    except (_ResultFileError, MemoryError):
        raise
    except (OSError, KeyError, IndexError, TypeError, ValueError, AttributeError, RecursionError) as error:
        # h5py's own OSError names no file; a well-formed HDF5 file may still not hold what a
        # vtrial result file holds (a truncated copy, a corrupted chunk, missing datasets).
        raise _ResultFileError(f"{path}: not a readable vtrial result file: {_describe(error)}") from error


def _describe(error):
    """'KeyError: text', even for an exception whose str() raises."""
    try:
        text = str(error)
    except Exception:
        text = "(its message cannot be shown)"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


class _ResultFileError(ValueError):
    """A file read_result cannot read as a vtrial result (raised as ValueError)."""


def _result_path(path):
    """The path as str; a missing file is FileNotFoundError, anything but a regular file ValueError."""
    if not isinstance(path, (str, bytes, os.PathLike)):
        raise TypeError(f"read_result: path must be a str, bytes or os.PathLike, not {type(path).__name__}")
    try:
        path = os.fsdecode(path)
    except Exception as error:  # a broken __fspath__
        raise TypeError(f"read_result: path: {_describe(error)}") from error
    if path == "":
        raise ValueError("read_result: path is empty")
    if "\0" in path:
        raise ValueError(f"read_result: path {path!r} contains a null byte")
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise FileNotFoundError(errno.ENOENT, "no such result file", path) from None
    if stat.S_ISDIR(mode):
        raise ValueError(f"{path}: is a directory, not a result file")
    if not stat.S_ISREG(mode):  # a pipe would block forever, /dev/null read as nothing
        raise ValueError(f"{path}: not a regular file (a device, pipe or socket), not a result file")
    return path


# A vtrial result file has groups of groups at most (/design/looks); deeper means a crafted file,
# perhaps a group that links back to its parent.
_MAX_GROUP_DEPTH = 8


def _read_result_file(h5py, f, path):
    def read_group(group, depth, groups_only=False):
        if depth > _MAX_GROUP_DEPTH:
            raise _ResultFileError(f"{path}: groups nested more than {_MAX_GROUP_DEPTH} deep at {group.name} "
                                   "(or a group linked into itself); not a vtrial result file")
        columns = {}
        for name in group:
            # Only the file's own objects: an external or soft link could point anywhere (a pipe).
            link = group.get(name, getlink=True)
            if not isinstance(link, h5py.HardLink):
                raise _ResultFileError(f"{path}: {group.name.rstrip('/')}/{name} is a link to elsewhere "
                                       f"({type(link).__name__}), which a vtrial result file never holds")
            item = group[name]
            if groups_only and not isinstance(item, h5py.Group):
                continue
            if isinstance(item, h5py.Group):
                columns[name] = read_group(item, depth + 1)
            elif not isinstance(item, h5py.Dataset):
                raise _ResultFileError(f"{path}: {item.name} is a {type(item).__name__}, not a dataset")
            else:
                try:
                    if h5py.check_string_dtype(item.dtype) is not None:
                        columns[name] = [_text(v) for v in item.asstr()[()]]
                    else:
                        columns[name] = item[()]
                except MemoryError:
                    raise _ResultFileError(f"{path}: {item.name} holds {item.size} values, more than fit in "
                                           "memory; not a vtrial result file") from None
        return columns

    def scalar(values, i):
        value = values[i]
        return value if isinstance(value, str) else value.item()

    out = {"attributes": {name: _text(value) for name, value in f.attrs.items()}}
    # Any other HDF5 file would read back as an empty or meaningless result.
    filetype = out["attributes"].get("filetype", "")
    if not isinstance(filetype, str) or not filetype.startswith("vtrial."):
        raise _ResultFileError(f"{path}: not a vtrial result file (its root attribute filetype is not vtrial.*)")
    out.update(read_group(f, 0, groups_only=True))

    summary = out.get("summary")
    if summary and "endpoint" in summary:
        def power_entry(i):
            entry = {}
            for key, values in summary.items():
                value = scalar(values, i)
                if key == "endpoint" or value == "":  # "" = does not apply; run() leaves it out
                    continue
                entry["endpoint" if key == "declared_endpoint" else key] = value
            return entry

        out["power"] = {endpoint: power_entry(i) for i, endpoint in enumerate(summary["endpoint"])}
    design = out.get("design")
    if design is not None:
        looks = design.pop("looks", None)
        out["design"] = {name: values[0].item() for name, values in design.items() if len(values)}
        if looks is not None:
            out["design"]["looks"] = []
            for j in range(len(looks["p_stop"])):
                look = {"look": j + 1}
                for key in ("information_fraction", "efficacy_z", "efficacy_p", "futility_z", "p_stop"):
                    value = float(looks[key][j])
                    look[key] = None if value != value else value
                day = float(looks["day"][j])
                if day == day:
                    look["day"] = day
                out["design"]["looks"].append(look)
    return out

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
A bad scenario key or value raises ValueError with the command line's message; other failures
raise RuntimeError. See docs/python.md.
"""

try:
    from ._vtrial import __version__, load_scenario, run, sample_size, sweep
except ImportError as _error:  # read_result still works without the compiled module
    _import_error = _error

    def _missing(*_args, **_kwargs):
        raise ImportError(f"the compiled module vtrial._vtrial is not available: {_import_error}")

    load_scenario = run = sweep = sample_size = _missing
    __version__ = None

__all__ = ["load_scenario", "run", "sweep", "sample_size", "read_result", "__version__"]


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

    def read_group(group):
        columns = {}
        for name, item in group.items():
            if isinstance(item, h5py.Group):
                columns[name] = read_group(item)
            elif h5py.check_string_dtype(item.dtype) is not None:
                columns[name] = [_text(v) for v in item.asstr()[()]]
            else:
                columns[name] = item[()]
        return columns

    def scalar(values, i):
        value = values[i]
        return value if isinstance(value, str) else value.item()

    out = {}
    with h5py.File(path, "r") as f:
        out["attributes"] = {name: _text(value) for name, value in f.attrs.items()}
        # Any other HDF5 file would read back as an empty or meaningless result.
        if not str(out["attributes"].get("filetype", "")).startswith("vtrial."):
            raise ValueError(f"{path}: not a vtrial result file (its root attribute filetype is not vtrial.*)")
        for group_name, group in f.items():
            if isinstance(group, h5py.Group):
                out[group_name] = read_group(group)

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

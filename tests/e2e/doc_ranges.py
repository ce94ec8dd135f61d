"""Shared by the docs tests and the one-off that wrote the model.md column: the accepted range
of a key as the docs tables write it, from `vtrial validate --keys` ("a number in [0, 3]" ->
"[0, 3]"), and the keys named in a table row's first cell."""
import re


def compact(accepted):
    for prefix, replacement in (("a number in ", ""), ("a number ", ""), ("a list of numbers in ", "list of "),
                                ("a list of numbers ", "list of "), ("an integer from ", "integer ")):
        if accepted.startswith(prefix):
            return replacement + accepted[len(prefix):]
    return accepted


def row_keys(first_cell):
    """`virus.rho_per_day`, `rho_cv` -> ["virus.rho_per_day", "virus.rho_cv"]: a bare name takes
    the section of the name before it."""
    names, section = [], ""
    for name in re.findall(r"`([^`]+)`", first_cell):
        if "." in name:
            section = name.rsplit(".", 1)[0]
        else:
            name = f"{section}.{name}"
        names.append(name)
    return names

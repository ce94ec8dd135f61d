"""A table of command-line misuses of every `vtrial` command, each of which must be a clear error.

Issue 16: every unknown key, wrong type or value out of range names the key, the line and the
accepted values; every accepted value runs in bounded time and memory; the program exits
non-zero and never writes a half file, nor over anything that is not its own output.

Each row of MISUSES is one misuse, run in a fresh pytest tmp_path (which holds a copy of the
registered scenario as `scenario.yaml`, plus whatever files the row asks for) with a timeout.
Every row must give:

- the expected exit status: 2 for a malformed command line (an unknown option, a missing or
  repeated option, a malformed option value such as `--patients 60:40:20` or `--threads abc`:
  the convention for usage errors, docs/scenario.md "Validation and errors"), 1 for bad input
  that the command line could not have known about (a scenario file, a `--set` value, and
  `--trials`/`--seed`, which are documented shorthands for `--set simulation.trials=N`, an
  output path, a result file); never 0 and never a signal;
- exactly one stderr line starting with `vtrial`, naming the offending option, key or path
  (and, where the row says so, the position and the accepted values); with status 1 that line
  is all of stderr (docs: "one line on stderr"); with status 2 the only other lines are the
  usage text; no C++ internals (`std::bad_alloc`, `boost::`), no library noise (HDF5, TBB);
- no file left behind (no output, no `.NAME.tmp.HOST.PID`), every pre-existing file byte for
  byte unchanged.

Rows marked `was_bug=...` are current misbehaviour: the row states the correct behaviour and is an
expected failure (xfail, strict), so whoever fixes it removes the marker. The module ends by
printing "CLI misuses: N tried, K clear errors, X expected failures (bugs)".

Run by ctest as part of `e2e_cli` (VTRIAL_BIN, VTRIAL_SOURCE_DIR). Every simulation is tiny
(at most a few hundred parametric trials), except the rows that test a bound, which run under a
1 GiB address-space limit and a short timeout.
"""
import dataclasses
import hashlib
import os
import random
import resource
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Optional, Tuple

import h5py
import numpy as np
import pytest

USAGE = 2  # a malformed command line
BAD_INPUT = 1  # a bad scenario, --set value, output path or result file

SCENARIO = "scenario.yaml"  # copy of scenarios/nct06971913.yaml in every case's directory
DOSE = "dose.yaml"  # copy of scenarios/nct06971913_dose_finding.yaml (three arms)
P = ("--set", "model=parametric")  # the fast patient model
TINY = ("--trials", "2")
BIG_INT = str(2 ** 63)  # one past simulation.seed's maximum and past int64
MEMORY_LIMIT = 1 << 30  # address space for the rows that test a bound


@dataclasses.dataclass(frozen=True)
class Misuse:
    id: str
    args: Tuple[str, ...]
    status: int
    names: Tuple[str, ...] = ()  # substrings the `vtrial` stderr line must contain
    files: Tuple[str, ...] = ()  # extra pre-existing files, by FILE_MAKERS name
    forbid: Tuple[str, ...] = ()  # substrings stderr must not contain
    bug: Optional[str] = None  # current misbehaviour: the row is an expected failure
    was_bug: Optional[str] = None  # a misbehaviour this row found, since fixed: it must stay fixed
    timeout: float = 60
    bounded: bool = False  # run under MEMORY_LIMIT
    root_skip: bool = False  # relies on file permissions, which root ignores


def m(id, args, status, names=(), **kw):
    return Misuse(id, tuple(args), status, tuple(names), **kw)


# --- the pre-existing files a row can ask for --------------------------------------------------


def _write(name, data):
    def make(d, ctx):
        (d / name).write_bytes(data if isinstance(data, bytes) else data.encode())
    return make


def _copy_good(name):
    def make(d, ctx):
        shutil.copyfile(ctx["good"], d / name)
    return make


def _damaged(d, ctx):
    """The run file with one byte changed inside its last object header (checksummed metadata)."""
    data = bytearray(Path(ctx["good"]).read_bytes())
    at = data.rfind(b"OHDR")
    assert at > 0, "no version-2 object header in the run file"
    data[at + 12] ^= 0xFF
    (d / "damaged.h5").write_bytes(bytes(data))


def _h5(name, filetype):
    def make(d, ctx):
        with h5py.File(d / name, "w") as f:
            if filetype != "none":
                f.attrs["filetype"] = filetype
            if filetype != "vtrial.run":
                f["x"] = np.arange(3)
    return make


def _mkdir(name):
    def make(d, ctx):
        (d / name).mkdir()
    return make


def _readonly_dir(d, ctx):
    (d / "ro").mkdir()
    (d / "ro").chmod(0o555)


def _symlink(name, target):
    def make(d, ctx):
        os.symlink(target, d / name)
    return make


def _copy_source(name, relative):
    def make(d, ctx):
        shutil.copyfile(ctx["source_dir"] / relative, d / name)
    return make


def _aliases():
    lines = ["a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]"]
    for prev, cur in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


FILE_MAKERS = {
    "dose.yaml": _copy_source(DOSE, "scenarios/nct06971913_dose_finding.yaml"),
    "x.h5": _copy_source("x.h5", "scenarios/nct06971913.yaml"),  # a scenario named like a result
    "notes.txt": _write("notes.txt", "precious notes, not vtrial's\n"),
    "prev.h5": _copy_good("prev.h5"),  # an earlier vtrial result
    "good.h5": _copy_good("good.h5"),
    "shard1.h5": lambda d, ctx: shutil.copyfile(ctx["shards"][0], d / "shard1.h5"),
    "shard2.h5": lambda d, ctx: shutil.copyfile(ctx["shards"][1], d / "shard2.h5"),
    "trunc.h5": lambda d, ctx: (d / "trunc.h5").write_bytes(Path(ctx["good"]).read_bytes()[:1000]),
    "damaged.h5": _damaged,
    "foreign.h5": _h5("foreign.h5", "other.format"),
    "noattr.h5": _h5("noattr.h5", "none"),
    "forged.h5": _h5("forged.h5", "vtrial.run"),  # says vtrial.run, holds nothing vtrial writes
    "empty.h5": _write("empty.h5", b""),
    "text.h5": _write("text.h5", "hello\n"),
    "sub": _mkdir("sub"),
    "ro": _readonly_dir,
    "link.h5": _symlink("link.h5", "prev.h5"),
    "dangling.h5": _symlink("dangling.h5", "nowhere.h5"),
    "random.yaml": _write("random.yaml", random.Random(16).randbytes(4096)),
    "list.yaml": _write("list.yaml", "- 1\n- 2\n"),
    "int.yaml": _write("int.yaml", "42\n"),
    "str.yaml": _write("str.yaml", "hello\n"),
    "dotted.yaml": _write("dotted.yaml", "name: x\ntrial.patients: 60\n"),
    "twodocs.yaml": _write("twodocs.yaml", "trial: {patients: 60}\n---\nname: x\n"),
    "dupkey.yaml": _write("dupkey.yaml", "trial:\n  patients: 60\n  patients: 70\n"),
    "section.yaml": _write("section.yaml", "trial: 5\n"),
    "exponent.yaml": _write("exponent.yaml", "trial:\n  patients: 1e2\n"),
    "unknown.yaml": _write("unknown.yaml", "name: x\ntrial:\n  patients: 60\n  bogus: 70\n"),
    "badyaml.yaml": _write("badyaml.yaml", "trial:\n  patients: [60\n"),
    "tab.yaml": _write("tab.yaml", "\ttrial: 1\n"),
    "comma.yaml": _write("comma.yaml", ",\n"),
    "aliases.yaml": _write("aliases.yaml", _aliases()),
    "huge.yaml": _write("huge.yaml", "# padding\n" * 500_000),  # 5 MB
    "longkey.yaml": _write("longkey.yaml", "k" * 5000 + ": 1\n"),
    "endpoints.yaml": _write("endpoints.yaml", "endpoints:\n" + "".join(
        f"  - {{name: e{i}}}\n" for i in range(201))),
    "range.yaml": _write("range.yaml", "trial:\n  follow_up_days: 84\n  patients: 1\n"),
}


# --- the table ---------------------------------------------------------------------------------

BUG_EXTRA_POSITIONAL = ("a second positional argument is refused with Boost's 'too many positional options "
                        "have been specified on the command line', which does not say which argument")
BUG_THREADS = ("--threads has no upper bound: 2^30 (or 2^31-1) threads crash with SIGSEGV (and `run` leaves its "
               ".NAME.tmp file), 10^8 ends in 'vtrial: error: std::bad_alloc'; both after a TBB warning on "
               "stderr. Should be a usage error naming --threads and its range")
BUG_NEWLINE = ("the error echoes the --set text raw, so a value or key holding a newline makes the "
               "'one line on stderr' message several lines")
BUG_SET_LOCATION = ("an error inside a mapping given by --set is located in the scenario file "
                    "(scenario.yaml:1:16, a position inside the --set value) instead of naming the --set text")
BUG_NULL_DEFAULT = ("a YAML null (~ or null) after '=' silently takes the default (--trials ~ runs 10000 "
                    "trials), although an empty value is refused as 'no value given; to use the default, "
                    "leave the key out' and docs/reliability.md promises no silent default")
BUG_VERIFY_STDOUT = ("vtrial verify reports a missing, foreign or damaged file only on stdout ('X: DAMAGED'), "
                     "with nothing on stderr; a bad input should also give one 'vtrial: error: FILE: ...' line "
                     "on stderr (and a missing file is not 'DAMAGED')")
BUG_DEV_NULL = ("/dev/null as the SCENARIO is read as an empty file and simulated with every default, "
                "writing null.h5; a device is not a scenario file (as a directory is not), so it should be "
                "refused naming it")
BUG_OUTPUT_LATE = ("sweep and samplesize check the output path only after simulating every size "
                   "(a refused -o costs the whole run; here it ends in std::bad_alloc first); "
                   "docs/reliability.md: refused before anything is simulated")
BUG_SWEEP_MEMORY = ("sweep/samplesize keep every size's per-trial table (~1.5 KB per trial): an accepted "
                    "--trials 100000000 grows to 140 GB, and under a 1 GiB limit ends in 'vtrial: error: "
                    "std::bad_alloc' after the simulation has started; should be refused at load naming "
                    "simulation.trials and the bound (or run in bounded memory)")
BUG_PATIENTS_TRAILING = ("--patients drops a trailing separator, so a malformed list is accepted "
                         "(while '60:80:' and ',60' are refused)")

MISUSES = [
    # --- the program and its commands ---
    m("no-command", [], USAGE, ["COMMAND"],
      was_bug="`vtrial` alone exits 2 but prints the usage on stdout and nothing on stderr; expected one "
          "'vtrial: ...' line naming the missing COMMAND on stderr, then the usage"),
    m("unknown-command", ["bogus", SCENARIO], USAGE, ["'bogus'"]),
    m("command-upper-case", ["RUN", SCENARIO], USAGE, ["'RUN'"]),
    m("option-as-command", ["--bogus"], USAGE, ["'--bogus'"]),
    m("version-extra-argument", ["--version", "extra"], USAGE, ["extra"],
      was_bug="--version ignores the arguments after it and exits 0"),

    # --- run: arguments and options ---
    m("run-no-scenario", ["run", "--trials", "2"], USAGE, ["scenario"]),
    m("run-empty-scenario-argument", ["run", ""], USAGE, ["scenario"]),
    m("run-extra-positional", ["run", SCENARIO, "extra.yaml"], USAGE, ["extra.yaml"], was_bug=BUG_EXTRA_POSITIONAL),
    m("run-unknown-option", ["run", SCENARIO, "--bogus"], USAGE, ["'--bogus'"]),
    m("run-unknown-short-option", ["run", SCENARIO, "-x"], USAGE, ["'-x'"]),
    m("run-option-wrong-case", ["run", SCENARIO, "--Trials", "5"], USAGE, ["'--Trials'"]),
    m("run-ambiguous-prefix", ["run", SCENARIO, "--t", "5"], USAGE, ["'--t'", "--threads", "--trials"]),
    m("run-ambiguous-prefix-hidden-option", ["run", SCENARIO, "--s", "trial.patients=60"], USAGE, ["'--s'"],
      forbid=("--scenario",),
      was_bug="the 'ambiguous' message lists '--scenario', an internal option no help text documents"),
    m("run-flag-with-value", ["run", SCENARIO, "--json=yes"], USAGE, ["'--json'"]),
    m("run-help-with-value", ["run", SCENARIO, "--help=3"], USAGE, ["'--help'"]),
    m("run-trials-twice", ["run", SCENARIO, "--trials", "5", "--trials", "6"], USAGE, ["'--trials'"]),
    m("run-seed-twice", ["run", SCENARIO, "--seed", "1", "--seed", "2"], USAGE, ["'--seed'"]),
    m("run-output-twice", ["run", SCENARIO, *TINY, "-o", "a.h5", "--output", "b.h5"], USAGE, ["'--output'"]),
    m("run-json-twice", ["run", SCENARIO, "--json", "--json"], USAGE, ["'--json'"]),
    m("run-trials-missing-value", ["run", SCENARIO, "--trials"], USAGE, ["'--trials'"]),
    m("run-trials-value-is-an-option", ["run", SCENARIO, "--trials", "--seed", "5"], USAGE, ["--trials"],
      was_bug="'--trials --seed 5' takes '--seed' as the value of --trials and reports 'too many positional "
          "options', naming neither"),
    m("run-trials-empty-after-equals", ["run", SCENARIO, "--trials="], USAGE, ["'--trials'"]),
    m("run-seed-missing-value", ["run", SCENARIO, "--seed"], USAGE, ["'--seed'"]),
    m("run-set-missing-value", ["run", SCENARIO, "--set"], USAGE, ["'--set'"]),
    m("run-output-missing-value", ["run", SCENARIO, "-o"], USAGE, ["'--output'"]),
    m("run-threads-missing-value", ["run", SCENARIO, "--threads"], USAGE, ["'--threads'"]),

    # --- --trials and --seed: exit 1, not 2: they are documented shorthands for --set
    # simulation.trials=N / simulation.seed=S and validated like the file (docs/scenario.md) ---
    m("run-trials-word", ["run", SCENARIO, "--trials", "abc"], BAD_INPUT,
      ["simulation.trials", "1 to 100000000", "abc"]),
    m("run-trials-negative", ["run", SCENARIO, "--trials", "-1"], BAD_INPUT, ["simulation.trials", "1 to 100000000"]),
    m("run-trials-zero", ["run", SCENARIO, "--trials", "0"], BAD_INPUT, ["simulation.trials", "1 to 100000000"]),
    m("run-trials-above-range", ["run", SCENARIO, "--trials", "100000001"], BAD_INPUT,
      ["simulation.trials", "100000001"]),
    m("run-trials-2-to-63", ["run", SCENARIO, "--trials", BIG_INT], BAD_INPUT, ["simulation.trials", BIG_INT]),
    m("run-trials-1e400", ["run", SCENARIO, "--trials", "1e400"], BAD_INPUT, ["simulation.trials", "1e400"]),
    m("run-trials-float", ["run", SCENARIO, "--trials", "2.5"], BAD_INPUT, ["simulation.trials", "2.5"]),
    m("run-trials-exponent", ["run", SCENARIO, "--trials", "1e2"], BAD_INPUT, ["simulation.trials", "1e2"]),
    m("run-trials-hex", ["run", SCENARIO, "--trials", "0x10"], BAD_INPUT, ["simulation.trials", "0x10"]),
    m("run-trials-empty", ["run", SCENARIO, "--trials", ""], BAD_INPUT, ["simulation.trials", "no value"]),
    m("run-trials-blank", ["run", SCENARIO, "--trials", "  "], BAD_INPUT, ["simulation.trials", "no value"]),
    m("run-trials-list", ["run", SCENARIO, "--trials", "[5]"], BAD_INPUT, ["simulation.trials", "list"]),
    m("run-trials-mapping", ["run", SCENARIO, "--trials", "{a: 1}"], BAD_INPUT, ["simulation.trials", "mapping"]),
    m("validate-trials-null", ["validate", SCENARIO, "--trials", "~"], BAD_INPUT, ["simulation.trials"],
      was_bug=BUG_NULL_DEFAULT),
    m("validate-trials-newline", ["validate", SCENARIO, "--trials", "5\n6"], BAD_INPUT, ["simulation.trials"],
      was_bug=BUG_NEWLINE),
    m("validate-trials-fullwidth-digit", ["validate", SCENARIO, "--trials", "\uff15"], BAD_INPUT,
      ["simulation.trials"]),
    m("validate-trials-underscore", ["validate", SCENARIO, "--trials", "1_000"], BAD_INPUT,
      ["simulation.trials", "1_000"]),
    m("run-seed-negative", ["run", SCENARIO, "--seed", "-1"], BAD_INPUT,
      ["simulation.seed", "0 to 9223372036854775807"]),
    m("run-seed-2-to-63", ["run", SCENARIO, "--seed", BIG_INT], BAD_INPUT, ["simulation.seed", BIG_INT]),
    m("run-seed-1e400", ["run", SCENARIO, "--seed", "1e400"], BAD_INPUT, ["simulation.seed", "1e400"]),
    m("run-seed-float", ["run", SCENARIO, "--seed", "1.5"], BAD_INPUT, ["simulation.seed", "1.5"]),
    m("run-seed-empty", ["run", SCENARIO, "--seed", ""], BAD_INPUT, ["simulation.seed", "no value"]),
    m("run-seed-word", ["run", SCENARIO, "--seed", "abc"], BAD_INPUT, ["simulation.seed", "abc"]),
    m("validate-seed-null", ["validate", SCENARIO, "--seed", "null"], BAD_INPUT, ["simulation.seed"],
      was_bug=BUG_NULL_DEFAULT),

    # --- --threads: a plain command-line option, checked by the parser: exit 2 ---
    m("run-threads-negative", ["run", SCENARIO, *P, *TINY, "--threads", "-1"], USAGE, ["--threads"]),
    m("run-threads-word", ["run", SCENARIO, *P, *TINY, "--threads", "abc"], USAGE, ["'--threads'", "abc"]),
    m("run-threads-float", ["run", SCENARIO, *P, *TINY, "--threads", "1.5"], USAGE, ["'--threads'", "1.5"]),
    m("run-threads-empty", ["run", SCENARIO, *P, *TINY, "--threads", ""], USAGE, ["'--threads'"]),
    m("run-threads-blank", ["run", SCENARIO, *P, *TINY, "--threads", " "], USAGE, ["'--threads'"]),
    m("run-threads-2-to-63", ["run", SCENARIO, *P, *TINY, "--threads", BIG_INT], USAGE, ["'--threads'"]),
    m("run-threads-2-to-31", ["run", SCENARIO, *P, *TINY, "--threads", str(2 ** 31)], USAGE, ["'--threads'"]),
    m("run-threads-1e400", ["run", SCENARIO, *P, *TINY, "--threads", "1e400"], USAGE, ["'--threads'"]),
    m("run-threads-twice", ["run", SCENARIO, *P, *TINY, "--threads", "1", "--threads", "2"], USAGE, ["'--threads'"]),
    m("run-threads-2-to-30", ["run", SCENARIO, *P, *TINY, "--threads", str(2 ** 30)], USAGE, ["--threads"],
      was_bug=BUG_THREADS, bounded=True, timeout=20),
    m("run-threads-int-max", ["run", SCENARIO, *P, *TINY, "--threads", str(2 ** 31 - 1)], USAGE, ["--threads"],
      was_bug=BUG_THREADS, bounded=True, timeout=20),
    m("run-threads-1e8", ["run", SCENARIO, *P, *TINY, "--threads", "100000000"], USAGE, ["--threads"],
      was_bug=BUG_THREADS, bounded=True, timeout=20),

    # --- --set: its value is scenario input, validated like the file: exit 1, the --set text named ---
    m("set-no-equals", ["run", SCENARIO, "--set", "trial.patients"], BAD_INPUT,
      ["--set trial.patients", "key.path=value"]),
    m("set-empty-key", ["run", SCENARIO, "--set", "=5"], BAD_INPUT, ["--set =5", "key.path=value"]),
    m("set-only-equals", ["run", SCENARIO, "--set", "="], BAD_INPUT, ["--set =", "key.path=value"]),
    m("set-two-equals", ["run", SCENARIO, "--set", "=="], BAD_INPUT, ["--set ==", "key.path=value"]),
    m("set-empty-value", ["run", SCENARIO, "--set", "trial.patients="], BAD_INPUT, ["trial.patients", "no value"]),
    m("set-blank-value", ["run", SCENARIO, "--set", "trial.patients=   "], BAD_INPUT, ["trial.patients", "no value"]),
    m("set-null-value", ["validate", SCENARIO, "--set", "trial.patients=~"], BAD_INPUT, ["trial.patients"],
      was_bug=BUG_NULL_DEFAULT),
    m("set-unknown-section", ["run", SCENARIO, "--set", "bogus=5"], BAD_INPUT,
      ["'bogus'", "accepted sections", "trial"]),
    m("set-unknown-key", ["run", SCENARIO, "--set", "trial.bogus=5"], BAD_INPUT,
      ["'trial.bogus'", "follow_up_days, patients, visit_interval_days"]),
    m("set-misspelt-key", ["run", SCENARIO, "--set", "trial.patient=60"], BAD_INPUT, ["trial.patient", "did you mean"]),
    m("set-blank-key", ["run", SCENARIO, "--set", " =5"], BAD_INPUT, ["--set  =5", "unknown key"]),
    m("set-key-leading-blank", ["run", SCENARIO, "--set", " trial.patients=60"], BAD_INPUT, ["' trial'"]),
    m("set-key-trailing-blank", ["run", SCENARIO, "--set", "trial.patients =60"], BAD_INPUT, ["'trial.patients '"]),
    m("set-path-past-scalar", ["run", SCENARIO, "--set", "trial.patients.x=3"], BAD_INPUT,
      ["trial.patients.x", "'patients' is not a section"]),
    m("set-empty-path-component", ["run", SCENARIO, "--set", "trial..patients=5"], BAD_INPUT, ["trial..patients"],
      forbid=("unknown key 'trial';",),
      was_bug="'trial..patients' is reported as \"unknown key 'trial'\", and 'trial' is a known section"),
    m("set-only-dot", ["run", SCENARIO, "--set", ".=5"], BAD_INPUT, ["--set .=5", "the key path has an empty part"]),
    m("set-section-given-scalar", ["run", SCENARIO, "--set", "trial=5"], BAD_INPUT, ["'trial' is a section"]),
    m("set-trailing-dot", ["run", SCENARIO, "--set", "trial.=5"], BAD_INPUT, ["--set trial.=5"]),
    m("set-out-of-range", ["run", SCENARIO, "--set", "trial.patients=1"], BAD_INPUT,
      ["trial.patients", "an integer from 2 to 100000", "got 1"]),
    m("set-choice", ["run", SCENARIO, "--set", "model=bogus"], BAD_INPUT,
      ["model", "parametric, mechanistic", "bogus"]),
    m("set-choice-wrong-case", ["run", SCENARIO, "--set", "model=Parametric"], BAD_INPUT,
      ["model", "parametric, mechanistic"]),
    m("set-boolean-yes", ["run", SCENARIO, "--set", "analysis.interim.enabled=yes"], BAD_INPUT,
      ["analysis.interim.enabled", "true or false"]),
    m("set-boolean-capital", ["run", SCENARIO, "--set", "analysis.interim.enabled=True"], BAD_INPUT,
      ["analysis.interim.enabled", "true or false"]),
    m("set-number-1e400", ["run", SCENARIO, "--set", "analysis.alpha=1e400"], BAD_INPUT, ["analysis.alpha", "(0, 1)"]),
    m("set-number-nan", ["run", SCENARIO, "--set", "analysis.alpha=.nan"], BAD_INPUT, ["analysis.alpha", "(0, 1)"]),
    m("set-number-inf", ["run", SCENARIO, "--set", "analysis.alpha=.inf"], BAD_INPUT, ["analysis.alpha", "(0, 1)"]),
    m("set-number-minus-inf", ["run", SCENARIO, "--set", "trial.follow_up_days=-.inf"], BAD_INPUT,
      ["trial.follow_up_days", "[1, 3650]"]),
    m("set-text-given-mapping", ["run", SCENARIO, "--set", "name=a: b"], BAD_INPUT, ["name", "text", "mapping"]),
    m("set-text-given-list", ["run", SCENARIO, "--set", "name=&a [*a]"], BAD_INPUT, ["name", "text", "list"]),
    m("set-undefined-alias", ["run", SCENARIO, "--set", "trial.patients=*a"], BAD_INPUT, ["trial.patients=*a", "YAML"]),
    m("set-bad-yaml", ["run", SCENARIO, "--set", "trial.patients=[1"], BAD_INPUT, ["trial.patients=[1", "YAML"]),
    m("set-deep-nesting", ["run", SCENARIO, "--set", "name=" + "[" * 50000 + "]" * 50000], BAD_INPUT, ["--set name="]),
    m("set-bad-date", ["run", SCENARIO, "--set", "enrollment.start_date=2025-13-45"], BAD_INPUT,
      ["enrollment.start_date", "YYYY-MM-DD"]),
    m("set-cross-key-date", ["run", SCENARIO, "--set", "enrollment.completion_date=2020-01-01"], BAD_INPUT,
      ["enrollment.completion_date", "after enrollment.start_date"]),
    m("set-cross-key-rows", ["run", SCENARIO, "--set", "output.patient_trials=10000", "--set", "trial.patients=100000"],
      BAD_INPUT, ["output.patient_trials", "2000000"]),
    m("set-second-document", ["run", SCENARIO, "--set", "trial.patients=60\n---\n70"], BAD_INPUT,
      ["trial.patients", "more than one YAML document"], was_bug=BUG_NEWLINE),
    m("set-second-document-text", ["run", SCENARIO, "--set", "name=x\n--- y"], BAD_INPUT,
      ["name", "more than one YAML document"], was_bug=BUG_NEWLINE),
    m("set-value-with-newline", ["run", SCENARIO, "--set", "trial.patients=60\nbogus: 1"], BAD_INPUT,
      ["trial.patients"], was_bug=BUG_NEWLINE),
    m("set-key-with-newline", ["run", SCENARIO, "--set", "trial.pati\nents=60"], BAD_INPUT, ["trial.pati"],
      was_bug=BUG_NEWLINE),
    m("set-single-line-document-marker", ["run", SCENARIO, "--set", "trial.patients=60 --- 70"], BAD_INPUT,
      ["trial.patients", "60 --- 70"]),
    m("set-5000-character-key", ["run", SCENARIO, "--set", "k" * 5000 + "=1"], BAD_INPUT, ["k" * 5000, "unknown key"]),
    m("set-5000-character-subkey", ["run", SCENARIO, "--set", "trial." + "k" * 5000 + "=1"], BAD_INPUT,
      ["trial." + "k" * 5000, "accepted keys under 'trial'"]),
    m("set-deep-unknown-path", ["run", SCENARIO, "--set", "a." * 3000 + "b=1"], BAD_INPUT, ["unknown key 'a'"]),
    m("set-1001-overrides", ["validate", SCENARIO, *["--set", "trial.patients=60"] * 1001], BAD_INPUT,
      ["--set", "1001", "at most 1000"]),
    m("set-mapping-value-out-of-range", ["run", SCENARIO, "--set", "trial={patients: 1}"], BAD_INPUT,
      ["--set trial={patients: 1}", "trial.patients", "2 to 100000"]),
    m("set-mapping-value-dotted-key", ["run", SCENARIO, "--set", "trial={patients.x: 1}"], BAD_INPUT,
      ["--set trial={patients.x: 1}", "contains '.'"]),
    m("set-mapping-value-unknown-key", ["run", SCENARIO, "--set", "trial={patients: 60, bogus: 1}"], BAD_INPUT,
      ["--set trial={patients: 60, bogus: 1}", "trial.bogus"], forbid=(SCENARIO,), was_bug=BUG_SET_LOCATION),
    m("set-mapping-value-duplicate-key", ["run", SCENARIO, "--set", "trial={patients: 60, patients: 70}"], BAD_INPUT,
      ["--set trial={patients: 60, patients: 70}", "given twice"], forbid=(SCENARIO,), was_bug=BUG_SET_LOCATION),
    m("set-list-item-past-end", ["run", SCENARIO, "--set", "endpoints.10.name=x"], BAD_INPUT,
      ["endpoints[10]", "no such item", "endpoints[0] to endpoints[9]"]),
    m("set-list-item-of-empty-list", ["run", SCENARIO, "--set", "arms.0.ratio=2"], BAD_INPUT,
      ["arms[0]", "no such item", "no items"]),
    m("set-list-item-past-end-3-arms", ["run", DOSE, "--set", "arms.3.ratio=2"], BAD_INPUT,
      ["arms[3]", "arms[0] to arms[2]"], files=("dose.yaml",)),
    m("set-list-item-huge-index", ["run", DOSE, "--set", "arms.99999999999999999999.ratio=2"], BAD_INPUT,
      ["arms[99999999999999999999]", "no such item"], files=("dose.yaml",)),
    m("set-list-item-negative-index", ["run", DOSE, "--set", "arms.-1.ratio=2"], BAD_INPUT,
      ["'-1'", "item number"], files=("dose.yaml",)),
    m("set-list-item-word-index", ["run", DOSE, "--set", "arms.x.ratio=2"], BAD_INPUT,
      ["'x'", "item number"], files=("dose.yaml",)),
    m("set-list-item-path-past-scalar", ["run", DOSE, "--set", "arms.0.ratio.x=2"], BAD_INPUT,
      ["arms.0.ratio.x", "'ratio' is not a section"], files=("dose.yaml",)),
    m("set-list-item-given-scalar", ["run", DOSE, "--set", "arms.0=5"], BAD_INPUT,
      ["arms[0]", "mapping"], files=("dose.yaml",)),
    m("set-list-item-bad-choice", ["run", SCENARIO, "--set", "endpoints.9.test=bogus"], BAD_INPUT,
      ["endpoints[9].test", "logrank, cox_wald"]),
    m("set-too-few-arms", ["run", SCENARIO, "--set", "arms=[{name: a}]"], BAD_INPUT, ["arms", "2 to 16"]),

    # --- the SCENARIO path and file: bad input, exit 1, the file (and line:column) named; an empty
    # SCENARIO argument is a missing argument (exit 2). An empty file is documented as valid (every
    # default), so it is not here (test_empty_scenario_file_is_the_documented_defaults) ---
    m("scenario-missing", ["run", "missing.yaml", *TINY], BAD_INPUT, ["missing.yaml", "cannot open"]),
    m("scenario-is-cwd", ["run", ".", *TINY], BAD_INPUT, [".: is a directory"]),
    m("scenario-is-directory", ["validate", "sub"], BAD_INPUT, ["sub", "directory"], files=("sub",)),
    m("scenario-trailing-slash", ["validate", "sub/"], BAD_INPUT, ["sub/"], files=("sub",)),
    m("scenario-dash", ["run", "-", *TINY], BAD_INPUT, ["-: cannot open"]),
    m("scenario-dev-null-run", ["run", "/dev/null", *TINY], BAD_INPUT, ["/dev/null"], was_bug=BUG_DEV_NULL),
    m("scenario-dev-null-sweep", ["sweep", "/dev/null", *TINY, "--patients", "10"], BAD_INPUT, ["/dev/null"],
      was_bug=BUG_DEV_NULL),
    m("scenario-random-bytes", ["validate", "random.yaml"], BAD_INPUT, ["random.yaml:"], files=("random.yaml",)),
    m("scenario-hdf5-result", ["run", "good.h5", *TINY], BAD_INPUT, ["good.h5:"], files=("good.h5",)),
    m("scenario-list", ["validate", "list.yaml"], BAD_INPUT, ["list.yaml", "mapping"], files=("list.yaml",)),
    m("scenario-integer", ["validate", "int.yaml"], BAD_INPUT, ["int.yaml", "mapping"], files=("int.yaml",)),
    m("scenario-string", ["run", "str.yaml", *TINY], BAD_INPUT, ["str.yaml", "mapping"], files=("str.yaml",)),
    m("scenario-dotted-key", ["validate", "dotted.yaml"], BAD_INPUT, ["dotted.yaml:2:", "trial.patients", "nest"],
      files=("dotted.yaml",)),
    m("scenario-second-document", ["run", "twodocs.yaml", *TINY], BAD_INPUT, ["twodocs.yaml", "more than one"],
      files=("twodocs.yaml",)),
    m("scenario-duplicate-key", ["validate", "dupkey.yaml"], BAD_INPUT, ["dupkey.yaml:3:", "trial.patients", "twice"],
      files=("dupkey.yaml",)),
    m("scenario-section-scalar", ["validate", "section.yaml"], BAD_INPUT, ["section.yaml:1:", "'trial' is a section"],
      files=("section.yaml",)),
    m("scenario-integer-with-exponent", ["validate", "exponent.yaml"], BAD_INPUT,
      ["exponent.yaml:2:", "trial.patients", "2 to 100000", "1e2"], files=("exponent.yaml",)),
    m("scenario-out-of-range", ["run", "range.yaml", *TINY], BAD_INPUT,
      ["range.yaml:3:", "trial.patients", "2 to 100000"], files=("range.yaml",)),
    m("scenario-unknown-key", ["run", "unknown.yaml", *TINY], BAD_INPUT,
      ["unknown.yaml:4:", "trial.bogus", "follow_up_days, patients, visit_interval_days"], files=("unknown.yaml",)),
    m("scenario-bad-yaml", ["validate", "badyaml.yaml"], BAD_INPUT, ["badyaml.yaml:", "YAML"], files=("badyaml.yaml",)),
    m("scenario-tab-indent", ["validate", "tab.yaml"], BAD_INPUT, ["tab.yaml:1:"], files=("tab.yaml",)),
    m("scenario-stray-comma", ["validate", "comma.yaml"], BAD_INPUT, ["comma.yaml"], files=("comma.yaml",)),
    m("scenario-alias-bomb", ["validate", "aliases.yaml"], BAD_INPUT, ["aliases.yaml:", "100000 values"],
      files=("aliases.yaml",)),
    m("scenario-over-4-mib", ["validate", "huge.yaml"], BAD_INPUT, ["huge.yaml", "4 MiB"], files=("huge.yaml",)),
    m("scenario-5000-character-key", ["validate", "longkey.yaml"], BAD_INPUT, ["longkey.yaml:1:"],
      files=("longkey.yaml",)),
    m("scenario-201-endpoints", ["validate", "endpoints.yaml"], BAD_INPUT, ["endpoints.yaml:", "at most 200"],
      files=("endpoints.yaml",)),
    m("scenario-is-its-own-default-output", ["run", "x.h5", *TINY], BAD_INPUT, ["refusing to replace x.h5"],
      files=("x.h5",)),

    # --- output paths: only absent paths and vtrial's own files may be written; a refused path is
    # exit 1 ("refusing to replace ...", docs/output.md), an empty --output a usage error (exit 2) ---
    m("output-cwd", ["run", SCENARIO, *P, *TINY, "-o", "."], BAD_INPUT, ["refusing to replace .", "directory"]),
    m("output-directory", ["run", SCENARIO, *P, *TINY, "-o", "sub"], BAD_INPUT,
      ["refusing to replace sub", "directory"], files=("sub",)),
    m("output-is-the-scenario", ["run", SCENARIO, *P, *TINY, "-o", SCENARIO], BAD_INPUT,
      [f"refusing to replace {SCENARIO}", "not a vtrial result"]),
    m("output-other-file", ["run", SCENARIO, *P, *TINY, "-o", "notes.txt"], BAD_INPUT,
      ["refusing to replace notes.txt"], files=("notes.txt",)),
    m("output-foreign-hdf5", ["run", SCENARIO, *P, *TINY, "-o", "foreign.h5"], BAD_INPUT,
      ["refusing to replace foreign.h5"], files=("foreign.h5",)),
    m("output-symlink", ["run", SCENARIO, *P, *TINY, "-o", "link.h5"], BAD_INPUT, ["link.h5", "symbolic link"],
      files=("prev.h5", "link.h5")),
    m("output-dangling-symlink", ["run", SCENARIO, *P, *TINY, "-o", "dangling.h5"], BAD_INPUT,
      ["dangling.h5", "symbolic link"], files=("dangling.h5",)),
    m("output-dash", ["run", SCENARIO, *P, *TINY, "-o", "-"], BAD_INPUT, ["output '-'", "--json"]),
    m("output-empty", ["run", SCENARIO, *P, *TINY, "-o", ""], USAGE, ["--output is empty"]),
    m("output-empty-after-equals", ["run", SCENARIO, *P, *TINY, "--output="], USAGE, ["'--output'"]),
    m("output-missing-directory", ["run", SCENARIO, *P, *TINY, "-o", "missing/x.h5"], BAD_INPUT,
      ["missing/x.h5", "No such file or directory"]),
    m("output-trailing-slash", ["run", SCENARIO, *P, *TINY, "-o", "x.h5/"], BAD_INPUT, ["x.h5/"]),
    m("output-under-a-file", ["run", SCENARIO, *P, *TINY, "-o", f"{SCENARIO}/x.h5"], BAD_INPUT,
      [f"{SCENARIO}/x.h5", "Not a directory"]),
    m("output-name-too-long", ["run", SCENARIO, *P, *TINY, "-o", "x" * 300 + ".h5"], BAD_INPUT,
      ["x" * 300 + ".h5", "too long"]),
    m("output-read-only-directory", ["run", SCENARIO, *P, *TINY, "-o", "ro/x.h5"], BAD_INPUT,
      ["ro/x.h5", "Permission denied"], files=("ro",), root_skip=True),
    m("output-earlier-result-kept-on-bad-trials", ["run", SCENARIO, "--trials", "0", "-o", "prev.h5"], BAD_INPUT,
      ["simulation.trials"], files=("prev.h5",)),
    m("output-earlier-result-kept-on-bad-set", ["run", SCENARIO, "--set", "model=bogus", "-o", "prev.h5"], BAD_INPUT,
      ["model"], files=("prev.h5",)),
    m("sweep-output-directory", ["sweep", SCENARIO, *P, *TINY, "--patients", "10", "-o", "."], BAD_INPUT,
      ["refusing to replace .", "directory"]),
    m("sweep-output-other-file", ["sweep", SCENARIO, *P, *TINY, "--patients", "10", "-o", "notes.txt"], BAD_INPUT,
      ["refusing to replace notes.txt"], files=("notes.txt",)),
    m("sweep-output-dash", ["sweep", SCENARIO, *P, *TINY, "--patients", "10", "-o", "-"], BAD_INPUT, ["output '-'"]),
    m("sweep-output-empty", ["sweep", SCENARIO, *P, *TINY, "--patients", "10", "-o", ""], USAGE, ["--output is empty"]),
    m("sweep-output-missing-directory",
      ["sweep", SCENARIO, *P, *TINY, "--patients", "10", "-o", "missing/x.h5"], BAD_INPUT, ["missing/x.h5"]),
    m("sweep-output-earlier-result-kept", ["sweep", SCENARIO, *TINY, "--patients", "60:40:20", "-o", "prev.h5"], USAGE,
      ["--patients 60:40:20"], files=("prev.h5",)),
    m("sweep-output-refused-before-simulating",
      ["sweep", SCENARIO, *P, "--trials", "1000000", "--threads", "2", "--patients", "20:100:20", "-o", "notes.txt"],
      BAD_INPUT, ["refusing to replace notes.txt"], files=("notes.txt",), was_bug=BUG_OUTPUT_LATE, bounded=True, timeout=5),
    m("samplesize-output-other-file",
      ["samplesize", SCENARIO, *P, "--trials", "20", "--criterion", "estimate", "-o", "notes.txt"], BAD_INPUT,
      ["refusing to replace notes.txt"], files=("notes.txt",)),
    m("samplesize-output-directory",
      ["samplesize", SCENARIO, *P, "--trials", "20", "--criterion", "estimate", "-o", "."],
      BAD_INPUT, ["refusing to replace .", "directory"]),
    m("samplesize-output-dash",
      ["samplesize", SCENARIO, *P, "--trials", "20", "--criterion", "estimate", "-o", "-"], BAD_INPUT, ["output '-'"]),
    m("samplesize-output-empty", ["samplesize", SCENARIO, *P, *TINY, "-o", ""], USAGE, ["--output is empty"]),
    m("samplesize-output-missing-directory",
      ["samplesize", SCENARIO, *P, "--trials", "20", "--criterion", "estimate", "-o", "missing/x.h5"], BAD_INPUT,
      ["missing/x.h5"]),
    m("samplesize-output-refused-before-simulating",
      ["samplesize", SCENARIO, *P, "--trials", "1000000", "--threads", "2", "--criterion", "estimate", "-o",
       "notes.txt"], BAD_INPUT, ["refusing to replace notes.txt"], files=("notes.txt",), was_bug=BUG_OUTPUT_LATE,
      bounded=True, timeout=5),

    # --- validate: options it does not take are unknown options (exit 2) ---
    m("validate-no-scenario", ["validate"], USAGE, ["scenario"]),
    m("validate-extra-positional", ["validate", SCENARIO, "extra.yaml"], USAGE, ["extra.yaml"],
      was_bug=BUG_EXTRA_POSITIONAL),
    m("validate-threads", ["validate", SCENARIO, "--threads", "2"], USAGE, ["'--threads'"]),
    m("validate-output", ["validate", SCENARIO, "-o", "x.h5"], USAGE, ["'-o'"]),
    m("validate-json-without-keys", ["validate", SCENARIO, "--json"], USAGE, ["--json", "--keys"]),
    m("validate-keys-twice", ["validate", SCENARIO, "--keys", "--keys"], USAGE, ["'--keys'"]),
    m("validate-keys-bad-trials", ["validate", SCENARIO, "--keys", "--json", "--trials", "x"], BAD_INPUT,
      ["simulation.trials"]),

    # --- sweep: a malformed --patients is a malformed option, exit 2 (sweep_command.cpp, "like any
    # other"); scenario keys given through it stay exit 1 ---
    m("sweep-no-patients", ["sweep", SCENARIO, *TINY], USAGE, ["'--patients'"]),
    m("sweep-no-scenario", ["sweep", "--patients", "60"], USAGE, ["scenario"]),
    m("sweep-extra-positional", ["sweep", SCENARIO, "extra.yaml", "--patients", "60"], USAGE, ["extra.yaml"],
      was_bug=BUG_EXTRA_POSITIONAL),
    m("sweep-patients-missing-value", ["sweep", SCENARIO, "--patients"], USAGE, ["'--patients'"]),
    m("sweep-patients-twice", ["sweep", SCENARIO, *TINY, "--patients", "60", "--patients", "80"], USAGE,
      ["'--patients'"]),
    m("sweep-patients-descending", ["sweep", SCENARIO, *TINY, "--patients", "60:40:20"], USAGE,
      ["--patients 60:40:20", "first <= last"]),
    m("sweep-patients-four-parts", ["sweep", SCENARIO, *TINY, "--patients", "1:2:3:4"], USAGE,
      ["--patients 1:2:3:4", "first:last:step"]),
    m("sweep-patients-words", ["sweep", SCENARIO, *TINY, "--patients", "a:b:c"], USAGE, ["--patients a:b:c", "'a'"]),
    m("sweep-patients-colons-only", ["sweep", SCENARIO, *TINY, "--patients", "::"], USAGE, ["--patients ::"]),
    m("sweep-patients-zero-step", ["sweep", SCENARIO, *TINY, "--patients", "60:140:0"], USAGE,
      ["--patients 60:140:0", "positive step"]),
    m("sweep-patients-negative-step", ["sweep", SCENARIO, *TINY, "--patients", "60:140:-20"], USAGE,
      ["--patients 60:140:-20", "positive step"]),
    m("sweep-patients-two-parts", ["sweep", SCENARIO, *TINY, "--patients", "60:80"], USAGE,
      ["--patients 60:80", "first:last:step"]),
    m("sweep-patients-empty-step", ["sweep", SCENARIO, *TINY, "--patients", "60:80:"], USAGE, ["--patients 60:80:"]),
    m("sweep-patients-leading-colon", ["sweep", SCENARIO, *TINY, "--patients", ":60:80:20"], USAGE,
      ["--patients :60:80:20"]),
    m("sweep-patients-trailing-colon", ["sweep", SCENARIO, *TINY, "--patients", "60:80:20:"], USAGE,
      ["--patients 60:80:20:"], was_bug=BUG_PATIENTS_TRAILING),
    m("sweep-patients-mixed", ["sweep", SCENARIO, *TINY, "--patients", "60:80,100"], USAGE, ["--patients 60:80,100"]),
    m("sweep-patients-empty", ["sweep", SCENARIO, *TINY, "--patients", ""], USAGE, ["--patients", "at least one"]),
    m("sweep-patients-blank", ["sweep", SCENARIO, *TINY, "--patients", " "], USAGE, ["--patients"]),
    m("sweep-patients-leading-comma", ["sweep", SCENARIO, *TINY, "--patients", ",60"], USAGE, ["--patients ,60"]),
    m("sweep-patients-double-comma", ["sweep", SCENARIO, *TINY, "--patients", "60,,80"], USAGE, ["--patients 60,,80"]),
    m("sweep-patients-trailing-comma", ["sweep", SCENARIO, *TINY, "--patients", "60,"], USAGE, ["--patients 60,"],
      was_bug=BUG_PATIENTS_TRAILING),
    m("sweep-patients-trailing-blank", ["sweep", SCENARIO, *TINY, "--patients", "60 "], USAGE, ["'60 '"]),
    m("sweep-patients-below-range", ["sweep", SCENARIO, *TINY, "--patients", "1"], USAGE,
      ["--patients 1", "2 to 100000"]),
    m("sweep-patients-above-range", ["sweep", SCENARIO, *TINY, "--patients", "100001"], USAGE,
      ["--patients 100001", "2 to 100000"]),
    m("sweep-patients-2-to-63", ["sweep", SCENARIO, *TINY, "--patients", BIG_INT], USAGE, [BIG_INT]),
    m("sweep-patients-int64-range", ["sweep", SCENARIO, *TINY, "--patients", f"2:{2 ** 63 - 1}:1"], USAGE,
      ["2 to 100000"]),
    m("sweep-patients-int64-extremes", ["sweep", SCENARIO, *TINY, "--patients", f"{-2 ** 63}:100:{2 ** 63 - 1}"], USAGE,
      ["2 to 100000"]),
    m("sweep-patients-too-many-sizes", ["sweep", SCENARIO, *TINY, "--patients", "2:100000:1"], USAGE, ["at most 200"]),
    m("sweep-patients-201-sizes-list", ["sweep", SCENARIO, *TINY, "--patients", ",".join(["60"] * 201)], USAGE,
      ["--patients", "at most 200"]),
    m("sweep-patients-float", ["sweep", SCENARIO, *TINY, "--patients", "60.5"], USAGE, ["'60.5'", "whole number"]),
    m("sweep-patients-exponent", ["sweep", SCENARIO, *TINY, "--patients", "1e2"], USAGE, ["'1e2'", "whole number"]),
    m("sweep-endpoint-not-an-option", ["sweep", SCENARIO, *TINY, "--patients", "60", "--endpoint", "x"], USAGE,
      ["'--endpoint'"]),
    m("sweep-trials-zero", ["sweep", SCENARIO, "--trials", "0", "--patients", "60"], BAD_INPUT, ["simulation.trials"]),
    m("sweep-seed-float", ["sweep", SCENARIO, *TINY, "--seed", "0.5", "--patients", "60"], BAD_INPUT,
      ["simulation.seed"]),
    m("sweep-threads-negative", ["sweep", SCENARIO, *TINY, "--patients", "60", "--threads", "-3"], USAGE,
      ["--threads"]),
    m("sweep-threads-2-to-30", ["sweep", SCENARIO, *P, *TINY, "--patients", "20", "--threads", str(2 ** 30)], USAGE,
      ["--threads"], was_bug=BUG_THREADS, bounded=True, timeout=20),
    m("sweep-set-unknown-key", ["sweep", SCENARIO, *TINY, "--patients", "60", "--set", "trial.bogus=1"], BAD_INPUT,
      ["trial.bogus"]),
    m("sweep-trials-unbounded-memory",
      ["sweep", SCENARIO, *P, "--trials", "100000000", "--threads", "2", "--patients", "20:100:20"], BAD_INPUT,
      ["trials"], was_bug=BUG_SWEEP_MEMORY, bounded=True, timeout=20),

    # --- samplesize: its own options (--target-power, --step, --min, --max, --criterion) are checked
    # with the command line, exit 2; --endpoint depends on the scenario's endpoints, exit 1 ---
    m("samplesize-no-scenario", ["samplesize"], USAGE, ["scenario"]),
    m("samplesize-extra-positional", ["samplesize", SCENARIO, "extra.yaml"], USAGE, ["extra.yaml"],
      was_bug=BUG_EXTRA_POSITIONAL),
    m("samplesize-target-zero", ["samplesize", SCENARIO, *TINY, "--target-power", "0"], USAGE,
      ["--target-power", "(0, 1)"]),
    m("samplesize-target-one", ["samplesize", SCENARIO, *TINY, "--target-power", "1"], USAGE,
      ["--target-power", "(0, 1)"]),
    m("samplesize-target-negative", ["samplesize", SCENARIO, *TINY, "--target-power", "-0.5"], USAGE,
      ["--target-power", "(0, 1)"]),
    m("samplesize-target-nan", ["samplesize", SCENARIO, *TINY, "--target-power", "nan"], USAGE, ["--target-power"]),
    m("samplesize-target-inf", ["samplesize", SCENARIO, *TINY, "--target-power", "inf"], USAGE, ["--target-power"]),
    m("samplesize-target-1e400", ["samplesize", SCENARIO, *TINY, "--target-power", "1e400"], USAGE,
      ["'--target-power'"]),
    m("samplesize-target-underflow", ["samplesize", SCENARIO, *TINY, "--target-power", "1e-400"], USAGE,
      ["--target-power", "(0, 1)"]),
    m("samplesize-target-word", ["samplesize", SCENARIO, *TINY, "--target-power", "abc"], USAGE, ["'--target-power'"]),
    m("samplesize-target-empty", ["samplesize", SCENARIO, *TINY, "--target-power", ""], USAGE, ["'--target-power'"]),
    m("samplesize-target-suffix", ["samplesize", SCENARIO, *TINY, "--target-power", "0.8x"], USAGE,
      ["'--target-power'"]),
    m("samplesize-target-percent", ["samplesize", SCENARIO, *TINY, "--target-power", "80%"], USAGE,
      ["'--target-power'"]),
    m("samplesize-target-missing-value", ["samplesize", SCENARIO, "--target-power"], USAGE, ["'--target-power'"]),
    m("samplesize-step-zero", ["samplesize", SCENARIO, *TINY, "--step", "0"], USAGE, ["--step", "1 to 100000"]),
    m("samplesize-step-negative", ["samplesize", SCENARIO, *TINY, "--step", "-2"], USAGE, ["--step", "1 to 100000"]),
    m("samplesize-step-above-range", ["samplesize", SCENARIO, *TINY, "--step", "100001"], USAGE,
      ["--step", "1 to 100000"]),
    m("samplesize-step-float", ["samplesize", SCENARIO, *TINY, "--step", "2.5"], USAGE, ["'--step'"]),
    m("samplesize-step-2-to-63", ["samplesize", SCENARIO, *TINY, "--step", BIG_INT], USAGE, ["'--step'"]),
    m("samplesize-step-word", ["samplesize", SCENARIO, *TINY, "--step", "abc"], USAGE, ["'--step'"]),
    m("samplesize-step-empty", ["samplesize", SCENARIO, *TINY, "--step", ""], USAGE, ["'--step'"]),
    m("samplesize-min-below-range", ["samplesize", SCENARIO, *TINY, "--min", "1"], USAGE, ["--min", "2 <= min"]),
    m("samplesize-min-negative", ["samplesize", SCENARIO, *TINY, "--min", "-5"], USAGE, ["--min"]),
    m("samplesize-min-exponent", ["samplesize", SCENARIO, *TINY, "--min", "1e3"], USAGE, ["'--min'"]),
    m("samplesize-max-above-range", ["samplesize", SCENARIO, *TINY, "--max", "100001"], USAGE, ["--max", "<= 100000"]),
    m("samplesize-max-int64", ["samplesize", SCENARIO, *TINY, "--max", str(2 ** 63 - 1)], USAGE, ["--max"]),
    m("samplesize-max-word", ["samplesize", SCENARIO, *TINY, "--max", "abc"], USAGE, ["'--max'"]),
    m("samplesize-min-above-max", ["samplesize", SCENARIO, *TINY, "--min", "50", "--max", "40"], USAGE,
      ["--min", "--max", "min <= max"]),
    m("samplesize-criterion-unknown", ["samplesize", SCENARIO, *TINY, "--criterion", "upper"], USAGE,
      ["--criterion", "'lower' or 'estimate'"]),
    m("samplesize-criterion-empty", ["samplesize", SCENARIO, *TINY, "--criterion", ""], USAGE, ["--criterion"]),
    m("samplesize-criterion-wrong-case", ["samplesize", SCENARIO, *TINY, "--criterion", "Lower"], USAGE,
      ["--criterion"]),
    m("samplesize-endpoint-unknown", ["samplesize", SCENARIO, *P, *TINY, "--endpoint", "bogus"], BAD_INPUT,
      ["--endpoint bogus", "choose from", "duration_of_viremia"]),
    m("samplesize-endpoint-empty", ["samplesize", SCENARIO, *P, *TINY, "--endpoint", ""], BAD_INPUT,
      ["--endpoint", "choose from"]),
    m("samplesize-endpoint-other-model", ["samplesize", SCENARIO, *P, *TINY, "--endpoint", "clinical_response"],
      BAD_INPUT, ["--endpoint clinical_response", "choose from"]),
    m("samplesize-endpoint-twice", ["samplesize", SCENARIO, *TINY, "--endpoint", "a", "--endpoint", "b"], USAGE,
      ["'--endpoint'"]),
    m("samplesize-endpoint-missing-value", ["samplesize", SCENARIO, "--endpoint"], USAGE, ["'--endpoint'"]),
    m("samplesize-patients-not-an-option", ["samplesize", SCENARIO, *TINY, "--patients", "60"], USAGE,
      ["'--patients'"]),
    m("samplesize-trials-word", ["samplesize", SCENARIO, "--trials", "many"], BAD_INPUT, ["simulation.trials", "many"]),
    m("samplesize-threads-2-to-30", ["samplesize", SCENARIO, *P, "--trials", "20", "--criterion", "estimate",
                                     "--threads", str(2 ** 30)], USAGE, ["--threads"], was_bug=BUG_THREADS, bounded=True,
      timeout=20),
    m("samplesize-trials-unbounded-memory",
      ["samplesize", SCENARIO, *P, "--trials", "100000000", "--threads", "2"], BAD_INPUT, ["trials"],
      was_bug=BUG_SWEEP_MEMORY, bounded=True, timeout=20),

    # --- run --shard K/N and merge (issue 12): a malformed --shard or merge's own command line is a
    # usage error (exit 2); shards that do not make up a run, and refused outputs, are bad input (exit 1) ---
    m("run-shard-zero", ["run", SCENARIO, *P, *TINY, "--shard", "0/2"], USAGE, ["--shard 0/2", "1 <= K <= N"]),
    m("run-shard-k-above-n", ["run", SCENARIO, *P, *TINY, "--shard", "3/2"], USAGE, ["--shard 3/2", "1 <= K <= N"]),
    m("run-shard-no-slash", ["run", SCENARIO, *P, *TINY, "--shard", "1"], USAGE, ["--shard 1", "K/N"]),
    m("run-shard-three-parts", ["run", SCENARIO, *P, *TINY, "--shard", "1/2/3"], USAGE, ["--shard 1/2/3"]),
    m("run-shard-words", ["run", SCENARIO, *P, *TINY, "--shard", "a/b"], USAGE, ["--shard a/b"]),
    m("run-shard-float", ["run", SCENARIO, *P, *TINY, "--shard", "1.5/2"], USAGE, ["--shard 1.5/2"]),
    m("run-shard-negative", ["run", SCENARIO, *P, *TINY, "--shard", "-1/2"], USAGE, ["--shard -1/2"]),
    m("run-shard-2-to-63", ["run", SCENARIO, *P, *TINY, "--shard", f"1/{BIG_INT}"], USAGE, [f"--shard 1/{BIG_INT}"]),
    m("run-shard-empty", ["run", SCENARIO, *P, *TINY, "--shard", ""], USAGE, ["--shard"]),
    m("run-shard-twice", ["run", SCENARIO, *P, *TINY, "--shard", "1/2", "--shard", "2/2"], USAGE, ["'--shard'"]),
    m("run-shard-more-shards-than-trials", ["run", SCENARIO, *P, "--trials", "20", "--shard", "1/30"], BAD_INPUT,
      ["--shard 1/30", "at most 20 shards"]),
    m("validate-shard", ["validate", SCENARIO, "--shard", "1/2"], USAGE, ["'--shard'"]),
    m("sweep-shard-malformed", ["sweep", SCENARIO, *TINY, "--patients", "60", "--shard", "3/2"], USAGE,
      ["--shard 3/2: expected K/N"]),
    m("sweep-shard-more-than-trials", ["sweep", SCENARIO, *TINY, "--patients", "60", "--shard", "1/3"], BAD_INPUT,
      ["3 shards of 2 trials"]),
    m("merge-no-files", ["merge"], USAGE, ["no shard files"]),
    m("merge-only-output", ["merge", "-o", "out.h5"], USAGE, ["no shard files"]),
    m("merge-no-output", ["merge", "shard1.h5", "shard2.h5"], USAGE, ["--output"], files=("shard1.h5", "shard2.h5")),
    m("merge-output-missing-value", ["merge", "shard1.h5", "shard2.h5", "-o"], USAGE, ["-o"],
      files=("shard1.h5", "shard2.h5")),
    m("merge-output-empty", ["merge", "shard1.h5", "shard2.h5", "-o", ""], USAGE, ["--output is empty"],
      files=("shard1.h5", "shard2.h5")),
    m("merge-output-twice", ["merge", "shard1.h5", "shard2.h5", "-o", "a.h5", "-o", "b.h5"], USAGE, ["-o"],
      files=("shard1.h5", "shard2.h5"),
      was_bug="merge takes the last of two -o (and writes b.h5), where every other command refuses an option given "
          "twice"),
    m("merge-unknown-option", ["merge", "shard1.h5", "--bogus"], USAGE, ["'--bogus'"], files=("shard1.h5",)),
    m("merge-json", ["merge", "shard1.h5", "shard2.h5", "-o", "out.h5", "--json"], USAGE, ["'--json'"],
      files=("shard1.h5", "shard2.h5")),
    m("merge-dash", ["merge", "shard1.h5", "-"], USAGE, ["'-'"], files=("shard1.h5",)),
    m("merge-missing-with-output", ["merge", "shard1.h5", "--missing", "-o", "out.h5"], USAGE, ["--missing"],
      files=("shard1.h5",)),
    m("merge-a-shard-missing", ["merge", "shard1.h5", "-o", "out.h5"], BAD_INPUT, ["missing", "2/2"],
      files=("shard1.h5",)),
    m("merge-a-shard-twice", ["merge", "shard1.h5", "shard1.h5", "-o", "out.h5"], BAD_INPUT,
      ["shard1.h5", "given twice"], files=("shard1.h5",)),
    m("merge-missing-lists-a-doubled-shard", ["merge", "shard1.h5", "shard2.h5", "shard1.h5", "--missing"], BAD_INPUT,
      ["shard1.h5", "twice"], files=("shard1.h5", "shard2.h5"),
      was_bug="merge --missing says '# no shard missing' (exit 0) for a list with a shard given twice, which "
          "merge -o refuses ('is given twice')"),
    m("merge-a-run-file", ["merge", "good.h5", "-o", "out.h5"], BAD_INPUT, ["good.h5", "not a shard"],
      files=("good.h5",)),
    m("merge-a-text-file", ["merge", "text.h5", "-o", "out.h5"], BAD_INPUT, ["text.h5"], files=("text.h5",)),
    m("merge-a-missing-file", ["merge", "missing.h5", "-o", "out.h5"], BAD_INPUT, ["missing.h5"]),
    m("merge-a-directory", ["merge", "sub", "-o", "out.h5"], BAD_INPUT, ["sub"], files=("sub",)),
    m("merge-output-other-file", ["merge", "shard1.h5", "shard2.h5", "-o", "notes.txt"], BAD_INPUT,
      ["refusing to replace notes.txt"], files=("shard1.h5", "shard2.h5", "notes.txt")),
    m("merge-output-directory", ["merge", "shard1.h5", "shard2.h5", "-o", "sub"], BAD_INPUT,
      ["refusing to replace sub"], files=("shard1.h5", "shard2.h5", "sub")),
    m("merge-output-dash", ["merge", "shard1.h5", "shard2.h5", "-o", "-"], BAD_INPUT, ["output '-'"],
      files=("shard1.h5", "shard2.h5")),
    m("merge-output-missing-directory", ["merge", "shard1.h5", "shard2.h5", "-o", "missing/x.h5"], BAD_INPUT,
      ["missing/x.h5"], files=("shard1.h5", "shard2.h5")),
    m("merge-output-is-one-of-its-shards", ["merge", "shard1.h5", "shard2.h5", "-o", "shard1.h5"], BAD_INPUT,
      ["shard1.h5"], files=("shard1.h5", "shard2.h5"),
      was_bug="merge replaces its own input shard1.h5 with the merged file (exit 0): a shard is vtrial's file, so "
          "the output check lets it through; the input shard is lost. Should be refused, naming it"),

    # --- verify: no file or an unknown option is a usage error (exit 2); a file that is missing, not
    # HDF5, not vtrial's or damaged is bad input, exit 1 (docs/output.md) ---
    m("verify-no-file", ["verify"], USAGE, ["no result file"]),
    m("verify-json-only", ["verify", "--json"], USAGE, ["no result file"]),
    m("verify-unknown-option", ["verify", "good.h5", "--bogus"], USAGE, ["'--bogus'"], files=("good.h5",)),
    m("verify-output-option", ["verify", "good.h5", "-o", "x"], USAGE, ["'-o'"], files=("good.h5",)),
    m("verify-dash", ["verify", "-"], USAGE, ["'-'"]),
    m("verify-missing-file", ["verify", "missing.h5"], BAD_INPUT, ["missing.h5"], was_bug=BUG_VERIFY_STDOUT),
    m("verify-directory", ["verify", "sub"], BAD_INPUT, ["sub"], files=("sub",), was_bug=BUG_VERIFY_STDOUT),
    m("verify-text-file", ["verify", "text.h5"], BAD_INPUT, ["text.h5"], files=("text.h5",), was_bug=BUG_VERIFY_STDOUT),
    m("verify-the-scenario", ["verify", SCENARIO], BAD_INPUT, [SCENARIO], was_bug=BUG_VERIFY_STDOUT),
    m("verify-empty-file", ["verify", "empty.h5"], BAD_INPUT, ["empty.h5"], files=("empty.h5",), was_bug=BUG_VERIFY_STDOUT),
    m("verify-foreign-hdf5", ["verify", "foreign.h5"], BAD_INPUT, ["foreign.h5", "not a vtrial result"],
      files=("foreign.h5",), was_bug=BUG_VERIFY_STDOUT),
    m("verify-hdf5-without-filetype", ["verify", "noattr.h5"], BAD_INPUT, ["noattr.h5"], files=("noattr.h5",),
      was_bug=BUG_VERIFY_STDOUT),
    m("verify-truncated-result", ["verify", "trunc.h5"], BAD_INPUT, ["trunc.h5"], files=("trunc.h5",),
      was_bug=BUG_VERIFY_STDOUT),
    m("verify-good-and-missing", ["verify", "good.h5", "missing.h5"], BAD_INPUT, ["missing.h5"], files=("good.h5",),
      was_bug=BUG_VERIFY_STDOUT),
    m("verify-dev-null", ["verify", "/dev/null"], BAD_INPUT, ["/dev/null"], was_bug=BUG_VERIFY_STDOUT),
    m("verify-damaged-object-header", ["verify", "damaged.h5"], BAD_INPUT, ["damaged.h5"], files=("damaged.h5",),
      forbid=("HDF5: infinite loop",),
      was_bug="besides reporting only on stdout, a file with a damaged object header makes HDF5 print "
          "'HDF5: infinite loop closing library' and a line of 'L,T_top,P,P,Z,FD,E,SL,FL,...' on stderr at exit"),
    m("verify-forged-filetype", ["verify", "forged.h5"], BAD_INPUT, ["forged.h5"], files=("forged.h5",),
      was_bug="an HDF5 file holding only the attribute filetype=vtrial.run (none of the root attributes docs/output.md "
          "lists for every file, no group) is reported 'ok' with exit 0"),
]

_ids = [c.id for c in MISUSES]
assert len(_ids) == len(set(_ids)), "duplicate misuse ids"
assert len(MISUSES) >= 100
assert {c.args[0] for c in MISUSES if c.args} >= {"run", "validate", "sweep", "samplesize", "merge", "verify"}
assert all(c.status in (USAGE, BAD_INPUT) for c in MISUSES)
assert all(f in FILE_MAKERS for c in MISUSES for f in c.files)

# --- bookkeeping for the count line ------------------------------------------------------------

OUTCOMES = {}  # id -> "clear" | "bug" | "unexpected failure" | "unexpected pass" | "skipped"


def count_line():
    counts = {}
    for outcome in OUTCOMES.values():
        counts[outcome] = counts.get(outcome, 0) + 1
    tried = len(OUTCOMES) - counts.get("skipped", 0)
    line = (f"CLI misuses: {tried} tried, {counts.get('clear', 0)} clear errors, "
            f"{counts.get('bug', 0)} expected failures (bugs)")
    extra = [f"{counts[k]} {k}" for k in ("unexpected failure", "unexpected pass", "skipped") if counts.get(k)]
    return line + (" (" + ", ".join(extra) + ")" if extra else "")


class _CountLine:
    """Prints the count line in pytest's terminal summary, after the module has run."""

    def pytest_terminal_summary(self, terminalreporter):
        if OUTCOMES:
            terminalreporter.write_line(count_line())


@pytest.fixture(scope="module", autouse=True)
def _count_misuses(request):
    plugins = request.config.pluginmanager
    if plugins.has_plugin("terminalreporter") and not plugins.has_plugin("vtrial-cli-misuse-count"):
        plugins.register(_CountLine(), "vtrial-cli-misuse-count")
        yield
    else:
        yield
        print(count_line())


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def good_run_file(vtrial_bin, scenario, tmp_path_factory):
    """A valid result: `vtrial run SCENARIO --set model=parametric --trials 20 -o x.h5`."""
    path = tmp_path_factory.mktemp("misuse_good") / "x.h5"
    subprocess.run([vtrial_bin, "run", scenario, "--set", "model=parametric", "--trials", "20", "-o", str(path)],
                   check=True, capture_output=True, timeout=60)
    return path


@pytest.fixture(scope="session")
def shard_files(vtrial_bin, scenario, tmp_path_factory):
    """The two shards of that run: `vtrial run ... --trials 20 --shard K/2`."""
    directory = tmp_path_factory.mktemp("misuse_shards")
    paths = [directory / f"shard{k}.h5" for k in (1, 2)]
    for k, path in enumerate(paths, 1):
        subprocess.run([vtrial_bin, "run", scenario, "--set", "model=parametric", "--trials", "20", "--shard", f"{k}/2",
                        "-o", str(path)], check=True, capture_output=True, timeout=60)
    return paths


@pytest.fixture(scope="session")
def usage_text(vtrial_bin):
    return subprocess.run([vtrial_bin, "--help"], capture_output=True, text=True, timeout=60).stdout


@pytest.fixture(scope="session")
def sanitized(vtrial_bin):
    """An ASan build reserves terabytes of address space, so it cannot run under RLIMIT_AS."""
    return b"__asan_init" in Path(vtrial_bin).read_bytes()


def snapshot(root):
    """Every file, directory and link under root: its kind, mode and content hash (or target)."""
    found = {}
    for directory, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(directory, name)
            info = os.lstat(path)
            rel = os.path.relpath(path, root)
            if stat.S_ISLNK(info.st_mode):
                found[rel] = ("link", os.readlink(path))
            elif stat.S_ISDIR(info.st_mode):
                found[rel] = ("directory", stat.S_IMODE(info.st_mode))
            else:
                with open(path, "rb") as f:
                    found[rel] = ("file", stat.S_IMODE(info.st_mode), hashlib.sha256(f.read()).hexdigest())
    return found


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


# C++ and library internals that a clear error never shows.
INTERNALS = ("std::", "boost::", "what()", "basic_string", "terminate called", "Segmentation", "Aborted",
             "Traceback", "HDF5-DIAG", "TBB Warning", "AddressSanitizer", "runtime error:")


def _params():
    for case in MISUSES:
        marks = [pytest.mark.xfail(strict=True, reason=case.bug)] if case.bug else []
        yield pytest.param(case, id=case.id, marks=marks)


@pytest.mark.parametrize("case", _params())
def test_misuse_is_a_clear_error(case, vtrial_bin, source_dir, scenario, good_run_file, shard_files, usage_text,
                                 sanitized, tmp_path):
    outcome = "clear"
    try:
        _check(case, vtrial_bin, source_dir, scenario, good_run_file, shard_files, usage_text, sanitized, tmp_path)
    except pytest.skip.Exception:
        outcome = "skipped"
        raise
    except BaseException:
        outcome = "bug" if case.bug else "unexpected failure"
        raise
    else:
        outcome = "unexpected pass" if case.bug else "clear"
    finally:
        OUTCOMES[case.id] = outcome


def _check(case, vtrial_bin, source_dir, scenario, good_run_file, shard_files, usage_text, sanitized, tmp_path):
    if case.root_skip and os.geteuid() == 0:
        pytest.skip("running as root: file permissions do not apply")
    if case.bounded and sanitized:
        pytest.skip("a sanitizer build cannot run under an address-space limit")
    shutil.copyfile(scenario, tmp_path / SCENARIO)
    ctx = {"good": good_run_file, "shards": shard_files, "source_dir": source_dir}
    for name in case.files:
        FILE_MAKERS[name](tmp_path, ctx)
    before = snapshot(tmp_path)
    env = dict(os.environ)
    if case.bounded:
        env["MALLOC_ARENA_MAX"] = "2"  # glibc reserves 64 MB of address space per arena otherwise
    command = "vtrial " + " ".join(a if len(a) < 60 else a[:40] + f"...({len(a)} chars)" for a in case.args)
    try:
        try:
            proc = subprocess.run([vtrial_bin, *case.args], cwd=tmp_path, capture_output=True, env=env,
                                  timeout=case.timeout, preexec_fn=_limit_memory if case.bounded else None)
        except subprocess.TimeoutExpired:
            pytest.fail(f"{command}: still running after {case.timeout} s (a hang, or simulating before refusing)")
        after = snapshot(tmp_path)
    finally:
        if "ro" in case.files:
            (tmp_path / "ro").chmod(0o755)

    err = proc.stderr.decode("utf-8", "replace")
    out = proc.stdout.decode("utf-8", "replace")
    context = f"{command}\nexit status {proc.returncode}\nstderr:\n{err}\nstdout:\n{out[:2000]}"

    # The exit status: never a signal, never 0, the one for this kind of misuse.
    assert proc.returncode >= 0, f"killed by signal {-proc.returncode}\n{context}"
    assert proc.returncode != 0, f"accepted (exit 0)\n{context}"
    assert proc.returncode == case.status, f"expected exit status {case.status}\n{context}"

    # Exactly one line on stderr starting with `vtrial`, naming what was wrong.
    lines = err.splitlines()
    ours = [line for line in lines if line.startswith("vtrial")]
    assert len(ours) == 1, f"expected one stderr line starting with 'vtrial', got {len(ours)}\n{context}"
    message = ours[0]
    others = [line for i, line in enumerate(lines) if i != lines.index(message) and line.strip()]
    for name in case.names:
        assert name in message, f"the error does not name {name!r}\n{context}"
    for text in case.forbid:
        assert text not in err, f"stderr contains {text!r}\n{context}"
    for text in INTERNALS:
        assert text not in err, f"stderr shows internals ({text!r}) instead of a clear error\n{context}"

    # Nothing else on stderr: with exit 1 that line is all; with exit 2 the usage may follow.
    if case.status == BAD_INPUT:
        assert not others, f"more than the one error line on stderr\n{context}"
    else:
        usage_lines = set(usage_text.splitlines())
        noise = [line for line in others if not line.startswith("usage:") and line not in usage_lines]
        assert not noise, f"stderr holds more than the error and the usage: {noise}\n{context}"

    # No file written (no output, no temporary), nothing that was there changed.
    created = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    changed = sorted(k for k in set(before) & set(after) if before[k] != after[k])
    assert not created, f"left behind: {created}\n{context}"
    assert not removed, f"removed: {removed}\n{context}"
    assert not changed, f"changed: {changed}\n{context}"


# --- related checks that are not misuses ---------------------------------------------------------


# Was a bug: `vtrial sweep --help` failed with exit 2, "the option '--patients' is required but
# missing" (Boost's required() was checked before --help).
@pytest.mark.parametrize("args", [("sweep", "--help"), ("sweep", SCENARIO, "-h")], ids=["bare", "with-scenario"])
def test_sweep_help_is_reachable(args, vtrial_bin, scenario, tmp_path):
    shutil.copyfile(scenario, tmp_path / SCENARIO)
    proc = subprocess.run([vtrial_bin, *args], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "--patients" in proc.stdout and "usage: vtrial sweep" in proc.stdout


def test_dev_null_scenario_for_validate(vtrial_bin, tmp_path):
    """`validate /dev/null` may refuse a device or read it as an empty scenario (every default, which
    docs/scenario.md documents for an empty file); if it reads it, it prints that resolved scenario."""
    proc = subprocess.run([vtrial_bin, "validate", "/dev/null"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode in (0, BAD_INPUT), proc
    if proc.returncode == 0:
        assert proc.stderr == ""
        assert proc.stdout.startswith("# /dev/null is valid"), proc.stdout
        assert "model: parametric" in proc.stdout  # the program's defaults, printed in full
    else:
        assert "/dev/null" in proc.stderr and len(proc.stderr.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_empty_scenario_file_is_the_documented_defaults(vtrial_bin, tmp_path):
    """Not a misuse: docs/scenario.md, "The defaults below are the program's (an empty file)"."""
    (tmp_path / "empty.yaml").write_text("")
    proc = subprocess.run([vtrial_bin, "validate", "empty.yaml"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0 and proc.stderr == "", proc
    assert "name: scenario" in proc.stdout and "model: parametric" in proc.stdout

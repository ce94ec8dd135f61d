"""Issue 16, class 6: every call of the Python module, however abusive, raises a Python exception.

Each case below is one call, run in its own interpreter (`python3 -c ...`) so that a crash
(SIGSEGV, abort), a hang or a silent success fails that case instead of pytest itself. A case
passes when the child process

  - ends with an uncaught exception, exit status 1 (not a signal, not 0, not the timeout);
  - of the expected type (TypeError, ValueError, OverflowError, RuntimeError or FileNotFoundError,
    as the case says; a subclass counts);
  - whose message names the offending argument or key.

The cases are run three at a time once per module (the `outcome` fixture) and checked one by one;
the counts (cases tried, clean exceptions, failures) are printed at the end of the module. No
case may change a file: outputs such as /dev/null or the scenario must be refused untouched.

Run by ctest as `python_module`, like test_module.py (PYTHONPATH, VTRIAL_SOURCE_DIR).
"""
import concurrent.futures
import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import h5py
import numpy as np
import pytest

TIMEOUT = 60  # seconds per case: a hang fails its case
MEMORY = 4 << 30  # bytes of address space per case: a runaway allocation fails its case, not the machine

# The child's preamble: argv is [scenario, scratch directory, expression, memory limit]. Helpers
# that build the abusive values are defined here, so every case in the table is one expression.
CHILD = r'''
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[4]), int(sys.argv[4])))
import itertools, json, math, os, pathlib
import numpy as np
import vtrial

S, T, EXPR = sys.argv[1], sys.argv[2], sys.argv[3]
P = lambda name: os.path.join(T, name)


class BadStr:  # str() and repr() raise
    def __str__(self):
        raise ZeroDivisionError("broken __str__")
    __repr__ = __str__


class BadInt(int):  # an int whose text cannot be taken
    def __str__(self):
        raise ZeroDivisionError("broken __str__")
    __repr__ = __str__


class BadIndex:  # __index__ raises
    def __index__(self):
        raise ZeroDivisionError("broken __index__")


class Unprintable(Exception):  # an exception that cannot even be shown
    def __str__(self):
        raise Unprintable()
    __repr__ = __str__


class UnprintableIndex:  # __index__ raises that exception
    def __index__(self):
        raise Unprintable()


class UnprintableFspath:  # os.fspath() raises that exception
    def __fspath__(self):
        raise Unprintable()


class BadFspath:  # os.fspath() raises
    def __fspath__(self):
        raise ZeroDivisionError("broken __fspath__")


class Endless:  # a sequence that never ends (its __getitem__ never raises IndexError)
    def __init__(self, item):
        self.item = item

    def __getitem__(self, i):
        return self.item

    def __len__(self):
        return 10**18


class FakeArray:  # quacks like numpy, but nothing it answers makes sense
    dtype = "int64"
    ndim = "zero"
    shape = ()

    def item(self):
        return self

    def tolist(self):
        return self


CONTAINER = {}


class Mutating:  # a sequence that, read, replaces the dicts it is in (freeing them), then raises
    def __getitem__(self, i):
        CONTAINER["analysis"].clear()
        CONTAINER.clear()
        CONTAINER.update({str(i): [i] * 100 for i in range(100)})
        raise ZeroDivisionError("mutated its container")


def mutating_overrides():
    CONTAINER.clear()
    CONTAINER.update({"analysis": {"alpha": 0.05, "interim": {"fractions": Mutating()}}, "trial.patients": 120})
    return CONTAINER


def looped_list(first=1):
    a = [first]
    a.append(a)
    return a


def looped_dict():
    d = {"a": 1}
    d["b"] = d
    return d


def deep_list(n):
    outer = inner = []
    for _ in range(n):
        inner.append([])
        inner = inner[0]
    return outer


def deep_dict(n):
    outer = inner = {}
    for _ in range(n):
        inner["a"] = {}
        inner = inner["a"]
    return outer


def text(x, show):
    try:
        return show(x)[:4000]
    except BaseException:
        return "(cannot be shown)"


try:
    value = eval(EXPR)
except BaseException as e:
    print("\n@@" + json.dumps({"type": type(e).__name__, "mro": [c.__name__ for c in type(e).__mro__],
                               "message": text(e, str)}), flush=True)
    raise
print("\n@@" + json.dumps({"returned": text(value, repr)}), flush=True)
'''

TE, VE, OE, RE, FE = "TypeError", "ValueError", "OverflowError", "RuntimeError", "FileNotFoundError"
SENSIBLE = {TE, VE, OE, RE, FE}

L = "vtrial.load_scenario"
R = "vtrial.run"
SW = "vtrial.sweep"
SS = "vtrial.sample_size"
RR = "vtrial.read_result"
K = "trial.patients"  # the key the override-value cases use


def ov(value_expr, key=K):
    """A case that gives load_scenario the one override {key: value}."""
    return f"{L}(S, {{{key!r}: {value_expr}}})"


# (id, expression, accepted exception types, text the message must contain)
CASES = [
    # --- the scenario path, for every function that takes one -------------------------------------
    ("path-none", f"{L}(None)", TE, "path"),
    ("path-int", f"{L}(3)", TE, "path"),
    ("path-float", f"{L}(3.5)", TE, "path"),
    ("path-bool", f"{L}(True)", TE, "path"),
    ("path-list", f"{L}([S])", TE, "path"),
    ("path-dict", f"{L}({{}})", TE, "path"),
    ("path-object", f"{L}(object())", TE, "path"),
    ("path-numpy-array", f"{L}(np.array([S]))", TE, "path"),
    ("path-broken-fspath", f"{L}(BadFspath())", TE, "path"),
    ("path-unprintable-fspath", f"{L}(UnprintableFspath())", TE, "path"),
    ("path-empty", f"{L}('')", VE, "path"),
    ("path-nul", f"{L}(S + '\\0.yaml')", VE, "null"),
    ("path-bytes-nul", f"{L}(os.fsencode(S) + b'\\0')", VE, "null"),
    ("path-missing", f"{L}(P('nowhere.yaml'))", VE, "nowhere.yaml"),
    ("path-missing-pathlib", f"{L}(pathlib.Path(P('nowhere.yaml')))", VE, "nowhere.yaml"),
    ("path-missing-bytes", f"{L}(os.fsencode(P('nowhere.yaml')))", VE, "nowhere.yaml"),
    ("path-directory", f"{L}(T)", VE, "directory"),
    ("path-dev-null", f"{L}('/dev/null')", VE, "/dev/null"),
    ("path-dev-zero", f"{L}('/dev/zero')", VE, "/dev/zero"),  # used to read forever
    ("path-fifo", f"{L}(P('fifo'))", VE, "fifo"),  # used to block forever
    ("path-text-not-yaml", f"{L}(P('text.txt'))", VE, "text.txt"),
    ("path-bytes-not-utf8", f"{L}(os.fsencode(P('nowhere')) + b'\\xff.yaml')", VE, "nowhere"),
    ("path-huge-sparse-file", f"{L}(P('huge.yaml'))", VE, "huge.yaml"),
    ("path-binary", f"{L}(P('truncated.h5'))", VE, "truncated.h5"),
    ("run-path-int", f"{R}(7, trials=5)", TE, "path"),
    ("sweep-path-none", f"{SW}(None, [60])", TE, "path"),
    ("samplesize-path-bytes-nul", f"{SS}(b'\\0', trials=5)", VE, "null"),
    # --- overrides as a whole ---------------------------------------------------------------------
    ("overrides-int", f"{L}(S, 3)", TE, "overrides"),
    ("overrides-bytes", f"{L}(S, b'trial.patients=120')", TE, "overrides"),
    ("overrides-set", f"{L}(S, {{'trial.patients=120'}})", TE, "overrides"),
    ("overrides-object", f"{L}(S, object())", TE, "overrides"),
    ("overrides-list-of-int", f"{L}(S, [3])", TE, "overrides"),
    ("overrides-list-of-bytes", f"{L}(S, [b'trial.patients=120'])", TE, "overrides"),
    ("overrides-list-nul", f"{L}(S, ['trial.patients=120\\0'])", VE, "null"),
    ("overrides-str-nul", f"{L}(S, 'trial.patients=1\\0')", VE, "null"),
    ("overrides-str-empty", f"{L}(S, '')", VE, "--set"),
    ("overrides-str-no-key", f"{L}(S, '=120')", VE, "=120"),
    ("overrides-str-no-value", f"{L}(S, 'trial.patients=')", VE, "trial.patients"),
    ("overrides-str-second-document", f"{L}(S, 'trial.patients=120\\n---\\nanalysis: {{alpha: 0.9}}')", VE,
     "trial.patients"),
    ("overrides-str-newline-injection", f"{L}(S, 'trial.patients=120\\nanalysis: {{alpha: 0.9}}')", VE,
     "trial.patients"),
    ("overrides-list-million", f"{L}(S, ['trial.patients=120'] * 10**6)", VE, "overrides"),
    ("overrides-dict-million", f"{L}(S, {{f'k{{i}}': i for i in range(10**6)}})", VE, "overrides"),
    ("overrides-endless-sequence", f"{L}(S, Endless('trial.patients=120'))", VE, "overrides"),
    ("overrides-generator", f"{L}(S, (x for x in ['trial.patients=120']))", TE, "overrides"),
    ("overrides-surrogate", f"{L}(S, ['trial.patients=\\ud800'])", VE, "overrides"),
    # --- override keys ----------------------------------------------------------------------------
    ("key-int", f"{L}(S, {{1: 2}})", TE, "key"),
    ("key-none", f"{L}(S, {{None: 2}})", TE, "key"),
    ("key-tuple", f"{L}(S, {{('trial', 'patients'): 2}})", TE, "key"),
    ("key-bytes", f"{L}(S, {{b'trial.patients': 2}})", TE, "key"),
    ("key-empty", f"{L}(S, {{'': 2}})", VE, "key"),
    ("key-nul", f"{L}(S, {{'trial.patients\\0': 120}})", VE, "trial.patients"),
    ("key-equals", f"{L}(S, {{'trial.patients=3': 120}})", VE, "trial.patients=3"),
    ("key-very-long", f"{L}(S, {{'trial.' + 'x' * 10**6: 1}})", VE, "trial.xxxx"),
    ("key-unknown", f"{L}(S, {{'trial.patientz': 1}})", VE, "trial.patientz"),
    ("key-surrogate", f"{L}(S, {{'trial.\\ud800': 1}})", VE, "key"),
    # --- override values: odd types ---------------------------------------------------------------
    ("value-bytes", ov("b'120'"), TE, K),
    ("value-bytearray", ov("bytearray(b'120')"), TE, K),
    ("value-memoryview", ov("memoryview(b'120')"), TE, K),
    ("value-set", ov("{120}"), TE, K),
    ("value-frozenset", ov("frozenset([120])"), TE, K),
    ("value-tuple", ov("(120, 121)"), VE, K),
    ("value-complex", ov("1 + 2j"), TE, K),
    ("value-object", ov("object()"), TE, K),
    ("value-type", ov("int"), TE, K),
    ("value-function", ov("print"), TE, K),
    ("value-broken-str", ov("BadStr()"), TE, K),
    ("value-int-broken-str", ov("BadInt(5)", "analysis.alpha"), VE, "analysis.alpha"),  # its __str__ unused
    ("value-in-list-broken-str", ov("[BadStr()]", "analysis.interim.fractions"), TE, "analysis.interim.fractions"),
    ("value-fake-array", ov("FakeArray()"), TE, K),
    ("value-mutates-container", f"{L}(S, mutating_overrides())", TE, "analysis"),
    ("value-dict-int-key", ov("{1: 2}", "analysis.interim"), TE, "analysis.interim"),
    ("value-bool", ov("True"), VE, K),
    ("value-string-nul", ov("'120\\0'"), VE, K),
    ("value-nested-string-nul", ov("['0.5\\0']", "analysis.interim.fractions"), VE, "analysis.interim.fractions"),
    ("value-string-surrogate", ov("'\\ud800'"), VE, K),
    ("value-string-huge", ov("'1' * 10**7"), VE, K),
    ("value-string-deep-yaml", ov("'[' * 10000 + ']' * 10000"), VE, K),
    ("value-string-yaml-alias-loop", ov("'&a [*a]'"), VE, K),
    ("value-string-not-yaml", ov("'[1, 2'"), VE, K),
    # --- override values: recursion and size ------------------------------------------------------
    ("value-self-list", ov("looped_list()"), VE, K),
    ("value-self-dict", ov("looped_dict()"), VE, K),
    ("value-deep-list-10000", ov("deep_list(10000)"), VE, K),
    ("value-deep-dict-10000", ov("deep_dict(10000)"), VE, K),
    ("value-list-million", ov("list(range(10**6))"), VE, K),
    ("value-range-huge", ov("range(10**18)"), VE, K),
    ("value-endless-sequence", ov("Endless(1)"), VE, K),
    ("value-numpy-million", ov("np.zeros(10**6)"), VE, K),
    ("value-numpy-2d", ov("np.zeros((3, 3))"), VE, K),
    # --- override values: numbers out of any range ------------------------------------------------
    ("value-nan", ov("float('nan')"), VE, K),
    ("value-inf", ov("float('inf')"), VE, K),
    ("value-minus-inf", ov("-float('inf')", "analysis.alpha"), VE, "analysis.alpha"),
    ("value-alpha-nan", ov("float('nan')", "analysis.alpha"), VE, "analysis.alpha"),
    ("value-2-63", ov("2**63"), VE, K),
    ("value-2-64", ov("2**64"), VE, K),
    ("value-minus-2-63-minus-1", ov("-2**63 - 1"), VE, K),
    ("value-10-100", ov("10**100"), VE, K),
    ("value-10-5000", ov("10**5000"), VE, K),  # more digits than int -> str converts
    ("value-float-1e308", ov("1e308"), VE, K),
    ("value-negative", ov("-1"), VE, K),
    ("value-numpy-nan", ov("np.float64('nan')"), VE, K),
    ("value-numpy-negative", ov("np.int64(-1)"), VE, K),
    ("value-numpy-uint64-max", ov("np.uint64(2**64 - 1)"), VE, K),
    ("value-numpy-array", ov("np.array([120, 121])"), VE, K),
    ("value-numpy-bool", ov("np.bool_(True)"), VE, K),
    ("value-numpy-bytes", ov("np.bytes_(b'120')"), TE, K),
    # --- trials= and seed= ------------------------------------------------------------------------
    ("trials-zero", f"{R}(S, trials=0)", VE, "simulation.trials"),
    ("trials-negative", f"{R}(S, trials=-1)", VE, "simulation.trials"),
    ("trials-2-63", f"{R}(S, trials=2**63)", VE, "simulation.trials"),
    ("trials-2-64", f"{R}(S, trials=2**64)", VE, "simulation.trials"),
    ("trials-10-100", f"{R}(S, trials=10**100)", VE, "simulation.trials"),
    ("trials-float", f"{R}(S, trials=5.5)", VE, "simulation.trials"),
    ("trials-nan", f"{R}(S, trials=float('nan'))", VE, "simulation.trials"),
    ("trials-inf", f"{R}(S, trials=float('inf'))", VE, "simulation.trials"),
    ("trials-bool", f"{R}(S, trials=True)", VE, "simulation.trials"),
    ("trials-text", f"{R}(S, trials='many')", VE, "simulation.trials"),
    ("trials-list", f"{R}(S, trials=[5])", VE, "simulation.trials"),
    ("trials-dict", f"{R}(S, trials={{'n': 5}})", VE, "simulation.trials"),
    ("trials-bytes", f"{R}(S, trials=b'5')", TE, "trials"),
    ("trials-object", f"{R}(S, trials=object())", TE, "trials"),
    ("trials-numpy-array", f"{R}(S, trials=np.array([5, 6]))", VE, "simulation.trials"),
    ("trials-self-list", f"{R}(S, trials=looped_list())", VE, "trials"),
    ("seed-negative", f"{R}(S, trials=5, seed=-1)", VE, "simulation.seed"),
    ("seed-2-63", f"{R}(S, trials=5, seed=2**63)", VE, "simulation.seed"),
    ("seed-2-64", f"{R}(S, trials=5, seed=2**64)", VE, "simulation.seed"),
    ("seed-10-100", f"{R}(S, trials=5, seed=10**100)", VE, "simulation.seed"),
    ("seed-nan", f"{R}(S, trials=5, seed=float('nan'))", VE, "simulation.seed"),
    ("seed-text", f"{R}(S, trials=5, seed='x')", VE, "simulation.seed"),
    ("seed-complex", f"{R}(S, trials=5, seed=1j)", TE, "seed"),
    # --- threads= ---------------------------------------------------------------------------------
    ("threads-negative", f"{R}(S, trials=5, threads=-1)", VE, "threads"),
    ("threads-huge", f"{R}(S, trials=5, threads=10**6)", VE, "threads"),
    ("threads-int-max", f"{R}(S, trials=5, threads=2**31 - 1)", VE, "threads"),
    ("threads-2-63", f"{R}(S, trials=5, threads=2**63)", (VE, OE), "threads"),
    ("threads-10-100", f"{R}(S, trials=5, threads=10**100)", (VE, OE), "threads"),
    ("threads-float", f"{R}(S, trials=5, threads=2.0)", TE, "threads"),
    ("threads-nan", f"{R}(S, trials=5, threads=float('nan'))", TE, "threads"),
    ("threads-str", f"{R}(S, trials=5, threads='2')", TE, "threads"),
    ("threads-none", f"{R}(S, trials=5, threads=None)", TE, "threads"),
    ("threads-bool", f"{R}(S, trials=5, threads=True)", TE, "threads"),
    ("threads-list", f"{R}(S, trials=5, threads=[2])", TE, "threads"),
    ("threads-broken-index", f"{R}(S, trials=5, threads=BadIndex())", TE, "threads"),
    ("threads-unprintable-error", f"{R}(S, trials=5, threads=UnprintableIndex())", TE, "threads"),
    ("threads-numpy-negative", f"{R}(S, trials=5, threads=np.int64(-3))", VE, "threads"),
    ("threads-numpy-float", f"{R}(S, trials=5, threads=np.float64(2))", TE, "threads"),
    ("threads-numpy-bool", f"{R}(S, trials=5, threads=np.bool_(True))", TE, "threads"),
    ("sweep-threads-huge", f"{SW}(S, [60], trials=5, threads=10**6)", VE, "threads"),
    ("samplesize-threads-negative", f"{SS}(S, trials=5, threads=-1)", VE, "threads"),
    # --- output= (nothing here may ever be replaced) ----------------------------------------------
    ("output-directory", f"{R}(S, trials=5, output=T)", VE, "directory"),
    ("output-scenario-itself", f"{R}(S, trials=5, output=P('scenario.yaml'))", VE, "scenario.yaml"),
    ("output-dev-null", f"{R}(S, trials=5, output='/dev/null')", VE, "/dev/null"),
    ("output-fifo", f"{R}(S, trials=5, output=P('fifo'))", VE, "fifo"),
    ("output-symlink", f"{R}(S, trials=5, output=P('link.h5'))", VE, "link.h5"),
    ("output-text-file", f"{R}(S, trials=5, output=P('text.txt'))", VE, "text.txt"),
    ("output-other-hdf5", f"{R}(S, trials=5, output=P('other.h5'))", VE, "other.h5"),
    ("output-empty", f"{R}(S, trials=5, output='')", VE, "output"),
    ("output-dash", f"{R}(S, trials=5, output='-')", VE, "output"),
    ("output-nul", f"{R}(S, trials=5, output=P('x\\0.h5'))", VE, "null"),
    ("output-missing-directory", f"{R}(S, trials=5, output=P('no/such/dir/x.h5'))", VE, "no/such/dir"),
    ("output-int", f"{R}(S, trials=5, output=3)", TE, "output"),
    ("output-bool", f"{R}(S, trials=5, output=True)", TE, "output"),
    ("output-list", f"{R}(S, trials=5, output=[P('x.h5')])", TE, "output"),
    ("run-unknown-keyword", f"{R}(S, trials=5, outptu=P('x.h5'))", TE, "outptu"),
    ("run-too-many-arguments", f"{R}(S, None, 5, 1, 0, None, None, 'extra')", TE, "run"),
    ("run-unknown-keyword-unprintable", f"{R}(S, bogus=BadStr())", TE, "bogus"),
    ("run-too-many-unprintable", f"{R}(BadStr(), 1, 2, 3, 4, 5, 6, BadStr())", TE, "run"),
    ("load-no-arguments", f"{L}()", TE, "load_scenario"),
    # --- sweep(patients=) -------------------------------------------------------------------------
    ("patients-none", f"{SW}(S, None, trials=5)", TE, "patients"),
    ("patients-int", f"{SW}(S, 60, trials=5)", TE, "patients"),
    ("patients-bytes", f"{SW}(S, b'60,80', trials=5)", TE, "patients"),
    ("patients-dict", f"{SW}(S, {{60: 1}}, trials=5)", TE, "patients"),
    ("patients-set", f"{SW}(S, {{60, 80}}, trials=5)", TE, "patients"),
    ("patients-empty", f"{SW}(S, [], trials=5)", VE, "patients"),
    ("patients-empty-string", f"{SW}(S, '', trials=5)", VE, "patients"),
    ("patients-float", f"{SW}(S, [60.5], trials=5)", TE, "patients"),
    ("patients-bool", f"{SW}(S, [True, 80], trials=5)", TE, "patients"),
    ("patients-str-items", f"{SW}(S, ['60'], trials=5)", TE, "patients"),
    ("patients-none-item", f"{SW}(S, [None], trials=5)", TE, "patients"),
    ("patients-broken-index", f"{SW}(S, [BadIndex()], trials=5)", TE, "patients"),
    ("patients-negative", f"{SW}(S, [-60], trials=5)", VE, "patients"),
    ("patients-one", f"{SW}(S, [1], trials=5)", VE, "patients"),
    ("patients-2-64", f"{SW}(S, [2**64], trials=5)", VE, "patients"),
    ("patients-10-100", f"{SW}(S, [10**100], trials=5)", VE, "patients"),
    ("patients-range-huge", f"{SW}(S, range(2, 10**18), trials=5)", VE, "patients"),
    ("patients-endless", f"{SW}(S, Endless(60), trials=5)", VE, "patients"),
    ("patients-itertools-count", f"{SW}(S, itertools.count(60), trials=5)", (TE, VE), "patients"),
    ("patients-self-list", f"{SW}(S, looped_list(60), trials=5)", TE, "patients"),
    ("patients-numpy-float", f"{SW}(S, np.array([60.5]), trials=5)", TE, "patients"),
    ("patients-numpy-2d", f"{SW}(S, np.array([[60, 80]]), trials=5)", TE, "patients"),
    ("patients-string-nul", f"{SW}(S, '60\\0,80', trials=5)", VE, "patients"),
    ("patients-string-huge-number", f"{SW}(S, '9' * 40, trials=5)", VE, "patients"),
    ("patients-string-zero-step", f"{SW}(S, '60:140:0', trials=5)", VE, "patients"),
    ("patients-string-million", f"{SW}(S, ','.join(['60'] * 10**6), trials=5)", VE, "patients"),
    ("sweep-bad-override", f"{SW}(S, [60], {{{K!r}: looped_list()}}, trials=5)", VE, K),
    # --- sample_size ------------------------------------------------------------------------------
    ("endpoint-none", f"{SS}(S, endpoint=None, trials=5)", TE, "endpoint"),
    ("endpoint-int", f"{SS}(S, endpoint=3, trials=5)", TE, "endpoint"),
    ("endpoint-bytes", f"{SS}(S, endpoint=b'nk_change', trials=5)", TE, "endpoint"),
    ("endpoint-empty", f"{SS}(S, endpoint='', trials=5)", VE, "endpoint"),
    ("endpoint-nul", f"{SS}(S, endpoint='nk_change\\0', trials=5)", VE, "endpoint"),
    ("endpoint-unknown", f"{SS}(S, endpoint='nope', trials=5)", VE, "nope"),
    ("target-nan", f"{SS}(S, target_power=float('nan'), trials=5)", VE, "target_power"),
    ("target-inf", f"{SS}(S, target_power=float('inf'), trials=5)", VE, "target_power"),
    ("target-zero", f"{SS}(S, target_power=0, trials=5)", VE, "target_power"),
    ("target-one", f"{SS}(S, target_power=1, trials=5)", VE, "target_power"),
    ("target-str", f"{SS}(S, target_power='0.8', trials=5)", TE, "target_power"),
    ("target-none", f"{SS}(S, target_power=None, trials=5)", TE, "target_power"),
    ("target-bool", f"{SS}(S, target_power=True, trials=5)", TE, "target_power"),
    ("target-complex", f"{SS}(S, target_power=0.8j, trials=5)", TE, "target_power"),
    ("target-10-400", f"{SS}(S, target_power=10**400, trials=5)", (VE, OE), "target_power"),
    ("step-zero", f"{SS}(S, step=0, trials=5)", VE, "step"),
    ("step-2-63", f"{SS}(S, step=2**63, trials=5)", (VE, OE), "step"),
    ("step-float", f"{SS}(S, step=2.5, trials=5)", TE, "step"),
    ("step-bool", f"{SS}(S, step=True, trials=5)", TE, "step"),
    ("minimum-one", f"{SS}(S, minimum=1, trials=5)", VE, "minimum"),
    ("minimum-2-64", f"{SS}(S, minimum=2**64, trials=5)", (VE, OE), "minimum"),
    ("maximum-huge", f"{SS}(S, maximum=10**6, trials=5)", VE, "maximum"),
    ("maximum-below-minimum", f"{SS}(S, minimum=50, maximum=20, trials=5)", VE, "maximum"),
    ("maximum-none", f"{SS}(S, maximum=None, trials=5)", TE, "maximum"),
    ("criterion-unknown", f"{SS}(S, criterion='Lower', trials=5)", VE, "criterion"),
    ("criterion-none", f"{SS}(S, criterion=None, trials=5)", TE, "criterion"),
    ("criterion-bytes", f"{SS}(S, criterion=b'lower', trials=5)", TE, "criterion"),
    ("samplesize-bad-override", f"{SS}(S, overrides={{'trial.patients': deep_dict(10000)}}, trials=5)", VE, K),
    # --- read_result ------------------------------------------------------------------------------
    ("read-text-file", f"{RR}(P('text.txt'))", VE, "text.txt"),
    ("read-empty-file", f"{RR}(P('empty.h5'))", VE, "empty.h5"),
    ("read-truncated-hdf5", f"{RR}(P('truncated.h5'))", VE, "truncated.h5"),
    ("read-directory", f"{RR}(T)", VE, "directory"),
    ("read-missing", f"{RR}(P('nowhere.h5'))", FE, "nowhere.h5"),
    ("read-dev-null", f"{RR}('/dev/null')", VE, "/dev/null"),
    ("read-fifo", f"{RR}(P('fifo'))", VE, "fifo"),  # used to block forever
    ("read-none", f"{RR}(None)", TE, "path"),
    ("read-int", f"{RR}(3)", TE, "path"),
    ("read-empty-string", f"{RR}('')", VE, "path"),
    ("read-nul", f"{RR}(P('x\\0.h5'))", VE, "null"),
    ("read-other-hdf5", f"{RR}(P('other.h5'))", VE, "other.h5"),
    ("read-filetype-not-text", f"{RR}(P('filetype_int.h5'))", VE, "filetype_int.h5"),
    ("read-group-cycle", f"{RR}(P('cycle.h5'))", VE, "cycle.h5"),
    ("read-external-link-to-fifo", f"{RR}(P('external.h5'))", VE, "external.h5"),
    ("read-malformed-looks", f"{RR}(P('bad_looks.h5'))", VE, "bad_looks.h5"),
    ("read-malformed-summary", f"{RR}(P('bad_summary.h5'))", VE, "bad_summary.h5"),
    ("read-huge-sparse-dataset", f"{RR}(P('huge_dataset.h5'))", VE, "huge_dataset.h5"),
    ("read-huge-string-dataset", f"{RR}(P('huge_strings.h5'))", VE, "huge_strings.h5"),
    ("read-bytes-path-missing", f"{RR}(os.fsencode(P('nowhere')) + b'\\xff.h5')", FE, "nowhere"),
    ("read-broken-fspath", f"{RR}(BadFspath())", TE, "path"),
    ("read-unprintable-fspath", f"{RR}(UnprintableFspath())", TE, "path"),
]


def _scratch(root):
    """The files the cases point at: none of them may be changed by any case."""
    root.mkdir()
    os.mkfifo(root / "fifo")
    (root / "text.txt").write_text("this is not a scenario: [\n")
    (root / "empty.h5").write_bytes(b"")
    (root / "scenario.yaml").write_text(Path(_scenario()).read_text())
    (root / "link.h5").symlink_to(root / "text.txt")
    with h5py.File(root / "other.h5", "w") as f:
        f["trials/x_p"] = np.zeros(3)
    with h5py.File(root / "full.h5", "w") as f:
        f.attrs["filetype"] = "vtrial.run"
        f["trials/x_p"] = np.zeros(1000)
    data = (root / "full.h5").read_bytes()
    (root / "truncated.h5").write_bytes(data[: len(data) // 2])
    with open(root / "huge.yaml", "wb") as f:  # 1 TiB of nothing: sparse, no disk used
        f.truncate(1 << 40)
    with h5py.File(root / "huge_dataset.h5", "w") as f:  # 8 TiB declared, nothing written
        f.attrs["filetype"] = "vtrial.run"
        f.create_dataset("trials/x_p", shape=(1 << 40,), dtype="f8", chunks=(1 << 16,))
    with h5py.File(root / "huge_strings.h5", "w") as f:  # 2^40 strings declared, nothing written
        f.attrs["filetype"] = "vtrial.run"
        f.create_dataset("arms/name", shape=(1 << 40,), dtype=h5py.string_dtype(), chunks=(1 << 16,))
    with h5py.File(root / "filetype_int.h5", "w") as f:
        f.attrs["filetype"] = np.arange(3)
    with h5py.File(root / "cycle.h5", "w") as f:
        f.attrs["filetype"] = "vtrial.run"
        f["trials/inner/x"] = np.zeros(3)
        f["trials/inner/up"] = f["trials"]  # a hard link back to its parent
    with h5py.File(root / "external.h5", "w") as f:
        f.attrs["filetype"] = "vtrial.run"
        f["trials/x"] = h5py.ExternalLink(str(root / "fifo"), "/x")
    with h5py.File(root / "bad_looks.h5", "w") as f:
        f.attrs["filetype"] = "vtrial.run"
        f["design/p_enrolled_by_deadline"] = np.ones(1)
        f["design/looks/efficacy_z"] = np.ones(2)  # no p_stop, no day
    with h5py.File(root / "bad_summary.h5", "w") as f:
        f.attrs["filetype"] = "vtrial.run"
        f["summary/endpoint"] = np.array([b"a", b"b", b"c"])
        f["summary/power"] = np.ones(1)  # shorter than endpoint
    return root


def _scenario():
    source = os.environ.get("VTRIAL_SOURCE_DIR")
    if not source:
        pytest.fail("VTRIAL_SOURCE_DIR is not set; run these tests through ctest (ctest -R python_module)")
    return str(Path(source) / "scenarios" / "nct06971913.yaml")


def _snapshot(root):
    return sorted((p.name, p.lstat().st_mode, p.lstat().st_size, p.lstat().st_mtime_ns) for p in root.iterdir())


def _run_case(scenario, scratch, expr):
    start = time.monotonic()
    try:
        proc = subprocess.run([sys.executable, "-c", CHILD, scenario, str(scratch), expr, str(MEMORY)],
                              capture_output=True, text=True, errors="replace", timeout=TIMEOUT,
                              env=os.environ.copy(), cwd=scratch)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "seconds": time.monotonic() - start}
    report = None
    for line in proc.stdout.splitlines():
        if line.startswith("@@"):
            report = json.loads(line[2:])
    return {"status": proc.returncode, "report": report, "stderr": proc.stderr[-3000:],
            "seconds": time.monotonic() - start}


def _verdict(result, types, names):
    """None if the case ended as it must, else why not."""
    if result["status"] == "timeout":
        return f"no answer in {TIMEOUT} s (hang)"
    status, report = result["status"], result["report"]
    if status < 0:
        return f"killed by signal {-status} (crash)\n{result['stderr']}"
    if report is None:
        return f"exit status {status} without a Python exception\n{result['stderr']}"
    if "returned" in report:
        return f"accepted silently (exit {status}), returned {report['returned'][:200]}"
    if status != 1:
        return f"exit status {status}, expected 1 from the uncaught exception\n{result['stderr']}"
    wanted = {types} if isinstance(types, str) else set(types)
    if not wanted & set(report["mro"]) or not SENSIBLE & set(report["mro"]):
        return f"raised {report['type']}, expected {' or '.join(sorted(wanted))}: {report['message'][:500]}"
    if names not in report["message"]:
        return f"{report['type']} does not name {names!r}: {report['message'][:500]}"
    return None


@pytest.fixture(scope="module")
def outcome(tmp_path_factory, request):
    """Runs every case once (three at a time); yields {"verdicts": {name: None or why}, ...}."""
    scenario = _scenario()
    scratch = _scratch(tmp_path_factory.mktemp("hostile") / "scratch")
    before = _snapshot(scratch)
    dev_null = os.lstat("/dev/null")
    with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
        futures = {case[0]: pool.submit(_run_case, scenario, scratch, case[1]) for case in CASES}
        results = {name: future.result() for name, future in futures.items()}
    verdicts = {case[0]: _verdict(results[case[0]], case[2], case[3]) for case in CASES}
    after = os.lstat("/dev/null")
    yield {"verdicts": verdicts, "scratch": (before, _snapshot(scratch)),
           "dev_null": (stat.S_ISCHR(after.st_mode), after.st_rdev == dev_null.st_rdev)}
    failed = [name for name, why in verdicts.items() if why]
    slowest = sorted(results, key=lambda name: results[name]["seconds"])[-3:]
    lines = [f"test_hostile_calls: {len(CASES)} cases tried, {len(CASES) - len(failed)} clean exceptions, "
             f"{len(failed)} failures" + (f" ({', '.join(failed)})" if failed else ""),
             "slowest: " + ", ".join(f"{name} {results[name]['seconds']:.1f} s" for name in reversed(slowest))]
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter and capture:
        with capture.global_and_fixture_disabled():
            reporter.write_line("")
            for line in lines:
                reporter.write_line(line)
    else:
        print("\n".join(lines))


def test_case_ids_are_unique():
    names = [case[0] for case in CASES]
    assert len(names) == len(set(names))
    assert len(names) >= 60


@pytest.mark.parametrize("name", [case[0] for case in CASES])
def test_hostile_call_raises_cleanly(outcome, name):
    why = outcome["verdicts"][name]
    assert why is None, f"{name}: {dict((c[0], c[1]) for c in CASES)[name]}: {why}"


def test_no_case_touched_any_file(outcome):
    # Output targets that are not vtrial result files (/dev/null, the scenario, a FIFO, a link,
    # a directory) are refused before anything is written, and no temporary file is left.
    assert outcome["dev_null"] == (True, True), "/dev/null is no longer the null device"
    before, after = outcome["scratch"]
    assert after == before, "a case changed the scratch directory"

"""`vtrial report`: the command line of the report. Errors are one line on stderr and a non-zero
exit (1; 2 for a malformed command line), and never leave a page behind."""
import argparse
import os
import shlex
import signal
import sys

USAGE = "vtrial report FILE.h5 [FILE.h5 ...] --output report.html"
MISSING = ("vtrial report needs Debian's python3-numpy, python3-h5py, python3-matplotlib and python3-yaml "
           "(bash scripts/bootstrap.sh test installs them)")


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        sys.stderr.write(f"vtrial report: {message} (usage: {USAGE})\n")
        sys.exit(2)


def _parser():
    p = _Parser(prog="vtrial report", usage=USAGE,
                description="One self-contained HTML page (inline SVG figures, no scripts, no network) from vtrial "
                            "result files: run, sweep and samplesize files, several side by side.")
    p.add_argument("files", nargs="+", metavar="FILE.h5", help="result files written by vtrial run, sweep or samplesize")
    p.add_argument("-o", "--output", required=True, help="the HTML file to write (absent, or a report vtrial wrote)")
    return p


def _stop(signum, _frame):
    # Unwinds like an error: the unfinished temporary page is removed on the way out.
    raise KeyboardInterrupt


def main(argv):
    signal.signal(signal.SIGTERM, _stop)
    try:
        return _report(_parser().parse_args(argv), argv)
    except KeyboardInterrupt:
        sys.stderr.write("vtrial report: interrupted; no page written\n")
        return 130


def _report(args, argv):
    try:
        import h5py  # noqa: F401
        import matplotlib  # noqa: F401
        import numpy  # noqa: F401
        import yaml  # noqa: F401
    except ImportError as e:
        sys.stderr.write(f"vtrial report: error: {MISSING} (missing: {e.name})\n")
        return 1
    from . import output_file, page
    from .result_file import ResultFile, ResultFileError

    try:
        output_file.check_target(args.output)
        files = [ResultFile(path, i) for i, path in enumerate(args.files)]
        version = os.environ.get("VTRIAL_VERSION", "?")
        command = "vtrial report " + " ".join(shlex.quote(a) for a in argv)
        text = page.build(files, args.files, command, version)
        output_file.write(args.output, text)
    except (ResultFileError, output_file.OutputError) as e:
        sys.stderr.write(f"vtrial report: error: {' '.join(str(e).split())}\n")
        return 1
    print(f"vtrial report: wrote {args.output} ({len(files)} file{'s' if len(files) != 1 else ''})")
    return 0

"""The command-line tool: `casualty-report build | check-data | new-conflict | backtest | outputs |
index | stamp | strip-notebook`.

Also `python -m casualty_report`. Every refusal is one line on stderr and a non-zero exit, never
a traceback (set CASUALTY_REPORT_DEBUG=1 to see one). Parameters are given as papermill takes
them (`-p name value`, or `-p name=value`), as one shell-quoted string (`--set "a=1 b='x y'"`,
split here, never by a shell), or as a YAML file (`-f params/worst-case.yaml`); values are raw
text, typed by the notebook's declaration.
"""

from __future__ import annotations

import argparse
import gc
import os
import shlex
import sys
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from casualty_report import paths

EXIT_REFUSED = 1


def _assignments(items: list[list[str]], combined: str) -> dict[str, str]:
    """`-p name value`, `-p name=value` and the shell-quoted `--set` string: name -> raw value."""
    from casualty_report.build.parameters import ParameterError, parse_assignments

    pairs: dict[str, str] = {}
    for item in items:
        if len(item) == 2:
            pairs[item[0]] = item[1]
        elif len(item) == 1:
            pairs.update(parse_assignments(item))
        else:
            raise ParameterError(f"-p takes NAME VALUE or NAME=VALUE, got {' '.join(item)!r}")
    try:
        words = shlex.split(combined)
    except ValueError as err:
        raise ParameterError(f"parameters {combined!r}: {err} (quote values with spaces)") from err
    pairs.update(parse_assignments(words))
    return pairs


def _request_lines(args: argparse.Namespace) -> list[str]:
    """The request as given: one raw value a line (the end of the stamp, see `build.stamp`)."""
    return [args.name, args.data or "", args.params_file or "", args.as_of or "", args.set]


def _stamp_text(args: argparse.Namespace, overrides: list[dict], params: bytes | None) -> str:
    """The stamp of a request: its inputs' digests, then its raw values (see `build.stamp`)."""
    from casualty_report.build.parameters import declared, resolve
    from casualty_report.build.stamp import stamp_text

    data = paths.resolve(resolve(declared(paths.REPORT_NOTEBOOK), *overrides)["data_path"])
    return stamp_text(_request_lines(args), data, params)


def build_request(args: argparse.Namespace) -> tuple[list[dict], bytes | None]:
    """The parameter overrides of a `build` command, in order of precedence, and the bytes of
    its parameter file (None without one)."""
    from casualty_report.build import params_file

    overrides, params = [], None
    if args.params_file:
        values, params = params_file.read(Path(args.params_file))
        overrides.append(values)
    if args.data:  # from where the user stands, as check-data
        overrides.append({"data_path": str(Path(args.data).resolve())})
    if args.as_of:
        overrides.append({"as_of": args.as_of})
    overrides.append(_assignments(args.parameters, args.set))
    return overrides, params


def cmd_build(args: argparse.Namespace) -> int:
    """Build one report into the output folder."""
    from casualty_report.build import builder

    overrides, params = build_request(args)
    stamp = None
    if args.stamp:  # the digests first: taken before the build reads any input
        stamp = (Path(args.stamp).resolve(), _stamp_text(args, overrides, params))
    out_dir = Path(args.out_dir).resolve()
    progress = builder.Progress(quiet=args.quiet)
    final = builder.build_report(args.name, out_dir, overrides, stamp=stamp, progress=progress)
    if not args.quiet:
        progress.write(f"  {'total':<16} {progress.last - progress.start:5.2f} s")
    print("report built: " + ", ".join(os.path.relpath(p) for p in final.values()))
    return 0


def cmd_stamp(args: argparse.Namespace) -> int:
    """Print the stamp a build of this request would write (the Makefile compares the two)."""
    overrides, params = build_request(args)
    sys.stdout.write(_stamp_text(args, overrides, params))
    return 0


def cmd_check_data(args: argparse.Namespace) -> int:
    """Validate a figures file on its own (the loader's own command)."""
    from casualty_report.cli import check_data

    return check_data.main([str(Path(args.path).resolve())])  # from where the user stands


def cmd_new_conflict(args: argparse.Namespace) -> int:
    """Start a ledger for another war: data/NAME/ with an empty figures.csv and a package."""
    from casualty_report.ledger.conflict import create_conflict
    from casualty_report.ledger.schema import load_schema

    made = create_conflict(paths.DATA_DIR / args.name, load_schema().contract)
    print("created: " + ", ".join(paths.display(p) for p in made))
    print(
        f"next: fill in data/{args.name}/datapackage.json (each TODO), add rows to figures.csv,"
        f" then make check-data CONFLICT={args.name} and make report CONFLICT={args.name}"
    )
    return 0


def cmd_backtest(args: argparse.Namespace) -> int:
    """Score past estimates of every shipped war against its later counts (backtest.csv)."""
    from casualty_report.ledger.figures import shipped_ledgers
    from casualty_report.model import backtest, nowcast
    from casualty_report.report.formatting import track_record_lines

    table = backtest.backtest(nowcast.wars(shipped_ledgers()))
    written = backtest.write_backtest(table, Path(args.out).resolve())
    print(f"backtest written: {os.path.relpath(written)} ({len(table)} rows)")
    print("\n".join(track_record_lines(backtest.summary(table))))
    return 0


def cmd_outputs(args: argparse.Namespace) -> int:
    """Print the files a build of report NAME writes, one a line (the Makefile reads this)."""
    from casualty_report.build.builder import check_name, output_paths

    check_name(args.name)
    for path in output_paths(Path(args.out_dir), args.name).values():
        print(path)
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    """Write an HTML index of built reports: parameters, headline numbers and links."""
    from casualty_report.build import guards
    from casualty_report.build.builder import check_name, output_paths
    from casualty_report.build.parameters import declared
    from casualty_report.report.index_page import write_index

    out = Path(args.out)
    reports = {}
    for name in args.names:
        check_name(name)
        reports[name] = output_paths(out.parent, name)
    defaults = {k: info["default"] for k, info in declared(paths.REPORT_NOTEBOOK).items()}
    with ExitStack() as locks:  # each report's lock, as its builds take it: none is replaced
        for name in sorted(reports):  # while it is read, or before the index is in place
            locks.enter_context(guards.report_lock(out.parent, name))
        print(f"index written: {os.path.relpath(write_index(out, reports, defaults))}")
    return 0


def cmd_strip_notebook(args: argparse.Namespace) -> int:
    """Read a notebook on stdin, write it without outputs on stdout (a git `clean` filter)."""
    from casualty_report.build.notebook_filter import strip

    sys.stdout.write(strip(sys.stdin.read()))
    return 0


def _command(sub: Any, name: str, run: Any, parents: Sequence = ()) -> argparse.ArgumentParser:
    """A subcommand `name` that runs `run`, its help the function's docstring."""
    command = sub.add_parser(name, parents=list(parents), help=run.__doc__, description=run.__doc__)
    command.set_defaults(run=run)
    return command


def parser() -> argparse.ArgumentParser:
    """The argument parser of `casualty-report` and its subcommands."""
    main = argparse.ArgumentParser(
        prog="casualty-report", description="Build and check the casualty report."
    )
    sub = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    # The request: what `build` builds and `stamp` records, the same arguments for both.
    request = argparse.ArgumentParser(add_help=False)
    request.add_argument("--name", default="casualty-report", help="report name (file stem)")
    request.add_argument("--data", default="", help="figures CSV (default: the notebook's)")
    request.add_argument(
        "-f", "--params-file", default="", help="YAML file of parameters (as papermill -f)"
    )
    request.add_argument("--as-of", default="", help="date the figures stand at, YYYY-MM-DD")
    request.add_argument(
        "-p",
        "-r",
        "--parameter",
        dest="parameters",
        nargs="+",
        action="append",
        default=[],
        metavar="NAME[=VALUE]",
        help="one parameter: NAME VALUE or NAME=VALUE, value raw, typed by the notebook",
    )
    request.add_argument(
        "--set",
        default="",
        metavar="'NAME=VALUE ...'",
        help="parameters as one string, shell-style quoting: \"title='A b' seed=7\"",
    )
    build = _command(sub, "build", cmd_build, [request])
    build.add_argument("--out-dir", default=str(paths.REPORTS_DIR), help="output folder")
    build.add_argument("--quiet", "-q", action="store_true", help="no progress lines")
    build.add_argument("--stamp", default="", help=argparse.SUPPRESS)  # the Makefile's record
    _command(sub, "stamp", cmd_stamp, [request])
    check = _command(sub, "check-data", cmd_check_data)
    check.add_argument("path", nargs="?", default=str(paths.DEFAULT_FIGURES), help="figures CSV")
    new = _command(sub, "new-conflict", cmd_new_conflict)
    new.add_argument("name", help="folder name under data/, e.g. border-war-2030")
    back = _command(sub, "backtest", cmd_backtest)
    back.add_argument("--out", default=str(paths.REPORTS_DIR / "backtest.csv"), help="CSV to write")
    outputs = _command(sub, "outputs", cmd_outputs)
    outputs.add_argument("name")
    outputs.add_argument("--out-dir", default="reports")
    index = _command(sub, "index", cmd_index)
    index.add_argument("names", nargs="+", metavar="NAME", help="report names, in order")
    index.add_argument("--out", default="reports/index.html", help="the index file")
    _command(sub, "strip-notebook", cmd_strip_notebook)
    return main


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; a refusal is one line on stderr, exit 1 (128 + signal if stopped)."""
    from casualty_report.build.builder import BuildError
    from casualty_report.build.guards import Interrupted, signals_raise
    from casualty_report.build.parameters import ParameterError
    from casualty_report.ledger.conflict import PackageError

    args = parser().parse_args(argv)
    failed = "report not built" if args.command == "build" else f"{args.command} failed"
    # Stop signals are handled until the refusal is printed: make forwards the SIGTERM its
    # process group already had, and that second one, landing after the build's own handler
    # was gone, killed the process before its line (seen under load: make said "Terminated").
    with signals_raise():
        try:
            return args.run(args)
        except Interrupted as err:
            unchanged = "; the previous report is unchanged" if args.command == "build" else ""
            print(f"{failed}: {err}{unchanged}", file=sys.stderr)
            return 128 + err.signum
        except (BuildError, ParameterError, PackageError) as err:
            print(f"{failed}: {err}", file=sys.stderr)
            return EXIT_REFUSED
        except OSError as err:
            print(f"{failed}: {err.filename}: {err.strerror}", file=sys.stderr)
            return EXIT_REFUSED
        except Exception as err:
            if os.environ.get("CASUALTY_REPORT_DEBUG"):
                raise
            reason = " | ".join(str(err).splitlines())
            print(f"{failed}: {type(err).__name__}: {reason}", file=sys.stderr)
            return EXIT_REFUSED


def run() -> None:
    """The console script (and `python -m casualty_report`)."""
    code = main()
    # Left for the operating system to free: what the build loaded (pandas, nbconvert,
    # WeasyPrint…), which Python's collections at exit would otherwise walk, about 0.1 s of
    # every build (measured). Exit handlers still run and streams are still flushed.
    gc.freeze()
    sys.exit(code)

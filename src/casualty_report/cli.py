"""The command-line tool: `casualty-report build | check-data | outputs | sweep | index |
strip-notebook`.

Also `python -m casualty_report`. Every refusal is one line on stderr and a non-zero exit, never
a traceback (set CASUALTY_REPORT_DEBUG=1 to see one). Parameters are given as papermill takes
them (`-p name value`, or `-p name=value`), as one shell-quoted string (`--set "a=1 b='x y'"`,
split here, never by a shell), or as a YAML file (`-f params/worst-case.yaml`); values are raw
text, typed by the notebook's declaration.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

from . import paths

EXIT_REFUSED = 1


def _assignments(items: list[list[str]], combined: str) -> dict[str, str]:
    """`-p name value`, `-p name=value` and the shell-quoted `--set` string: name -> raw value."""
    from .parameters import ParameterError, parse_assignments

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


def _stamp_text(args: argparse.Namespace) -> str:
    """The request as the Makefile writes it: one raw value a line (see Makefile, STAMP)."""
    values = [args.name, args.data or "", args.params_file or "", args.as_of or "", args.set]
    return "".join(f"{value}\n" for value in values)


def build_request(args: argparse.Namespace) -> tuple[list[dict], tuple[Path, str] | None]:
    """The parameter overrides (in order of precedence) and the stamp of a `build` command."""
    from .parameters import read_file

    overrides = []
    if args.params_file:
        overrides.append(read_file(Path(args.params_file)))
    if args.data:
        overrides.append({"data_path": str(Path(args.data).resolve())})
    if args.as_of:
        overrides.append({"as_of": args.as_of})
    overrides.append(_assignments(args.parameters, args.set))
    stamp = (Path(args.stamp).resolve(), _stamp_text(args)) if args.stamp else None
    return overrides, stamp


def cmd_build(args: argparse.Namespace) -> int:
    """Build one report into the output folder."""
    from . import build

    overrides, stamp = build_request(args)
    out_dir = Path(args.out_dir).resolve()
    progress = build.Progress(quiet=args.quiet)
    final = build.build(args.name, out_dir, overrides, stamp=stamp, progress=progress)
    if not args.quiet:
        progress.write(f"  {'total':<16} {progress.last - progress.start:5.2f} s")
    print("report built: " + ", ".join(os.path.relpath(p) for p in final.values()))
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    """Run the builds queued in a folder (by `make scenarios`), several at once."""
    from . import sweep

    return sweep.main(Path(args.queue), args.jobs)


def cmd_check_data(args: argparse.Namespace) -> int:
    """Validate a figures file on its own (the loader's own command)."""
    from . import figures

    return figures.main([args.path])


def cmd_outputs(args: argparse.Namespace) -> int:
    """Print the files a build of report NAME writes, one a line (the Makefile reads this)."""
    from .build import check_name, output_paths

    check_name(args.name)
    for path in output_paths(Path(args.out_dir), args.name).values():
        print(path)
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    """Write an HTML index of built reports: parameters, headline numbers and links."""
    from .build import check_name
    from .scenarios import write_index

    for name in args.names:
        check_name(name)
    print(f"index written: {os.path.relpath(write_index(Path(args.out), args.names))}")
    return 0


def cmd_strip_notebook(args: argparse.Namespace) -> int:
    """Read a notebook on stdin, write it without outputs on stdout (a git `clean` filter)."""
    from .notebook_filter import strip

    sys.stdout.write(strip(sys.stdin.read()))
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser of `casualty-report` and its subcommands."""
    main = argparse.ArgumentParser(
        prog="casualty-report", description="Build and check the casualty report."
    )
    sub = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = sub.add_parser("build", help=cmd_build.__doc__, description=cmd_build.__doc__)
    build.add_argument("--name", default="casualty-report", help="report name (file stem)")
    build.add_argument("--out-dir", default=str(paths.REPORTS_DIR), help="output folder")
    build.add_argument("--data", default="", help="figures CSV (default: the notebook's)")
    build.add_argument(
        "-f", "--params-file", default="", help="YAML file of parameters (as papermill -f)"
    )
    build.add_argument("--as-of", default="", help="date the figures stand at, YYYY-MM-DD")
    build.add_argument(
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
    build.add_argument(
        "--set",
        default="",
        metavar="'NAME=VALUE ...'",
        help="parameters as one string, shell-style quoting: \"title='A b' seed=7\"",
    )
    build.add_argument("--quiet", "-q", action="store_true", help="no progress lines")
    build.add_argument("--stamp", default="", help=argparse.SUPPRESS)  # the Makefile's record
    build.set_defaults(run=cmd_build)

    check = sub.add_parser(
        "check-data", help=cmd_check_data.__doc__, description=cmd_check_data.__doc__
    )
    check.add_argument("path", nargs="?", default=str(paths.DEFAULT_FIGURES), help="figures CSV")
    check.set_defaults(run=cmd_check_data)

    outputs = sub.add_parser("outputs", help=cmd_outputs.__doc__, description=cmd_outputs.__doc__)
    outputs.add_argument("name")
    outputs.add_argument("--out-dir", default="reports")
    outputs.set_defaults(run=cmd_outputs)

    sweep = sub.add_parser("sweep", help=cmd_sweep.__doc__, description=cmd_sweep.__doc__)
    sweep.add_argument(
        "queue", help="folder of queued builds, one <name>.args file each (removed after)"
    )
    sweep.add_argument(
        "--jobs", "-j", type=int, default=0, help="builds at once (default: one more than cores)"
    )
    sweep.set_defaults(run=cmd_sweep)

    index = sub.add_parser("index", help=cmd_index.__doc__, description=cmd_index.__doc__)
    index.add_argument("names", nargs="+", metavar="NAME", help="report names, in order")
    index.add_argument("--out", default="reports/index.html", help="the index file")
    index.set_defaults(run=cmd_index)

    strip = sub.add_parser(
        "strip-notebook", help=cmd_strip_notebook.__doc__, description=cmd_strip_notebook.__doc__
    )
    strip.set_defaults(run=cmd_strip_notebook)
    return main


def main(argv: Sequence[str] | None = None, label: str = "") -> int:
    """Run one subcommand; a refusal is one line on stderr, exit 1 (128 + signal if stopped).

    `label`, if given, starts that line (a sweep names the report each line is about).
    """
    from .build import BuildError
    from .guards import Interrupted
    from .parameters import ParameterError

    args = parser().parse_args(argv)
    failed = "report not built" if args.command == "build" else f"{args.command} failed"
    if label:
        failed = f"{label}: {failed}"
    try:
        return args.run(args)
    except Interrupted as err:
        kept = (
            "each report is as it was or wholly rebuilt"
            if args.command == "sweep"
            else "the previous report is unchanged"
        )
        print(f"{failed}: {err}; {kept}", file=sys.stderr)
        # Cleanup ran in the `finally` blocks; exit now rather than wait at interpreter
        # shutdown for the notebook thread, which may be blocked on the killed kernel.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(128 + err.signum)
    except (BuildError, ParameterError, OSError) as err:
        reason = str(err) if not isinstance(err, OSError) else f"{err.filename}: {err.strerror}"
        print(f"{failed}: {reason}", file=sys.stderr)
        return EXIT_REFUSED
    except Exception as err:
        if os.environ.get("CASUALTY_REPORT_DEBUG"):
            raise
        reason = " | ".join(str(err).splitlines())
        print(f"{failed}: {type(err).__name__}: {reason}", file=sys.stderr)
        return EXIT_REFUSED


def run() -> None:
    """The console script (and `python -m casualty_report`): `main`, then exit at once.

    By then every output is written, closed and in place, and the kernel is stopped. Python's
    own teardown of a process that loaded jupyter_client, nbconvert and WeasyPrint (modules,
    objects, a leftover event-loop thread) took 0.5 to 0.7 s of a 10 s build, measured; it does
    nothing a user needs, so it is skipped. An unexpected error still ends with its traceback.
    """
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)

"""`python -m casualty_report`: the same command-line tool as `casualty-report`."""

from casualty_report.cli import run

run()

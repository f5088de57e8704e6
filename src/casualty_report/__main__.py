"""`python -m casualty_report`: the same command-line tool as `casualty-report`."""

from casualty_report.cli import run

if __name__ == "__main__":  # a sweep's worker processes import this module as __mp_main__
    run()

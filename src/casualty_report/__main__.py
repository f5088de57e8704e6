"""`python -m casualty_report`: the same command-line tool as `casualty-report`."""

import sys

from casualty_report.cli import main

sys.exit(main())

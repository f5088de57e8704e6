"""The report layer: sentences, tables, charts and their templates."""

METADATA_KEY = "casualty_report"  # a cell output's metadata that describes the whole report

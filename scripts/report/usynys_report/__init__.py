# The nightly coverage report of scripts/nightly-report, one module per job: cli (command
# line, configuration, one run from start to end), db (the reads, in one snapshot, and the
# report_runs rows), texts (the document's titles and texts in the report's language), figures
# (the arithmetic), charts (gnuplot), page (the HTML pages) and files (CSV, summary.json,
# MANIFEST, the atomic rename); messages (the words of pages and charts, one catalogue per
# language in scripts/report/messages), definitions, errors and text hold what several of them
# share. Importable once scripts/report is on sys.path.

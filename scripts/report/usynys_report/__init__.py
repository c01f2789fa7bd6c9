# The nightly coverage report of scripts/nightly-report, one module per job: cli (command
# line, configuration, one run from start to end), db (the reads, in one snapshot, and the
# report_runs rows), figures (the arithmetic), charts (gnuplot), page (the HTML page) and files
# (CSV, summary.json, MANIFEST, the atomic rename); definitions, errors and text hold what
# several of them share. Importable once scripts/report is on sys.path.

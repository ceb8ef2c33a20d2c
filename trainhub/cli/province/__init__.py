"""`flask --app trainhub demo province [--scale 1.0] [--seed N] [--today YYYY-MM-DD]`: a
coherent province to try the pages on, written in bulk (issue 13, item 1).

Modules: `world` (plan, random streams, records), `bulk` (chunked executemany and COPY),
`names`, `people`, `organisations`, `accounts`, `evidence`, `bases`, `training` (demands,
batches, sessions), `enrolments` (applications, attendance, results in memory), `running`
(their rows), `subsidies`, `competitions`, `generate` (the order), `command` (the CLI)."""

import { VERSION } from "../options.js";

export const HELP = `http-status ${VERSION} — check the HTTP status of many URLs, concurrently

Usage:
  http-status [options] URL...
  http-status [options] -i FILE        one URL a line; blank lines and # comments skipped
  command | http-status [options]      URLs on stdin (or: -i -)
  http-status --demo                   the guide's ten sites on a local server: sequential vs concurrent

Options:
  -i, --input FILE          read URLs from FILE ("-": stdin); read lazily, any size
  -c, --concurrency N       checks at once (default 20)
      --per-host N          checks at once against one host (default: no limit beyond -c)
      --sequential          one check at a time (-c 1 --per-host 1), to see the difference
  -t, --timeout SECONDS     one attempt, from connect to the end of the headers (default 10)
  -r, --retries N           extra attempts after a reset, a timeout, 429 or 503 (default 2);
                            backoff doubles from 0.5 s, Retry-After is honoured
  -L, --follow              follow redirects (default: report them)
      --max-redirects N     at most N redirects when following (default 10)
      --max-header-size N   bytes allowed for the status line and headers (default 65536)
  -X, --method HEAD|GET     the request method (default HEAD, with GET when a server refuses HEAD)
  -k, --insecure            do not verify TLS certificates
  -A, --user-agent TEXT     the User-Agent header
      --order input|completion
                            print results in input order (default) or as they complete
  -o, --format FORMAT       table, json, jsonl or csv (default: table on a terminal, jsonl when piped)
      --fail-on LIST        which results make the exit code 1 and are not "ok":
                            error, an error code (TIMEOUT, DNS, ...), 4xx, 404, ... or none
                            (default: error,4xx,5xx)
      --no-progress         no progress bar (it is only ever drawn on a terminal, on stderr)
  -q, --quiet               no summary on stderr
  -h, --help                this help
  -V, --version             the version

Output:
  stdout has the results only (jsonl: one JSON object a line; csv: with a header row);
  the progress bar and the summary go to stderr, the bar only when stderr is a terminal.

Error codes (jsonl "error.code", csv "error_code"):
  INVALID_URL  UNSUPPORTED_SCHEME  DNS  REFUSED  RESET  TIMEOUT  TLS  BAD_RESPONSE
  TOO_LARGE  REDIRECT_LOOP  TOO_MANY_REDIRECTS

Exit status:
  0    every result is ok (nothing matched --fail-on)
  1    at least one result matched --fail-on
  2    usage error (bad flag or value, unreadable input file, also when reading fails part-way)
  130  interrupted with Ctrl-C (the results that finished are still printed)

Examples:
  http-status --demo
  http-status https://example.org http://example.com/missing
  http-status -c 50 --per-host 4 --follow -i urls.txt
  http-status -i urls.txt -o jsonl --order completion > results.jsonl
  grep -v '^#' urls.txt | http-status -o csv --fail-on 5xx,error > report.csv
  http-status --timeout 3 --retries 0 --fail-on none -o json https://example.org | jq '.[].status'
`;

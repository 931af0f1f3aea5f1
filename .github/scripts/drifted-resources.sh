#!/usr/bin/env bash
# The resources a `pulumi preview --diff` output (file $1, or stdin) would change: each one's
# "~ type: (update)" line (~ update, +- replace, + create, - delete) and the [urn=…] line under it
# that names it. Prints nothing when nothing changes. Used by drift.yml for the job summary.
set -euo pipefail
awk '
  /^ *(~|\+-|-\+|\+\+|--|\+|-) ?[A-Za-z0-9-]+:[^ ]*:[A-Za-z0-9]+: \(/ { print; want = 1; next }
  want && /\[urn=/ { print; want = 0 }
' "${1:-/dev/stdin}"

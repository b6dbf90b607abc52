#!/usr/bin/env bash
# Prints a GDX access token on stdout, for testers who have bash, curl and jq but not Node.
# The seed document's two curl recipes, made robust: either client authentication method,
# Base64 without line wrapping, a timeout, and a clear message and non-zero exit on any error.
#
#   OAUTH_URL=https://dev-gdx-data-share.auth.eu-west-2.amazoncognito.com/oauth2/token \
#   CLIENT_ID=... CLIENT_SECRET=... scripts/get-token.sh [--method client_secret_basic|client_secret_post] [--scope SCOPE]
#
#   JWT_TOKEN=$(scripts/get-token.sh)
#
# Exit codes: 0 token printed, 2 usage (a variable or option is missing or wrong), 3 no token.
set -euo pipefail

method=client_secret_basic
scope=
timeout=${TIMEOUT:-15}

die() { echo "get-token.sh: $2" >&2; exit "$1"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --method) [ $# -ge 2 ] || die 2 "--method needs client_secret_basic or client_secret_post"; method=$2; shift 2 ;;
    --scope) [ $# -ge 2 ] || die 2 "--scope needs a value such as events/consume"; scope=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die 2 "unknown option $1; see --help" ;;
  esac
done

for tool in curl jq base64; do
  command -v "$tool" >/dev/null || die 2 "$tool is not installed; install it and try again"
done
[ -n "${OAUTH_URL:-}" ] || die 2 "OAUTH_URL is empty; set it to your environment's token URL (ending in /oauth2/token)"
[ -n "${CLIENT_ID:-}" ] || die 2 "CLIENT_ID is empty; set it to the client id you were issued"
[ -n "${CLIENT_SECRET:-}" ] || die 2 "CLIENT_SECRET is empty; set it to the client secret you were issued"

args=(--silent --show-error --max-time "$timeout" --request POST "$OAUTH_URL"
      --header 'Content-Type: application/x-www-form-urlencoded'
      --data-urlencode 'grant_type=client_credentials'
      --output - --write-out '\n%{http_code}')
[ -z "$scope" ] || args+=(--data-urlencode "scope=$scope")
case "$method" in
  client_secret_basic)
    # -w 0: GNU base64 wraps at 76 columns, which breaks the header for long credentials.
    # The credential goes to curl through a config on stdin, so it never shows in a process list.
    basic=$(printf '%s:%s' "$CLIENT_ID" "$CLIENT_SECRET" | base64 -w 0 2>/dev/null || printf '%s:%s' "$CLIENT_ID" "$CLIENT_SECRET" | base64 | tr -d '\n')
    config="header = \"Authorization: Basic $basic\""
    ;;
  client_secret_post)
    config=""
    args+=(--data-urlencode "client_id=$CLIENT_ID" --data-urlencode "client_secret@-")
    ;;
  *) die 2 "--method must be client_secret_basic or client_secret_post, not $method" ;;
esac

host=$(printf '%s' "$OAUTH_URL" | sed -E 's#^[a-zA-Z]+://([^/@]*@)?([^/?#]+).*#\2#')
if [ "$method" = client_secret_post ]; then
  answer=$(printf '%s' "$CLIENT_SECRET" | curl "${args[@]}" 2>&1) || die 3 "cannot reach $host: $(printf '%s' "$answer" | tail -n 1 | sed 's/^curl: ([0-9]*) //')"
else
  answer=$(printf '%s\n' "$config" | curl --config - "${args[@]}" 2>&1) || die 3 "cannot reach $host: $(printf '%s' "$answer" | tail -n 1 | sed 's/^curl: ([0-9]*) //')"
fi
status=$(printf '%s' "$answer" | tail -n 1)
body=$(printf '%s' "$answer" | sed '$d')

if [ "$status" = 200 ]; then
  token=$(printf '%s' "$body" | jq -er '.access_token | select(type == "string")' 2>/dev/null) \
    || die 3 "$host answered 200 without an access_token; check OAUTH_URL"
  printf '%s\n' "$token"
  exit 0
fi
error=$(printf '%s' "$body" | jq -er '.error | select(type == "string" and test("^[a-z_]{1,40}$"))' 2>/dev/null || true)
case "$error" in
  invalid_client) die 3 "$host answered $status invalid_client: the client id or secret is wrong for this environment; check CLIENT_ID and CLIENT_SECRET" ;;
  invalid_scope) die 3 "$host answered $status invalid_scope: the client may not have that scope; drop --scope or correct it" ;;
  "") die 3 "$host answered $status, not a token; check OAUTH_URL (it must end in /oauth2/token), or try later if the service is down" ;;
  *) die 3 "$host answered $status $error; see the GDX onboarding guide" ;;
esac

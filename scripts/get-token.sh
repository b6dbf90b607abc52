#!/usr/bin/env bash
# Prints a GDX access token on stdout, for testers who have bash, curl and jq but not Node.
# The GDX guide's two curl recipes, made robust: either client authentication method,
# credentials form-urlencoded before Base64 (RFC 6749 2.3.1), a timeout, and a clear message and
# non-zero exit on any error.
#
#   scripts/get-token.sh --env demo [--method client_secret_basic|client_secret_post] [--scope SCOPE]
#                        [--ca-file PATH]
#       reads GDX_DEMO_CLIENT_ID, GDX_DEMO_CLIENT_SECRET (and GDX_DEMO_TOKEN_URL, else the URL in
#       environments/) from the environment or from ./.env, as the Node.js command gdx-data-share smoke does
#   --ca-file PATH (or GDX_CA_FILE): trust this CA certificate (PEM), your department proxy's root
#       CA; curl then trusts that file instead of its own bundle
#   OAUTH_URL=https://.../oauth2/token CLIENT_ID=... CLIENT_SECRET=... scripts/get-token.sh
#
#   JWT_TOKEN=$(scripts/get-token.sh --env demo)
#
# Exit codes: 0 token printed, 2 usage (a variable or option is missing or wrong), 3 no token.
# A redirect is never followed: the client secret would go with it.
set -euo pipefail

method=client_secret_basic
scope=
env_name=
ca_file=
timeout=${TIMEOUT:-15}

die() { echo "get-token.sh: $2" >&2; exit "$1"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --method) [ $# -ge 2 ] || die 2 "--method needs client_secret_basic or client_secret_post"; method=$2; shift 2 ;;
    --scope) [ $# -ge 2 ] || die 2 "--scope needs a value such as events/consume"; scope=$2; shift 2 ;;
    --env) [ $# -ge 2 ] || die 2 "--env needs dev, demo, integration or local"; env_name=$2; shift 2 ;;
    --ca-file) [ $# -ge 2 ] || die 2 "--ca-file needs the path of a CA certificate (PEM)"; ca_file=$2; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die 2 "unknown option $1; see --help" ;;
  esac
done

for tool in curl jq base64; do
  command -v "$tool" >/dev/null || die 2 "$tool is not installed; install it and try again"
done

# KEY=value lines of ./.env (comments, blank lines, optional quotes), without evaluating anything:
# the value of a GDX_ variable, unless the environment already has it.
dotenv_value() {
  [ -f .env ] || return 0
  local line key value
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%$'\r'}
    case "$line" in ''|'#'*) continue ;; esac
    line=${line#export }
    key=${line%%=*}
    [ "$key" = "$1" ] || continue
    value=${line#*=}
    case "$value" in \"*\") value=${value:1:${#value}-2} ;; \'*\') value=${value:1:${#value}-2} ;; esac
    printf '%s' "$value"
    return 0
  done < .env
}

if [ -n "$env_name" ]; then
  case "$env_name" in dev|demo|integration|local) ;; *) die 2 "--env must be dev, demo, integration or local, not $env_name" ;; esac
  prefix="GDX_$(printf '%s' "$env_name" | tr '[:lower:]' '[:upper:]')_"
  pick() { local name="$prefix$1"; if [ -n "${!name:-}" ]; then printf '%s' "${!name}"; else dotenv_value "$name"; fi; }
  CLIENT_ID=$(pick CLIENT_ID)
  CLIENT_SECRET=$(pick CLIENT_SECRET)
  OAUTH_URL=$(pick TOKEN_URL)
  if [ -z "$OAUTH_URL" ]; then
    file="$(dirname "$0")/../environments/gdx-data-share.$env_name.postman_environment.json"
    OAUTH_URL=$(jq -er '.values[] | select(.key == "tokenUrl") | .value' "$file" 2>/dev/null) || die 2 "cannot read the token URL from $file; set ${prefix}TOKEN_URL"
  fi
  [ -n "$CLIENT_ID" ] || die 2 "${prefix}CLIENT_ID is empty; set it in the environment or in .env"
  [ -n "$CLIENT_SECRET" ] || die 2 "${prefix}CLIENT_SECRET is empty; set it in the environment or in .env"
fi
[ -n "${OAUTH_URL:-}" ] || die 2 "OAUTH_URL is empty; set it to your environment's token URL (ending in /oauth2/token), or use --env"
[ -n "${CLIENT_ID:-}" ] || die 2 "CLIENT_ID is empty; set it to the client id you were issued, or use --env"
[ -n "${CLIENT_SECRET:-}" ] || die 2 "CLIENT_SECRET is empty; set it to the client secret you were issued, or use --env"

# The token URL read as curl reads it: the scheme, the authority up to the first / ? or #, and in
# it the host after the last @ (http://127.0.0.1@elsewhere goes to elsewhere), without its port.
case "$OAUTH_URL" in
  *://*) ;;
  *) die 2 "OAUTH_URL must be an https URL ending in /oauth2/token" ;;
esac
url_scheme=$(printf '%s' "${OAUTH_URL%%://*}" | tr '[:upper:]' '[:lower:]')
url_rest=${OAUTH_URL#*://}
url_authority=${url_rest%%[/?#]*}
host=${url_authority##*@}
case "$host" in
  \[*) url_host=${host%%]*}] ;;
  *) url_host=${host%%:*} ;;
esac
url_host=$(printf '%s' "$url_host" | tr '[:upper:]' '[:lower:]')
# This machine, written out: 127.0.0.0/8, localhost and [::1]; no name that merely starts so.
loopback=false
if [[ "$url_host" =~ ^127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$ ]] || [ "$url_host" = localhost ] || [ "$url_host" = '[::1]' ]; then
  loopback=true
fi
# Plain http only to this machine: anywhere else the secret would cross the network in clear.
case "$url_scheme" in
  https) ;;
  http) $loopback || die 2 "OAUTH_URL is http:// to $url_host, a host that is not this machine: https is required, or the client secret would travel in clear" ;;
  *) die 2 "OAUTH_URL must be an https URL ending in /oauth2/token" ;;
esac

[ -n "$ca_file" ] || ca_file=${GDX_CA_FILE:-$(dotenv_value GDX_CA_FILE)}
if [ -n "$ca_file" ]; then
  grep -q -- '-----BEGIN CERTIFICATE-----' "$ca_file" 2>/dev/null \
    || die 2 "the CA file $ca_file is missing or holds no PEM certificate; export your department's root CA as PEM (Base-64)"
fi

# application/x-www-form-urlencoded; the value goes through stdin, never through argv.
form_encode() { jq -sRr '@uri | gsub("%20"; "+")'; }

args=(--silent --show-error --max-time "$timeout" --request POST "$OAUTH_URL"
      --header 'Content-Type: application/x-www-form-urlencoded'
      --data-urlencode 'grant_type=client_credentials'
      --output - --write-out '\n%{redirect_url}\n%{http_code}')
[ -z "$ca_file" ] || args+=(--cacert "$ca_file")
# This machine is never reached through a proxy: one elsewhere would resolve localhost on its own
# machine, and carry the secret in clear across the network to get there.
! $loopback || args+=(--noproxy '*')
[ -z "$scope" ] || args+=(--data-urlencode "scope=$scope")
case "$method" in
  client_secret_basic)
    # -w 0: GNU base64 wraps at 76 columns, which breaks the header for long credentials.
    # The credential goes to curl through a config on stdin, so it never shows in a process list.
    pair="$(printf '%s' "$CLIENT_ID" | form_encode):$(printf '%s' "$CLIENT_SECRET" | form_encode)"
    basic=$(printf '%s' "$pair" | base64 -w 0 2>/dev/null || printf '%s' "$pair" | base64 | tr -d '\n')
    config="header = \"Authorization: Basic $basic\""
    ;;
  client_secret_post)
    config=""
    args+=(--data-urlencode "client_id=$CLIENT_ID" --data-urlencode "client_secret@-")
    ;;
  *) die 2 "--method must be client_secret_basic or client_secret_post, not $method" ;;
esac

errors=$(mktemp)
trap 'rm -f "$errors"' EXIT
rc=0
if [ "$method" = client_secret_post ]; then
  answer=$(printf '%s' "$CLIENT_SECRET" | curl "${args[@]}" 2>"$errors") || rc=$?
else
  answer=$(printf '%s\n' "$config" | curl --config - "${args[@]}" 2>"$errors") || rc=$?
fi
if [ "$rc" -ne 0 ]; then
  # curl's exit code says why; its status line would only say 000.
  case "$rc" in
    6) cause="DNS lookup failed; check the host name and your DNS or proxy" ;;
    7) cause="connection refused; is the host up and the port right?" ;;
    28) cause="no answer within $timeout s; check your network, proxy or firewall, or raise TIMEOUT" ;;
    35|51|58|59|60|77|80|83|90|91) cause="TLS error, the certificate is not trusted: a department proxy that inspects TLS is the usual cause; pass --ca-file PATH (or set GDX_CA_FILE) with its root CA (PEM), and, with Node.js, gdx-data-share doctor names the certificate" ;;
    56) if grep -q 'response 407' "$errors"; then
          cause="the proxy refused the connection (407 Proxy Authentication Required): put its credentials in HTTPS_PROXY, http://user:password@host:port"
        else
          cause="the connection broke (curl exit 56): a proxy or firewall may be in the way"
        fi ;;
    5) cause="the proxy's host name could not be resolved; check HTTPS_PROXY" ;;
    *) cause="curl failed (exit $rc): $(head -c 200 "$errors" | tr -d '\n' | sed 's/^curl: ([0-9]*) //')" ;;
  esac
  die 3 "cannot reach $host: $cause"
fi
status=$(printf '%s' "$answer" | tail -n 1)
redirect=$(printf '%s' "$answer" | tail -n 2 | head -n 1)
body=$(printf '%s' "$answer" | sed '$d' | sed '$d')

case "$status" in
  3??) to=$(printf '%s' "$redirect" | sed -E 's#^[a-zA-Z]+://([^/@]*@)?([^/?#]+).*#\2#')
       die 3 "$host answered $status, redirecting to ${to:-nowhere named}: not followed, since the client secret would go with it; set OAUTH_URL to the token endpoint itself" ;;
esac

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
  "")
    [ "$status" = 429 ] && die 3 "$host answered 429: rate limited; try again later"
    die 3 "$host answered $status, not a token; check OAUTH_URL (it must end in /oauth2/token), or try later if the service is down" ;;
  *) die 3 "$host answered $status $error; see the GDX guide" ;;
esac

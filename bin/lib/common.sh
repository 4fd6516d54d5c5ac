# Sourced by the bin/ commands: one-line errors naming the fix, the prerequisites, the npm
# stand-ins, the local jar. Set `prog` before sourcing. `--verbose` anywhere on a command line
# is taken out of "$@" by strip_verbose and turns on stack traces (cli.verbose) and DEBUG logs.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
logs="$root/target/logs"
verbose=false

die() {
  echo "$prog: $*" >&2
  exit 1
}

# Fills `args` with "$@" minus --verbose.
strip_verbose() {
  args=()
  for arg in "$@"; do
    if [[ "$arg" == "--verbose" ]]; then verbose=true; else args+=("$arg"); fi
  done
}

# What Flink's distribution opens on JDK 17 for Kryo (the Kinesis consumer's checkpointed state).
jdk17_opens="--add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED"

java_verbosity() {
  if [[ "$verbose" == true ]]; then
    echo "-Dcli.verbose=true -Dlog4j2.level=DEBUG"
  fi
}

require() {
  command -v "$1" >/dev/null 2>&1 || die "'$1' is not on the PATH: install $2 (README.md, Prerequisites)"
}

# Runs a build or install step quietly; on failure one line naming its log and its first error.
quietly() {
  local what="$1" log="$logs/$2.log"
  shift 2
  mkdir -p "$logs"
  if [[ "$verbose" == true ]]; then
    if "$@" 2>&1 | tee "$log" >&2; then return 0; fi
  elif "$@" >"$log" 2>&1; then
    return 0
  fi
  local first
  first="$(grep -m1 -E '^\[ERROR\]|ERR!|error:' "$log" | cut -c1-200 || true)"
  die "$what failed${first:+ ($first)}; the whole output: $log"
}

# The npm stand-ins (dynalite, kinesis-local) pinned in package-lock.json, installed when missing.
ensure_stand_ins() {
  if (cd "$root" && npm ls --silent dynalite kinesis-local >/dev/null 2>&1); then
    return 0
  fi
  require node "Node 20 or newer"
  require npm "Node 20 or newer (npm comes with it)"
  echo "$prog: installing the local stand-ins (npm ci)" >&2
  (cd "$root" && quietly "npm ci (check that the npm registry is reachable)" npm-ci \
    npm ci --no-audit --no-fund)
}

# The runnable local jar (job/target/job-VERSION-local.jar), built when missing or older than the
# sources it is made of. Prints its path.
local_jar() {
  local version jar sources=()
  version="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$root/pom.xml" | head -1)"
  jar="$root/job/target/job-$version-local.jar"
  for module in job operators ratelimit cache cli gemini-emulator local-services; do
    sources+=("$root/$module/src/main" "$root/$module/pom.xml")
  done
  if [[ ! -f "$jar" ]] || [[ -n "$(find "${sources[@]}" "$root/pom.xml" -newer "$jar" -print -quit)" ]]; then
    require mvn "Maven 3.8 or newer"
    echo "$prog: building $jar" >&2
    (cd "$root" && quietly "the build (mvn -pl job -am -Plocal package)" build-local-jar \
      mvn -B -ntp -Dstyle.color=never -pl job -am -Plocal -DskipTests package) >&2
  fi
  echo "$jar"
}

#!/usr/bin/env bash
# Runs the CDK app (DeployApp) on the module's Maven runtime classpath. The cdk CLI runs it through
# cdk.json; synth.sh runs it directly. Builds the module first when its classes are missing or stale.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
MAIN_CLASS="$HERE/target/classes/io/paralleltranslation/deploy/DeployApp.class"
# Also the build stamp: touched after every build, since an unchanged class keeps its old time.
CP_FILE="$HERE/target/runtime-classpath.txt"

if [[ ! -f "$MAIN_CLASS" || ! -f "$CP_FILE" || -n "$(find "$HERE/src/main" "$HERE/pom.xml" "$ROOT/job/src/main" "$ROOT/ratelimit/src/main" "$ROOT/operators/src/main" -newer "$CP_FILE" -type f -print -quit)" ]]; then
  # -am: the job, limiter and operator modules it reads constants from are built in the same run (never installed).
  (cd "$ROOT" && mvn -q -B -ntp -pl deploy/emr-or-kda -am compile dependency:build-classpath \
      -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=runtime) >&2
  touch "$CP_FILE"
fi

# jsii runs the CDK on Node and prints a banner for an end-of-life Node unless this lists its major version.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="${JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION:-20}"
exec java -cp "$HERE/target/classes:$(cat "$CP_FILE")" io.paralleltranslation.deploy.DeployApp

#!/usr/bin/env bash
# Writes the CloudFormation templates of one environment (data stack, application stack) to cdk.out/, offline and without the cdk
# CLI: the CLI would pass the output folder and the context the same way (CDK_OUTDIR, CDK_CONTEXT_JSON).
# Usage: deploy/emr-or-kda/synth.sh dev|staging|prod
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ENV_NAME="${1:-}"
case "$ENV_NAME" in
  dev|staging|prod) ;;
  *) echo "usage: $0 dev|staging|prod" >&2; exit 2 ;;
esac

export CDK_OUTDIR="$HERE/cdk.out"
export CDK_CONTEXT_JSON="{\"env\":\"$ENV_NAME\"}"
mkdir -p "$CDK_OUTDIR"
"$HERE/app.sh"
for stack in data app; do
  TEMPLATE="$CDK_OUTDIR/ParallelTranslation-$ENV_NAME-$stack.template.json"
  test -s "$TEMPLATE"
  echo "$TEMPLATE"
done

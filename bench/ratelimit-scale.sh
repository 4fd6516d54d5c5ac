#!/usr/bin/env bash
# Scale benchmark of the global quota limiter (ratelimit/): 16 limiter instances (4 JVMs x 4
# unshared limiters) race for ONE dynalite item at 30,000 RPM, demand far above it, for 130 s of
# real time (BENCH_SPEED=k runs the limiters' clocks k times faster: k x less real time for the same
# quota time). Every 60 s window of the grants is checked. The last line is:
#   RESULT instances=<n> rpm=<rpm> violations=<n> utilization=<x> ddb_calls_per_grant=<x> max_wcu_per_s=<n>
# max_wcu_per_s: the most write units (ceil(item size / 1 KB) per UpdateItem, conditional failures
# included) billed in one second of quota time; a DynamoDB partition takes 1,000 WCU/s.
# Knobs (environment): BENCH_SECONDS (130), BENCH_SPEED (1), BENCH_JVMS (4), BENCH_LIMITERS_PER_JVM (4),
# BENCH_ACQUIRERS_PER_LIMITER (3), BENCH_RPM (30000), BENCH_TPM (30000000).
set -euo pipefail
# Same build, stand-in and class path as the small benchmark: only the main class differs.
BENCH_MAIN=io.paralleltranslation.ratelimit.RateLimitScaleBenchmark exec "$(dirname "$0")/ratelimit.sh"

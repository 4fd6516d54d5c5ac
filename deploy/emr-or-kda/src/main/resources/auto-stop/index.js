'use strict';
// Stops the Managed Flink application after IDLE_MINUTES with no record put on its stream and no
// chunk inside the job (chunksInFlight: waiting for quota, calling Gemini or backing off). Stopping
// without Force makes the service take a snapshot first, so no state is lost; `bin/submit --start`
// starts it again from that snapshot. Runs on a schedule (EventBridge, every few minutes).

/** Why the application keeps running, or null when it may stop. */
function decide(status, incoming, inFlight, idleMinutes) {
  if (status !== 'RUNNING') return 'status is ' + status;
  if (incoming.some((v) => v > 0)) return 'records were put in the last ' + idleMinutes + ' min';
  // A gauge missing for more than a minute: the job was not running (or not reporting) the whole time.
  if (inFlight.length < idleMinutes - 1) {
    return 'chunksInFlight reported for ' + inFlight.length + ' of the last ' + idleMinutes + ' min';
  }
  if (inFlight.some((v) => v > 0)) return 'chunks are still being translated';
  return null;
}

function query(id, namespace, name, dimension, value, stat) {
  return { Id: id, MetricStat: { Metric: { Namespace: namespace, MetricName: name,
    Dimensions: [{ Name: dimension, Value: value }] }, Period: 60, Stat: stat } };
}

async function handler() {
  // The Lambda Node.js runtime ships the AWS SDK v3; required here so decide() loads anywhere.
  const kda = require('@aws-sdk/client-kinesis-analytics-v2');
  const cw = require('@aws-sdk/client-cloudwatch');
  const env = process.env;
  const app = env.APPLICATION_NAME;
  const idle = Number(env.IDLE_MINUTES);
  const flink = new kda.KinesisAnalyticsV2Client({});
  const detail = await flink.send(new kda.DescribeApplicationCommand({ ApplicationName: app }));
  const status = detail.ApplicationDetail.ApplicationStatus;
  const values = { incoming: [], inflight: [] };
  if (status === 'RUNNING') {
    const end = new Date(Math.floor(Date.now() / 60000) * 60000);
    const start = new Date(end.getTime() - idle * 60000);
    const data = await new cw.CloudWatchClient({}).send(new cw.GetMetricDataCommand({
      StartTime: start, EndTime: end, MetricDataQueries: [
        query('incoming', 'AWS/Kinesis', 'IncomingRecords', 'StreamName', env.STREAM_NAME, 'Sum'),
        query('inflight', env.METRICS_NAMESPACE, env.IN_FLIGHT_METRIC, 'Application', app, 'Maximum')] }));
    for (const r of data.MetricDataResults) values[r.Id] = r.Values;
  }
  const reason = decide(status, values.incoming, values.inflight, idle);
  if (reason === null) {
    await flink.send(new kda.StopApplicationCommand({ ApplicationName: app, Force: false }));
  }
  const result = { application: app, action: reason === null ? 'stop' : 'keep', reason };
  console.log(JSON.stringify(result));
  return result;
}

module.exports = { handler, decide };

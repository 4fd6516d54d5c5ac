package io.paralleltranslation.operators.testing;

import io.paralleltranslation.operators.metrics.MetricNames;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingTaskMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;

/**
 * A mock task environment whose operator metrics a test can read back by name. The operators
 * register under the CloudWatch group; it is folded into the operator group here so names stay plain.
 */
public final class CapturedMetrics {
    private final InterceptingOperatorMetricGroup operatorGroup = new InterceptingOperatorMetricGroup() {
        @Override
        public MetricGroup addGroup(String name) {
            return MetricNames.CLOUDWATCH_GROUP.equals(name) ? this : super.addGroup(name);
        }
    };

    public MockEnvironment environment() {
        return new MockEnvironmentBuilder()
                .setMetricGroup(new InterceptingTaskMetricGroup() {
                    @Override
                    public InternalOperatorMetricGroup getOrAddOperator(OperatorID id, String name) {
                        return operatorGroup;
                    }
                })
                .build();
    }

    public Metric get(String name) {
        return operatorGroup.get(name);
    }

    public long count(String name) {
        return ((Counter) operatorGroup.get(name)).getCount();
    }
}

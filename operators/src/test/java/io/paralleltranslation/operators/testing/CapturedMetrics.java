package io.paralleltranslation.operators.testing;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingTaskMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;

/** A mock task environment whose operator metrics a test can read back by name. */
public final class CapturedMetrics {
    private final InterceptingOperatorMetricGroup operatorGroup = new InterceptingOperatorMetricGroup();

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

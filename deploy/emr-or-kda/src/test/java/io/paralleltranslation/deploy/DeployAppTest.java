package io.paralleltranslation.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import software.amazon.awscdk.App;

class DeployAppTest {

    @Test
    void anAppWithoutEnvContextIsRefusedBeforeAnythingIsBuilt() {
        App app = App.Builder.create().build();
        assertThatThrownBy(() -> DeployApp.build(app))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected one of [dev, staging, prod]");
    }

    @Test
    void stackNamesCarryTheEnvironment() {
        EnvironmentConfig staging = EnvironmentConfig.named("staging");
        assertThat(DeployApp.dataStackName(staging)).isEqualTo("ParallelTranslation-staging-data");
        assertThat(DeployApp.applicationStackName(staging)).isEqualTo("ParallelTranslation-staging-app");
    }
}

package dev.parley.limits;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** A limit set to what cannot work stops the start with a message naming it. */
class LimitsPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ConfigurationPropertiesAutoConfiguration.class,
				ValidationAutoConfiguration.class))
		.withUserConfiguration(Limits.class);

	@Test
	void theDefaultsStart() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.getBean(LimitsProperties.class)
			.extracting(LimitsProperties::sendRate)
			.isEqualTo(10));
	}

	@Test
	void aZeroRateIsRefusedAtStart() {
		this.runner.withPropertyValues("parley.limits.send-rate=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("parley.limits")
				.hasMessageContaining("sendRate"));
	}

	@Test
	void aNegativeConnectTimeoutIsRefusedAtStart() {
		this.runner.withPropertyValues("parley.limits.connect-timeout=-1s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("connectTimeout"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(LimitsProperties.class)
	static class Limits {

	}

}

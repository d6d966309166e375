package dev.parley.history;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Message storage on the test's database, for slice tests of what reads or writes
 * history: the store and the group-commit writer, whose meters go to a simple registry.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import({ MessageStore.class, MessageWriter.class })
@EnableConfigurationProperties(HistoryProperties.class)
public class StorageTestConfiguration {

	@Bean
	MeterRegistry meterRegistry() {
		return new SimpleMeterRegistry();
	}

}

package dev.parley.direct;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureJdbc;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import dev.parley.history.Draft;
import dev.parley.history.MessageWriter;
import dev.parley.history.StorageTestConfiguration;
import dev.parley.limits.LimitsProperties;
import dev.parley.limits.ReadThrottle;
import dev.parley.support.RestApiTest;
import dev.parley.support.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A private conversation's history over REST, in a web slice: the controller and message
 * storage on a database of the test's own, with the API's security.
 */
@RestApiTest(DirectHistoryController.class)
@AutoConfigureJdbc
@AutoConfigureTestDatabase
@Import({ StorageTestConfiguration.class, ReadThrottle.class })
@EnableConfigurationProperties(LimitsProperties.class)
class DirectHistoryControllerTests {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	MessageWriter writer;

	@Test
	void aPrivateConversationIsVisibleToItsTwoPartiesOnly() throws Exception {
		this.writer.append(new Draft.Direct("conv-a", "conv-b", "hello b", null), (s) -> {
		}).get(10, TimeUnit.SECONDS);
		this.writer.append(new Draft.Direct("conv-b", "conv-a", "hello a", null), (s) -> {
		}).get(10, TimeUnit.SECONDS);
		assertThat(conversation("/api/direct/conv-b/messages", "conv-a")).bodyJson()
			.extractingPath("$[*].text")
			.asArray()
			.containsExactly("hello b", "hello a");
		assertThat(conversation("/api/direct/conv-a/messages", "conv-b")).bodyJson()
			.extractingPath("$[*].text")
			.asArray()
			.containsExactly("hello b", "hello a");
		assertThat(conversation("/api/direct/conv-a/messages", "conv-c")).bodyJson().isStrictlyEqualTo("[]");
	}

	private MvcTestResult conversation(String path, String user) {
		MvcTestResult result = this.mvc.get()
			.uri(path)
			.header("Authorization", "Bearer " + TestTokens.valid(user))
			.exchange();
		assertThat(result).hasStatusOk();
		return result;
	}

}

package dev.parley.room;

import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureJdbc;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import dev.parley.history.Draft;
import dev.parley.history.MessageWriter;
import dev.parley.history.RoomMessage;
import dev.parley.history.StorageTestConfiguration;
import dev.parley.limits.LimitsProperties;
import dev.parley.limits.ReadThrottle;
import dev.parley.support.RestApiTest;
import dev.parley.support.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A room's history over REST: paging through its messages both ways, the limits, and
 * private rooms. A web slice: the controller, the room directory and message storage on a
 * database of the test's own, with the API's security.
 */
@RestApiTest(RoomHistoryController.class)
@AutoConfigureJdbc
@AutoConfigureTestDatabase
@Import({ RoomDirectory.class, StorageTestConfiguration.class, ReadThrottle.class })
@EnableConfigurationProperties(LimitsProperties.class)
class RoomHistoryControllerTests {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	MessageWriter writer;

	@Autowired
	RoomDirectory directory;

	@Test
	void pagesThroughARoomBackwardsAndForwards() throws Exception {
		for (int i = 1; i <= 7; i++) {
			this.writer.append(new Draft.Room("paged", RoomMessage.Type.CHAT, "pager", "m" + i, null), (s) -> {
			}).get(10, TimeUnit.SECONDS);
		}
		MvcTestResult newest = history("/api/rooms/paged/messages?limit=3", "reader");
		assertThat(newest).bodyJson().extractingPath("$[*].seq").asArray().containsExactly(5, 6, 7);
		assertThat(newest).bodyJson().extractingPath("$[2].content").asString().isEqualTo("m7");
		assertThat(history("/api/rooms/paged/messages?before=5&limit=3", "reader")).bodyJson()
			.extractingPath("$[*].seq")
			.asArray()
			.containsExactly(2, 3, 4);
		assertThat(history("/api/rooms/paged/messages?after=5", "reader")).bodyJson()
			.extractingPath("$[*].seq")
			.asArray()
			.containsExactly(6, 7);
		assertThat(history("/api/rooms/paged/messages?after=1&before=4", "reader")).bodyJson()
			.extractingPath("$[*].seq")
			.asArray()
			.containsExactly(2, 3);
	}

	@Test
	void limitsAndPrivateRoomsAreEnforced() {
		MvcTestResult none = this.mvc.get()
			.uri("/api/rooms/any/messages?limit=0")
			.header("Authorization", bearer("reader"))
			.exchange();
		assertThat(none).hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(none).bodyJson().extractingPath("$.detail").asString().isEqualTo("limit must be between 1 and 200");
		assertThat(this.mvc.get().uri("/api/rooms/any/messages?limit=201").header("Authorization", bearer("reader")))
			.hasStatus(HttpStatus.BAD_REQUEST);
		this.directory.create("sealed-history", true, "keeper", Set.of("keeper"));
		assertThat(this.mvc.get().uri("/api/rooms/sealed-history/messages").header("Authorization", bearer("outsider")))
			.hasStatus(HttpStatus.NOT_FOUND);
		assertThat(this.mvc.get().uri("/api/rooms/sealed-history/messages").header("Authorization", bearer("keeper")))
			.hasStatusOk();
		assertThat(this.mvc.get().uri("/api/rooms/any/messages")).hasStatus(HttpStatus.UNAUTHORIZED);
	}

	private MvcTestResult history(String path, String user) {
		MvcTestResult result = this.mvc.get().uri(path).header("Authorization", bearer(user)).exchange();
		assertThat(result).hasStatusOk();
		return result;
	}

	private static String bearer(String user) {
		return "Bearer " + TestTokens.valid(user);
	}

}

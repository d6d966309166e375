package dev.parley.room;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureJdbc;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import dev.parley.history.Draft;
import dev.parley.history.MessageWriter;
import dev.parley.history.RoomMessage;
import dev.parley.history.StorageTestConfiguration;
import dev.parley.limits.WriteThrottle;
import dev.parley.support.RestApiTest;
import dev.parley.support.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;

/**
 * Rooms over REST: creating public and private rooms, who sees them, who may add members.
 * A web slice: the controller and the room directory on a database of the test's own,
 * with the API's security; who is in a room now (the room service, which is messaging) is
 * mocked.
 */
@RestApiTest(RoomRestController.class)
@AutoConfigureJdbc
@AutoConfigureTestDatabase
@Import({ RoomDirectory.class, StorageTestConfiguration.class })
class RoomRestControllerTests {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	MessageWriter writer;

	@MockitoBean
	RoomService rooms;

	@MockitoBean
	WriteThrottle throttle;

	@Test
	void aPrivateRoomIsListedForItsMembersOnly() {
		MvcTestResult created = create("owner", "{\"name\":\"hideout\",\"private\":true,\"members\":[\"friend\"]}");
		assertThat(created).hasStatus(HttpStatus.CREATED)
			.bodyJson()
			.isStrictlyEqualTo("{\"name\":\"hideout\",\"private\":true,\"memberCount\":2}");
		then(this.rooms).should().accessChanged("hideout");
		then(this.throttle).should().acquire("owner");
		assertThat(list("friend")).bodyJson()
			.extractingPath("$[?(@.name == 'hideout')].memberCount")
			.asArray()
			.containsExactly(2);
		assertThat(list("stranger")).bodyJson().extractingPath("$[*].name").asArray().doesNotContain("hideout");
	}

	@Test
	void aPublicRoomIsListedForEveryone() {
		assertThat(create("owner", "{\"name\":\"lobby\",\"private\":false}")).hasStatus(HttpStatus.CREATED)
			.bodyJson()
			.extractingPath("$.private")
			.asBoolean()
			.isFalse();
		assertThat(list("anyone")).bodyJson().extractingPath("$[*].name").asArray().contains("lobby");
	}

	@Test
	void aRoomNameCanBeTakenOnce() {
		assertThat(create("owner", "{\"name\":\"once\",\"private\":false}")).hasStatus(HttpStatus.CREATED);
		MvcTestResult again = create("other", "{\"name\":\"once\",\"private\":true}");
		assertThat(again).hasStatus(HttpStatus.CONFLICT)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(again).bodyJson().extractingPath("$.detail").asString().isEqualTo("Room 'once' exists");
	}

	@Test
	void aPublicRoomInUseOrWithHistoryCannotBeClaimedAsPrivate() throws Exception {
		given(this.rooms.occupancy()).willReturn(Map.of("busy", 1));
		MvcTestResult inUse = create("claimer", "{\"name\":\"busy\",\"private\":true}");
		assertThat(inUse).hasStatus(HttpStatus.CONFLICT);
		assertThat(inUse).bodyJson()
			.extractingPath("$.detail")
			.asString()
			.isEqualTo("Room 'busy' is in use as a public room; choose another name for a private room");
		given(this.rooms.occupancy()).willReturn(Map.of());

		this.writer.append(new Draft.Room("spoken", RoomMessage.Type.SERVICE, "announcer", "said once", null), (s) -> {
		}).get(5, TimeUnit.SECONDS);
		assertThat(create("claimer", "{\"name\":\"spoken\",\"private\":true}")).hasStatus(HttpStatus.CONFLICT);
		assertThat(list("regular")).bodyJson().extractingPath("$[?(@.name == 'busy')]").asArray().isEmpty();
		assertThat(create("claimer", "{\"name\":\"spoken\",\"private\":false}")).hasStatus(HttpStatus.CREATED);
	}

	@Test
	void anInvalidRoomIsA400Problem() {
		MvcTestResult spaces = create("owner", "{\"name\":\"no spaces\",\"private\":false}");
		assertThat(spaces).hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(spaces).bodyJson()
			.extractingPath("$.detail")
			.asString()
			.isEqualTo("name must be 1 to 64 of A-Z, a-z, 0-9, _ and -");
		assertThat(create("owner", "{\"name\":\"members\",\"private\":true,\"members\":[\"a/b\"]}"))
			.hasStatus(HttpStatus.BAD_REQUEST);
	}

	@Test
	void membersMayAddMembersAndOthersMayNot() {
		assertThat(create("keeper", "{\"name\":\"club\",\"private\":true}")).hasStatus(HttpStatus.CREATED);
		assertThat(addMember("outsider", "club", "outsider")).hasStatus(HttpStatus.NOT_FOUND);
		assertThat(addMember("keeper", "club", "guest")).hasStatus(HttpStatus.NO_CONTENT);
		assertThat(addMember("guest", "club", "plusone")).hasStatus(HttpStatus.NO_CONTENT);
		assertThat(list("plusone")).bodyJson()
			.extractingPath("$[?(@.name == 'club')].memberCount")
			.asArray()
			.containsExactly(3);
		assertThat(addMember("keeper", "nowhere", "guest")).hasStatus(HttpStatus.NOT_FOUND);
		assertThat(create("keeper", "{\"name\":\"square\",\"private\":false}")).hasStatus(HttpStatus.CREATED);
		assertThat(addMember("keeper", "square", "guest")).hasStatus(HttpStatus.CONFLICT);
	}

	@Test
	void roomsNeedAToken() {
		assertThat(this.mvc.get().uri("/api/rooms")).hasStatus(HttpStatus.UNAUTHORIZED);
	}

	private MvcTestResult create(String user, String json) {
		return this.mvc.post()
			.uri("/api/rooms")
			.header("Authorization", "Bearer " + TestTokens.valid(user))
			.contentType(MediaType.APPLICATION_JSON)
			.content(json)
			.exchange();
	}

	private MvcTestResult list(String user) {
		MvcTestResult result = this.mvc.get()
			.uri("/api/rooms")
			.header("Authorization", "Bearer " + TestTokens.valid(user))
			.exchange();
		assertThat(result).hasStatusOk();
		return result;
	}

	private MvcTestResult addMember(String user, String room, String member) {
		return this.mvc.post()
			.uri("/api/rooms/" + room + "/members")
			.header("Authorization", "Bearer " + TestTokens.valid(user))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"username\":\"" + member + "\"}")
			.exchange();
	}

}

package dev.parley.room;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import dev.parley.history.RoomMessage;
import dev.parley.support.TestTokens;

/**
 * Rooms over REST: creating public and private rooms, who sees them, who may add members.
 */
@SpringBootTest
@AutoConfigureMockMvc
class RoomRestControllerTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	RoomService rooms;

	@Test
	void aPrivateRoomIsListedForItsMembersOnly() throws Exception {
		create("owner", "{\"name\":\"hideout\",\"private\":true,\"members\":[\"friend\"]}")
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.name").value("hideout"))
			.andExpect(jsonPath("$.private").value(true))
			.andExpect(jsonPath("$.memberCount").value(2));
		list("friend").andExpect(jsonPath("$[?(@.name == 'hideout')].memberCount").value(hasItem(2)));
		list("stranger").andExpect(jsonPath("$[*].name").value(not(hasItem("hideout"))));
	}

	@Test
	void aPublicRoomIsListedForEveryone() throws Exception {
		create("owner", "{\"name\":\"lobby\",\"private\":false}").andExpect(status().isCreated())
			.andExpect(jsonPath("$.private").value(false));
		list("anyone").andExpect(jsonPath("$[*].name").value(hasItem("lobby")));
	}

	@Test
	void aRoomNameCanBeTakenOnce() throws Exception {
		create("owner", "{\"name\":\"once\",\"private\":false}").andExpect(status().isCreated());
		create("other", "{\"name\":\"once\",\"private\":true}").andExpect(status().isConflict())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
	}

	@Test
	void aPublicRoomInUseOrWithHistoryCannotBeClaimedAsPrivate() throws Exception {
		this.rooms.join("busy", "regular", "session-busy");
		create("claimer", "{\"name\":\"busy\",\"private\":true}").andExpect(status().isConflict())
			.andExpect(jsonPath("$.detail")
				.value("Room 'busy' is in use as a public room; choose another name for a private room"));
		this.rooms.leave("busy", "regular", "session-busy");

		this.rooms.post("spoken", "announcer", RoomMessage.Type.SERVICE, "said once").get(5, TimeUnit.SECONDS);
		create("claimer", "{\"name\":\"spoken\",\"private\":true}").andExpect(status().isConflict());
		list("regular").andExpect(jsonPath("$[?(@.name == 'busy')]").isEmpty());
		create("claimer", "{\"name\":\"spoken\",\"private\":false}").andExpect(status().isCreated());
	}

	@Test
	void anInvalidRoomIsA400Problem() throws Exception {
		create("owner", "{\"name\":\"no spaces\",\"private\":false}").andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.detail").value("name must be 1 to 64 of A-Z, a-z, 0-9, _ and -"));
		create("owner", "{\"name\":\"members\",\"private\":true,\"members\":[\"a/b\"]}")
			.andExpect(status().isBadRequest());
	}

	@Test
	void membersMayAddMembersAndOthersMayNot() throws Exception {
		create("keeper", "{\"name\":\"club\",\"private\":true}").andExpect(status().isCreated());
		addMember("outsider", "club", "outsider").andExpect(status().isNotFound());
		addMember("keeper", "club", "guest").andExpect(status().isNoContent());
		addMember("guest", "club", "plusone").andExpect(status().isNoContent());
		list("plusone").andExpect(jsonPath("$[?(@.name == 'club')].memberCount").value(hasItem(3)));
		addMember("keeper", "nowhere", "guest").andExpect(status().isNotFound());
		create("keeper", "{\"name\":\"square\",\"private\":false}").andExpect(status().isCreated());
		addMember("keeper", "square", "guest").andExpect(status().isConflict());
	}

	@Test
	void roomsNeedAToken() throws Exception {
		this.mvc.perform(get("/api/rooms")).andExpect(status().isUnauthorized());
	}

	private ResultActions create(String user, String json) throws Exception {
		return this.mvc.perform(post("/api/rooms").header("Authorization", "Bearer " + TestTokens.valid(user))
			.contentType(MediaType.APPLICATION_JSON)
			.content(json));
	}

	private ResultActions list(String user) throws Exception {
		return this.mvc.perform(get("/api/rooms").header("Authorization", "Bearer " + TestTokens.valid(user)))
			.andExpect(status().isOk());
	}

	private ResultActions addMember(String user, String room, String member) throws Exception {
		return this.mvc
			.perform(post("/api/rooms/" + room + "/members").header("Authorization", "Bearer " + TestTokens.valid(user))
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"username\":\"" + member + "\"}"));
	}

}

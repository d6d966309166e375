package dev.parley.history;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import static org.hamcrest.Matchers.hasSize;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import dev.parley.support.TestTokens;

/**
 * History over REST: paging through a room's messages both ways, a private conversation,
 * and the limits.
 */
@SpringBootTest
@AutoConfigureMockMvc
class HistoryRestTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	MessageWriter writer;

	@Test
	void pagesThroughARoomBackwardsAndForwards() throws Exception {
		String room = "paged-" + System.nanoTime() % 100000;
		for (int i = 1; i <= 7; i++) {
			this.writer.append(new Draft.Room(room, RoomMessage.Type.CHAT, "pager", "m" + i, null), (s) -> {
			}).get(10, TimeUnit.SECONDS);
		}
		history("/api/rooms/" + room + "/messages?limit=3", "reader").andExpect(jsonPath("$", hasSize(3)))
			.andExpect(jsonPath("$[0].seq").value(5))
			.andExpect(jsonPath("$[2].seq").value(7))
			.andExpect(jsonPath("$[2].content").value("m7"));
		history("/api/rooms/" + room + "/messages?before=5&limit=3", "reader").andExpect(jsonPath("$[0].seq").value(2))
			.andExpect(jsonPath("$[2].seq").value(4));
		history("/api/rooms/" + room + "/messages?after=5", "reader").andExpect(jsonPath("$", hasSize(2)))
			.andExpect(jsonPath("$[0].seq").value(6));
		history("/api/rooms/" + room + "/messages?after=1&before=4", "reader").andExpect(jsonPath("$", hasSize(2)));
	}

	@Test
	void limitsAndPrivateRoomsAreEnforced() throws Exception {
		this.mvc.perform(get("/api/rooms/any/messages?limit=0").header("Authorization", bearer("reader")))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.detail").value("limit must be between 1 and 200"));
		this.mvc.perform(get("/api/rooms/any/messages?limit=201").header("Authorization", bearer("reader")))
			.andExpect(status().isBadRequest());
		this.mvc.perform(post("/api/rooms").header("Authorization", bearer("keeper"))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\":\"sealed-history\",\"private\":true}"));
		this.mvc.perform(get("/api/rooms/sealed-history/messages").header("Authorization", bearer("outsider")))
			.andExpect(status().isNotFound());
		this.mvc.perform(get("/api/rooms/sealed-history/messages").header("Authorization", bearer("keeper")))
			.andExpect(status().isOk());
		this.mvc.perform(get("/api/rooms/any/messages")).andExpect(status().isUnauthorized());
	}

	@Test
	void aPrivateConversationIsVisibleToItsTwoPartiesOnly() throws Exception {
		this.writer.append(new Draft.Direct("conv-a", "conv-b", "hello b", null), (s) -> {
		}).get(10, TimeUnit.SECONDS);
		this.writer.append(new Draft.Direct("conv-b", "conv-a", "hello a", null), (s) -> {
		}).get(10, TimeUnit.SECONDS);
		history("/api/direct/conv-b/messages", "conv-a").andExpect(jsonPath("$", hasSize(2)))
			.andExpect(jsonPath("$[0].text").value("hello b"))
			.andExpect(jsonPath("$[1].text").value("hello a"));
		history("/api/direct/conv-a/messages", "conv-b").andExpect(jsonPath("$", hasSize(2)));
		history("/api/direct/conv-a/messages", "conv-c").andExpect(jsonPath("$", hasSize(0)));
	}

	private ResultActions history(String path, String user) throws Exception {
		return this.mvc.perform(get(path).header("Authorization", bearer(user))).andExpect(status().isOk());
	}

	private static String bearer(String user) {
		return "Bearer " + TestTokens.valid(user);
	}

}

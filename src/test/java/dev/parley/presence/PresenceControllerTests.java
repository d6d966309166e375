package dev.parley.presence;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.MockMvc;

import static org.hamcrest.Matchers.containsString;
import static org.mockito.BDDMockito.given;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import dev.parley.support.TestTokens;

@SpringBootTest
@AutoConfigureMockMvc
class PresenceControllerTests {

	@Autowired
	MockMvc mvc;

	@MockitoBean
	PresenceTracker tracker;

	@Test
	void listsWhoIsOnline() throws Exception {
		given(this.tracker.online()).willReturn(List.of("alice", "bob"));
		this.mvc.perform(get("/api/presence").header("Authorization", "Bearer " + TestTokens.valid("carol")))
			.andExpect(status().isOk())
			.andExpect(content().json("{\"online\":[\"alice\",\"bob\"]}", JsonCompareMode.STRICT));
	}

	@Test
	void withoutATokenTheAnswerIsA401Problem() throws Exception {
		this.mvc.perform(get("/api/presence"))
			.andExpect(status().isUnauthorized())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(header().string("WWW-Authenticate", "Bearer"))
			.andExpect(jsonPath("$.status").value(401))
			.andExpect(jsonPath("$.detail").value(containsString("Bearer")));
	}

	@Test
	void anExpiredTokenIsA401ProblemSayingSo() throws Exception {
		this.mvc.perform(get("/api/presence").header("Authorization", "Bearer " + TestTokens.expired("carol")))
			.andExpect(status().isUnauthorized())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.detail").value("Access token expired"));
	}

}

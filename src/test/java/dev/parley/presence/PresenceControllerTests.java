package dev.parley.presence;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import dev.parley.support.RestApiTest;
import dev.parley.support.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;

/**
 * {@code GET /api/presence} in a web slice: the controller, the API's security, and a
 * mocked tracker.
 */
@RestApiTest(PresenceController.class)
class PresenceControllerTests {

	@Autowired
	MockMvcTester mvc;

	@MockitoBean
	PresenceTracker tracker;

	@Test
	void listsWhoIsOnline() {
		given(this.tracker.online()).willReturn(List.of("alice", "bob"));
		assertThat(this.mvc.get().uri("/api/presence").header("Authorization", "Bearer " + TestTokens.valid("carol")))
			.hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("{\"online\":[\"alice\",\"bob\"]}");
	}

	@Test
	void withoutATokenTheAnswerIsA401Problem() {
		MvcTestResult result = this.mvc.get().uri("/api/presence").exchange();
		assertThat(result).hasStatus(HttpStatus.UNAUTHORIZED)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.hasHeader("WWW-Authenticate", "Bearer");
		assertThat(result).bodyJson().extractingPath("$.status").asNumber().isEqualTo(401);
		assertThat(result).bodyJson()
			.extractingPath("$.detail")
			.asString()
			.isEqualTo("Authentication required: send 'Authorization: Bearer <token>'");
	}

	@Test
	void anExpiredTokenIsA401ProblemSayingSo() {
		MvcTestResult result = this.mvc.get()
			.uri("/api/presence")
			.header("Authorization", "Bearer " + TestTokens.expired("carol"))
			.exchange();
		assertThat(result).hasStatus(HttpStatus.UNAUTHORIZED)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().extractingPath("$.detail").asString().isEqualTo("Access token expired");
	}

}

package dev.parley.account;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@SpringBootTest(properties = "parley.accounts.registration-open=false")
@AutoConfigureMockMvc
class ClosedRegistrationTests {

	@Autowired
	MockMvc mvc;

	@Test
	void registrationCanBeClosedByConfiguration() throws Exception {
		this.mvc
			.perform(post("/api/auth/register").contentType(MediaType.APPLICATION_JSON)
				.content("{\"username\":\"latecomer\",\"password\":\"correct horse\"}"))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.detail").value("Registration is closed on this server"));
	}

}

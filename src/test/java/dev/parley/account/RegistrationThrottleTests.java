package dev.parley.account;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Each registration costs a password hash: one address may make only so many.
 */
@SpringBootTest(properties = "parley.accounts.registration-throttle.per-address=3")
@AutoConfigureMockMvc
class RegistrationThrottleTests {

	@Autowired
	MockMvc mvc;

	@Test
	void oneAddressMayRegisterOnlySoManyAccounts() throws Exception {
		for (int i = 0; i < 3; i++) {
			registerFrom("10.1.1.1", "farmed" + i + "_" + System.nanoTime() % 100000).andExpect(status().isCreated());
		}
		registerFrom("10.1.1.1", "farmed_more").andExpect(status().isTooManyRequests())
			.andExpect(header().exists("Retry-After"))
			.andExpect(jsonPath("$.detail").value("Too many registrations from this address; try again later"));
		registerFrom("10.1.1.2", "neighbour_" + System.nanoTime() % 100000).andExpect(status().isCreated());
	}

	@Test
	void aWeakPasswordIsRefusedWithoutUsingARegistration() throws Exception {
		for (int i = 0; i < 5; i++) {
			this.mvc.perform(post("/api/auth/register").contentType(MediaType.APPLICATION_JSON)
				.content("{\"username\":\"weakling\",\"password\":\"short\"}")
				.with((request) -> {
					request.setRemoteAddr("10.1.1.3");
					return request;
				})).andExpect(status().isBadRequest());
		}
		registerFrom("10.1.1.3", "strongling_" + System.nanoTime() % 100000).andExpect(status().isCreated());
	}

	private ResultActions registerFrom(String address, String username) throws Exception {
		return this.mvc.perform(post("/api/auth/register").contentType(MediaType.APPLICATION_JSON)
			.content("{\"username\":\"" + username + "\",\"password\":\"correct horse battery\"}")
			.with((request) -> {
				request.setRemoteAddr(address);
				return request;
			}));
	}

}

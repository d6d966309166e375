package dev.parley.support;

import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the JSON the server answers with, for tests to look into.
 */
public final class Json {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private Json() {
	}

	public static JsonNode parse(String json) {
		return mapper.readTree(json);
	}

	/** The strings of a JSON array, in order. */
	public static List<String> strings(JsonNode array) {
		return array.valueStream().map(JsonNode::asString).toList();
	}

	/** The access token of a login or service-token answer. */
	public static String accessToken(String answer) {
		return parse(answer).get("accessToken").asString();
	}

}

package dev.parley.messaging;

/**
 * Input a client sent that the chat refuses. It reaches the client on {@code /user/queue/errors} with its code and
 * message; the session stays open.
 */
public class ChatException extends RuntimeException {

	private final String code;

	public ChatException(String code, String message) {
		super(message);
		this.code = code;
	}

	public String code() {
		return this.code;
	}

}

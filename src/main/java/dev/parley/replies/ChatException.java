package dev.parley.replies;

/**
 * Input a client sent that the chat refuses. It reaches the client on
 * {@code /user/queue/errors} with its code and message; the session stays open.
 */
public class ChatException extends RuntimeException {

	private final String code;

	private final String text;

	public ChatException(String code, String message) {
		super(message);
		this.code = code;
		this.text = message;
	}

	/** The message for the client. */
	public String text() {
		return this.text;
	}

	public String code() {
		return this.code;
	}

}

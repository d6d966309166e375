package dev.parley.messaging;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageSendingOperations;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.user.SimpSession;
import org.springframework.messaging.simp.user.SimpUser;
import org.springframework.messaging.simp.user.SimpUserRegistry;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;
import org.springframework.util.MimeTypeUtils;

import dev.parley.protocol.Protocol;

/**
 * Delivers a message to every session of a user on {@code /user/queue/...}, one session
 * at a time.
 * <p>
 * Spring's user destination handler, with receive order preserved, fails to deliver one
 * message to a user with several sessions (it reuses the message after its headers were
 * sealed by the first send). Addressing each session by its id resolves to one target
 * each time. The payload is serialized once, not per session.
 * <p>
 * In relay mode the user registry holds the sessions of other nodes too. A message for
 * one of those goes straight to the session's own queue, in Spring's form
 * ({@code /queue/notifications-user<session>}), on the broker: through the user
 * destination handler it would leave an entry for that session there for good (Spring
 * keeps one per session it resolves to, and forgets it when the session disconnects,
 * which another node's session never does here).
 */
@Component
public class UserDelivery {

	private final SimpMessageSendingOperations messaging;

	private final SimpUserRegistry users;

	private final JsonMapper jsonMapper;

	private final RemoteUsers remote;

	private final Connections connections;

	UserDelivery(SimpMessageSendingOperations messaging, SimpUserRegistry users, JsonMapper jsonMapper,
			ObjectProvider<RemoteUsers> remote, Connections connections) {
		this.messaging = messaging;
		this.users = users;
		this.jsonMapper = jsonMapper;
		this.remote = remote.getIfAvailable(() -> RemoteUsers.NONE);
		this.connections = connections;
	}

	/**
	 * @return how many sessions it was sent to (0 when the user is not connected to this
	 * node)
	 */
	public int toUser(String user, String queue, Object payload) {
		SimpUser connected = this.users.getUser(user);
		if (connected == null && this.remote == RemoteUsers.NONE) {
			return 0;
		}
		byte[] json = this.jsonMapper.writeValueAsBytes(payload);
		this.remote.deliver(user, Protocol.USER_PREFIX + "/" + user + queue, json);
		if (connected == null) {
			return 0;
		}
		int sent = 0;
		for (SimpSession session : connected.getSessions()) {
			SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
			headers.setContentType(MimeTypeUtils.APPLICATION_JSON);
			headers.setLeaveMutable(true);
			String destination;
			if (this.connections.find(session.getId()) != null) {
				headers.setSessionId(session.getId());
				destination = Protocol.USER_PREFIX + "/" + user + queue;
			}
			else {
				// Another node's session (relay mode): what the user destination handler
				// would resolve it to, and the destination its client subscribed to.
				headers.setNativeHeader(SimpMessageHeaderAccessor.ORIGINAL_DESTINATION, Protocol.USER_PREFIX + queue);
				destination = queue + "-user" + session.getId();
			}
			this.messaging.send(destination, MessageBuilder.createMessage(json, headers.getMessageHeaders()));
			sent++;
		}
		return sent;
	}

}

package dev.parley.baseline;

import java.time.Instant;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.stereotype.Controller;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

/**
 * The baseline: a chat as the Spring guides build it, on the same destinations as Parley
 * so that one load tool drives both. A message sent to {@code /app/chat.send} goes to
 * {@code /topic/chat/{room}} through the simple broker, with the sender and a timestamp;
 * nothing is checked or stored.
 */
@SpringBootApplication
public class BaselineApplication {

	public static void main(String[] args) {
		SpringApplication.run(BaselineApplication.class, args);
	}

	@Configuration
	@EnableWebSocketMessageBroker
	static class WebSocketConfig implements WebSocketMessageBrokerConfigurer {

		@Override
		public void registerStompEndpoints(StompEndpointRegistry registry) {
			registry.addEndpoint("/ws");
			registry.addEndpoint("/sockjs").withSockJS();
		}

		@Override
		public void configureMessageBroker(MessageBrokerRegistry registry) {
			registry.setApplicationDestinationPrefixes("/app");
			registry.enableSimpleBroker("/topic", "/queue");
		}

	}

	record ChatMessage(String type, String sender, String content, Instant timestamp) {
	}

	@Controller
	static class ChatController {

		private final SimpMessagingTemplate messaging;

		ChatController(SimpMessagingTemplate messaging) {
			this.messaging = messaging;
		}

		@MessageMapping("/chat.send")
		void send(Map<String, String> message) {
			this.messaging.convertAndSend("/topic/chat/" + message.get("room"),
					new ChatMessage("CHAT", "anonymous", message.get("content"), Instant.now()));
		}

		@MessageMapping("/chat.join")
		void join(Map<String, String> message) {
			this.messaging.convertAndSend("/topic/chat/" + message.get("room"),
					new ChatMessage("JOIN", "SYSTEM", "someone joined the chat", Instant.now()));
		}

	}

}

package dev.parley.loadtest;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;

/**
 * One STOMP 1.2 client over a WebSocket, on a shared Netty event loop: a few threads for
 * any number of clients, so that one machine can hold more than 64k of them (each may
 * bind its own loopback source address). Frames are encoded and decoded by hand: STOMP's
 * text framing is a few lines, and a STOMP library would bring a thread or a broker
 * abstraction per connection, which is what a load tool must not spend.
 */
final class StompClient {

	/** A frame received: its command, its raw text (headers and body). */
	record Frame(String command, String text) {

		String header(String name) {
			int at = this.text.indexOf("\n" + name + ":");
			if (at < 0) {
				return null;
			}
			int start = at + name.length() + 2;
			int end = this.text.indexOf('\n', start);
			return this.text.substring(start, (end < 0) ? this.text.length() : end);
		}

		String body() {
			int at = this.text.indexOf("\n\n");
			return (at < 0) ? "" : this.text.substring(at + 2);
		}

	}

	private final CompletableFuture<StompClient> connected = new CompletableFuture<>();

	private final CompletableFuture<Void> closed = new CompletableFuture<>();

	private volatile Consumer<Frame> onFrame = (frame) -> {
	};

	private volatile Channel channel;

	private volatile java.util.concurrent.ScheduledFuture<?> heartbeat;

	private final String connectFrame;

	private final int heartbeatMillis;

	private StompClient(String connectFrame, int heartbeatMillis) {
		this.connectFrame = connectFrame;
		this.heartbeatMillis = heartbeatMillis;
	}

	/**
	 * Opens the WebSocket, sends {@code CONNECT} (with the token as a Bearer
	 * {@code Authorization} header when there is one) and completes on {@code CONNECTED};
	 * fails on an {@code ERROR} frame or a refused handshake.
	 */
	static CompletableFuture<StompClient> connect(EventLoopGroup loop, URI url, InetSocketAddress source,
			String token, int heartbeatMillis, Consumer<Frame> onFrame) {
		StringBuilder connect = new StringBuilder("CONNECT\naccept-version:1.2\nhost:")
			.append(url.getHost())
			.append("\nheart-beat:")
			.append(heartbeatMillis)
			.append(',')
			.append(heartbeatMillis)
			.append('\n');
		if (token != null) {
			connect.append("Authorization:Bearer ").append(token).append('\n');
		}
		connect.append("\n\0");
		StompClient client = new StompClient(connect.toString(), heartbeatMillis);
		client.onFrame = onFrame;
		WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
			.webSocketUri(url)
			.version(WebSocketVersion.V13)
			.subprotocol("v12.stomp")
			.customHeaders(new DefaultHttpHeaders())
			.maxFramePayloadLength(4 * 1024 * 1024)
			.handshakeTimeoutMillis(30_000)
			.build();
		Bootstrap bootstrap = new Bootstrap().group(loop)
			.channel(NioSocketChannel.class)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
			.option(ChannelOption.TCP_NODELAY, true)
			.handler(new ChannelInitializer<SocketChannel>() {

				@Override
				protected void initChannel(SocketChannel channel) {
					channel.pipeline()
						.addLast(new HttpClientCodec(), new HttpObjectAggregator(65536),
								new WebSocketClientProtocolHandler(config), client.new Handler());
				}

			});
		int port = (url.getPort() > 0) ? url.getPort() : 80;
		ChannelFuture opened = bootstrap.connect(new InetSocketAddress(url.getHost(), port), source);
		opened.addListener((future) -> {
			if (!future.isSuccess()) {
				client.connected.completeExceptionally(future.cause());
				client.closed.complete(null);
			}
		});
		client.channel = opened.channel();
		return client.connected;
	}

	void onFrame(Consumer<Frame> handler) {
		this.onFrame = handler;
	}

	void subscribe(String id, String destination) {
		send("SUBSCRIBE\nid:" + id + "\ndestination:" + destination + "\n\n\0");
	}

	void send(String destination, String json, String receipt) {
		StringBuilder frame = new StringBuilder(json.length() + 100).append("SEND\ndestination:")
			.append(destination)
			.append("\ncontent-type:application/json\n");
		if (receipt != null) {
			frame.append("receipt:").append(receipt).append('\n');
		}
		frame.append('\n').append(json).append('\0');
		send(frame.toString());
	}

	void send(String frame) {
		Channel open = this.channel;
		if (open != null && open.isActive()) {
			open.writeAndFlush(new TextWebSocketFrame(frame));
		}
	}

	boolean isOpen() {
		Channel open = this.channel;
		return open != null && open.isActive();
	}

	CompletableFuture<Void> closed() {
		return this.closed;
	}

	void close() {
		Channel open = this.channel;
		if (open != null) {
			open.close();
		}
	}

	private final class Handler extends SimpleChannelInboundHandler<WebSocketFrame> {

		@Override
		public void userEventTriggered(ChannelHandlerContext context, Object event) throws Exception {
			if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
				context.writeAndFlush(new TextWebSocketFrame(StompClient.this.connectFrame));
				if (StompClient.this.heartbeatMillis > 0) {
					// A heart-beat a little more often than promised.
					long every = StompClient.this.heartbeatMillis * 3L / 4;
					StompClient.this.heartbeat = context.channel()
						.eventLoop()
						.scheduleAtFixedRate(() -> send("\n"), every, every, TimeUnit.MILLISECONDS);
				}
			}
			else if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
				StompClient.this.connected.completeExceptionally(new IllegalStateException("handshake timed out"));
			}
			super.userEventTriggered(context, event);
		}

		@Override
		protected void channelRead0(ChannelHandlerContext context, WebSocketFrame message) {
			if (!(message instanceof TextWebSocketFrame text)) {
				return;
			}
			String payload = text.content().toString(StandardCharsets.UTF_8);
			int start = 0;
			while (start < payload.length()) {
				int end = payload.indexOf('\0', start);
				if (end < 0) {
					end = payload.length();
				}
				String frame = payload.substring(start, end);
				start = end + 1;
				int from = 0;
				while (from < frame.length() && (frame.charAt(from) == '\n' || frame.charAt(from) == '\r')) {
					from++;
				}
				if (from == frame.length()) {
					// A heart-beat.
					continue;
				}
				frame = frame.substring(from);
				int line = frame.indexOf('\n');
				String command = (line < 0) ? frame : frame.substring(0, line);
				Frame received = new Frame(command, frame);
				if ("CONNECTED".equals(command)) {
					StompClient.this.connected.complete(StompClient.this);
				}
				else if ("ERROR".equals(command) && !StompClient.this.connected.isDone()) {
					StompClient.this.connected.completeExceptionally(
							new IllegalStateException("ERROR on CONNECT: " + received.header("message")));
				}
				StompClient.this.onFrame.accept(received);
			}
		}

		@Override
		public void channelInactive(ChannelHandlerContext context) throws Exception {
			java.util.concurrent.ScheduledFuture<?> beating = StompClient.this.heartbeat;
			if (beating != null) {
				beating.cancel(false);
			}
			StompClient.this.connected.completeExceptionally(new IllegalStateException("closed before CONNECTED"));
			StompClient.this.closed.complete(null);
			super.channelInactive(context);
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
			StompClient.this.connected.completeExceptionally(cause);
			context.close();
		}

	}

}

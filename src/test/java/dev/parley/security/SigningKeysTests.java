package dev.parley.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.SecretKey;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class SigningKeysTests {

	@TempDir
	Path data;

	@Test
	void nodesStartingTogetherOnAnEmptyFolderKeepOneSecret() throws Exception {
		int nodes = 8;
		ExecutorService starts = Executors.newFixedThreadPool(nodes);
		try {
			for (int round = 0; round < 25; round++) {
				Path file = this.data.resolve("round-" + round).resolve("jwt-secret");
				JwtProperties properties = properties(file);
				CyclicBarrier together = new CyclicBarrier(nodes);
				List<Future<SecretKey>> keys = new ArrayList<>();
				for (int node = 0; node < nodes; node++) {
					keys.add(starts.submit(() -> {
						together.await();
						return SigningKeys.hmacKey(properties);
					}));
				}
				byte[] onDisk = SigningKeys.hmacKey(properties).getEncoded();
				for (Future<SecretKey> key : keys) {
					assertThat(key.get().getEncoded()).as("round %d: every node signs with the secret on disk", round)
						.isEqualTo(onDisk);
				}
				try (var files = Files.list(file.getParent())) {
					assertThat(files.map((path) -> path.getFileName().toString())).containsExactly("jwt-secret");
				}
			}
		}
		finally {
			starts.shutdownNow();
		}
	}

	@Test
	void anEmptySecretFileIsAnErrorNotAnEmptyKey() throws Exception {
		Path file = Files.createFile(this.data.resolve("jwt-secret"));
		assertThatIllegalStateException().isThrownBy(() -> SigningKeys.hmacKey(properties(file)))
			.withMessageContaining("is empty");
	}

	private static JwtProperties properties(Path file) {
		return new JwtProperties(null, file, null, null, null, null, Duration.ofSeconds(30), Duration.ofHours(1));
	}

}

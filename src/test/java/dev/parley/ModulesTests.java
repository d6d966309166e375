package dev.parley;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module structure (docs/architecture.md): no cycles, each module only reaches the
 * modules its {@code @ApplicationModule} allows, and only their API (public types of
 * their base package). Also keeps the generated module documentation in
 * {@code docs/modules/} true: run with {@code -Dparley.docs.update=true} to rewrite it
 * after a change of structure.
 */
class ModulesTests {

	private static final ApplicationModules modules = ApplicationModules.of(ParleyApplication.class);

	private static final Path DOCS = Path.of("docs/modules");

	@Test
	void modulesOnlyDependOnWhatTheyAllow() {
		modules.verify();
	}

	@Test
	void everyPackageIsAModuleOrTheApplication() {
		assertThat(modules.stream().map(ApplicationModule::getName)).containsExactlyInAnyOrder("account", "api", "chat",
				"cluster", "direct", "history", "limits", "messaging", "ops", "presence", "protocol", "push", "replies",
				"room", "security");
	}

	@Test
	void generatedModuleDocumentationIsUpToDate() throws IOException {
		Path generated = Path.of("target/modules-docs");
		new Documenter(modules, generated.toString()).writeModulesAsPlantUml()
			.writeIndividualModulesAsPlantUml()
			.writeModuleCanvases();
		Map<String, String> fresh = read(generated);
		if (Boolean.getBoolean("parley.docs.update")) {
			Files.createDirectories(DOCS);
			try (Stream<Path> old = Files.list(DOCS)) {
				for (Path file : old.toList()) {
					Files.delete(file);
				}
			}
			for (Map.Entry<String, String> file : fresh.entrySet()) {
				Files.writeString(DOCS.resolve(file.getKey()), file.getValue());
			}
		}
		// Compared line by line, in any order: Modulith writes the same lines in an order
		// that varies between runs.
		assertThat(linesOf(read(DOCS)))
			.as("docs/modules/ is what Spring Modulith generates from the code; "
					+ "rewrite it with ./mvnw test -Dtest=ModulesTests -Dparley.docs.update=true")
			.isEqualTo(linesOf(fresh));
	}

	private static Map<String, List<String>> linesOf(Map<String, String> files) {
		Map<String, List<String>> lines = new TreeMap<>();
		files.forEach((name, text) -> lines.put(name, text.lines().sorted().toList()));
		return lines;
	}

	private static Map<String, String> read(Path folder) throws IOException {
		Map<String, String> files = new TreeMap<>();
		if (!Files.isDirectory(folder)) {
			return files;
		}
		try (Stream<Path> list = Files.list(folder)) {
			for (Path file : list.filter(Files::isRegularFile).toList()) {
				files.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
			}
		}
		return files;
	}

}

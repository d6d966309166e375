package dev.parley;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Keeps docs/configuration.md true to the configuration metadata: the
 * {@code META-INF/spring-configuration-metadata.json} files on the classpath, Parley's
 * own (written by spring-boot-configuration-processor from the
 * {@code @ConfigurationProperties} records and their javadoc) and Spring Boot's and the
 * libraries'.
 * <p>
 * Each row of a table in docs/configuration.md is {@code | `property` | `ENVIRONMENT` |
 * default | what |}. Every {@code parley.*} property must have a row, every row must name
 * a real property, its default must be the one Parley runs with (the value or placeholder
 * default in application.properties, else the metadata's default; "none" or "empty" when
 * there is neither), and its environment variables must be Spring Boot's form of the
 * property's name or a placeholder application.properties reads. Property names and
 * environment variables mentioned anywhere in the README and docs/ must exist too.
 */
class ConfigurationDocsTests {

	private static final Path CONFIGURATION = Path.of("docs/configuration.md");

	private static final List<Path> APPLICATION_PROPERTIES = List.of(
			Path.of("src/main/resources/application.properties"),
			Path.of("src/main/resources/application-postgres.properties"));

	/** {@code ${NAME:default}}, the whole value. */
	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)(?::(.*))?}");

	private static final Pattern CODE = Pattern.compile("`([^`]+)`");

	/** A row of a table of meters: {@code | `name` | gauge | ...}. */
	private static final Pattern METER_ROW = Pattern
		.compile("^\\|\\s*`([^`]+)`\\s*\\|\\s*(gauge|counter|timer|summary)\\b");

	private static final Pattern PROPERTY_NAME = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z0-9<>*\\[\\]-]+)+");

	private static final Pattern SCRIPT_VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):?-");

	private static final Pattern ENVIRONMENT_NAME = Pattern.compile("(PARLEY|SERVER|SPRING|MANAGEMENT)_[A-Z0-9_<>]+");

	private static final Metadata metadata = Metadata.load();

	private static final List<Row> rows = Row.readAll(CONFIGURATION);

	private static final Settings settings = Settings.read(APPLICATION_PROPERTIES.get(0));

	@Test
	void everyParleyPropertyIsDocumented() {
		List<String> missing = new ArrayList<>();
		for (Property property : metadata.own()) {
			boolean documented = rows.stream()
				.anyMatch((row) -> row.name().equals(property.name())
						|| (property.isMap() && row.name().startsWith(property.name() + ".")));
			if (!documented) {
				missing.add(property.name() + " (" + property.description() + ")");
			}
		}
		assertNone("Properties in the metadata with no row in " + CONFIGURATION, missing);
	}

	@Test
	void everyDocumentedPropertyExists() {
		List<String> unknown = new ArrayList<>();
		for (Row row : rows) {
			if (metadata.find(row.name()) == null) {
				unknown.add(row + " is in no configuration metadata");
			}
		}
		assertNone("Rows of " + CONFIGURATION + " naming no real property", unknown);
	}

	@Test
	void documentedDefaultsAreTheDefaults() {
		List<String> wrong = new ArrayList<>();
		for (Row row : rows) {
			Property property = metadata.find(row.name());
			if (property == null) {
				continue;
			}
			String documented = row.documentedDefault();
			if (documented == null) {
				wrong.add(row + ": the default is neither a `value` nor \"none\" or \"empty\": " + row.defaultCell());
				continue;
			}
			String expected = expectedDefault(row.name(), property);
			if (!sameValue(property.valueType(), documented, expected)) {
				wrong.add(row + ": documented " + describe(documented) + ", the default is " + describe(expected));
			}
		}
		assertNone("Defaults in " + CONFIGURATION + " that are not Parley's", wrong);
	}

	@Test
	void environmentVariablesAreSpringBootsForm() {
		List<String> wrong = new ArrayList<>();
		for (Row row : rows) {
			Set<String> allowed = new TreeSet<>(settings.placeholders(row.name()));
			allowed.add(environmentName(row.name()));
			if (row.environment().isEmpty()) {
				wrong.add(row + ": no environment variable given; it is " + allowed);
			}
			for (String name : row.environment()) {
				if (!allowed.contains(name)) {
					wrong.add(row + ": " + name + " should be " + String.join(" or ", allowed));
				}
			}
		}
		assertNone("Environment variables in " + CONFIGURATION
				+ " that are not Spring Boot's form (upper case, dots to underscores, dashes removed)", wrong);
	}

	@Test
	void everyParleyPropertyHasADescription() {
		List<String> undescribed = metadata.own()
			.stream()
			.filter((property) -> property.description().isBlank())
			.map((property) -> property.name() + " (" + property.sourceType() + ")")
			.toList();
		assertNone("Properties without a description (a javadoc @param on their record component)", undescribed);
	}

	@Test
	void propertiesNamedInTheDocsExist() throws IOException {
		List<String> unknown = new ArrayList<>();
		for (Mention mention : mentions()) {
			String code = mention.code().startsWith("--") ? mention.code().substring(2) : mention.code();
			int equals = code.indexOf('=');
			String name = (equals > 0) ? code.substring(0, equals) : code;
			if (!PROPERTY_NAME.matcher(name).matches()) {
				continue;
			}
			// A setting (name=value) of any library, or a name under one of Parley's
			// groups (other parley.* names are meters, and so are those in the metrics
			// table: parley.broker.available is a meter, parley.broker.mode a property).
			boolean setting = equals > 0;
			if ((setting || metadata.isUnderOwnGroup(name)) && !mention.meter() && !metadata.isKnown(name)) {
				unknown.add(mention + ": no property " + name);
			}
		}
		assertNone("Properties named in the documentation that do not exist", unknown);
	}

	@Test
	void environmentVariablesNamedInTheDocsAreKnown() throws IOException {
		Set<String> known = new HashSet<>();
		APPLICATION_PROPERTIES.stream().map(Settings::read).forEach((file) -> known.addAll(file.allPlaceholders()));
		metadata.all().forEach((property) -> known.add(environmentName(property.name())));
		known.addAll(scriptVariables());
		List<String> mapPrefixes = metadata.all()
			.stream()
			.filter(Property::isMap)
			.map((property) -> environmentName(property.name()) + "_")
			.toList();
		List<String> unknown = new ArrayList<>();
		for (Mention mention : mentions()) {
			String code = mention.code();
			int equals = code.indexOf('=');
			String name = (equals > 0) ? code.substring(0, equals) : code;
			if (ENVIRONMENT_NAME.matcher(name).matches() && !known.contains(name)
					&& mapPrefixes.stream().noneMatch(name::startsWith)) {
				unknown.add(mention + ": " + name + " is not Spring Boot's form of any property's name");
			}
		}
		assertNone("Environment variables named in the documentation that are neither a property's name in "
				+ "Spring Boot's form (upper case, dots to underscores, dashes removed) nor read by application.properties "
				+ "or by a script in loadtest/ or scripts/", unknown);
	}

	/** The variables the project's own scripts read, as {@code ${NAME:-default}}. */
	private static Set<String> scriptVariables() throws IOException {
		Set<String> variables = new HashSet<>();
		for (String folder : List.of("loadtest", "scripts")) {
			try (Stream<Path> scripts = Files.list(Path.of(folder))) {
				for (Path script : scripts.filter((path) -> path.toString().endsWith(".sh")).toList()) {
					Matcher read = SCRIPT_VARIABLE.matcher(Files.readString(script, StandardCharsets.UTF_8));
					while (read.find()) {
						variables.add(read.group(1));
					}
				}
			}
		}
		return variables;
	}

	@Test
	void theLoadToolsVariablesAreKnown() throws IOException {
		assertThat(scriptVariables()).contains("PARLEY_JAR", "PARLEY_PORT").doesNotContain("PARLEY_NOT_READ");
	}

	/**
	 * Spring Boot's environment variable for a property: upper case, dots to underscores,
	 * dashes removed.
	 */
	static String environmentName(String property) {
		return property.replace('.', '_').replace("-", "").toUpperCase(Locale.ROOT);
	}

	@Test
	void environmentNameIsSpringBootsForm() {
		assertThat(environmentName("parley.limits.send-rate")).isEqualTo("PARLEY_LIMITS_SENDRATE");
		assertThat(environmentName("parley.services.clients.<client-id>"))
			.isEqualTo("PARLEY_SERVICES_CLIENTS_<CLIENTID>");
	}

	/**
	 * What Parley runs with when nothing is set: application.properties (a placeholder's
	 * default), else the property's own default; empty for none.
	 */
	private static String expectedDefault(String name, Property property) {
		String configured = settings.value(name);
		if (configured != null) {
			return configured;
		}
		if (!property.name().equals(name)) {
			// An entry of a map: only application.properties gives it a value.
			return "";
		}
		return property.defaultValue();
	}

	/** Compares as the property's type reads them: "60s" is "1m", "64KB" is "65536B". */
	static boolean sameValue(String type, String documented, String expected) {
		if (documented.isEmpty() || expected.isEmpty()) {
			return documented.isEmpty() && expected.isEmpty();
		}
		try {
			return switch (type) {
				case "java.time.Duration" ->
					DurationStyle.detectAndParse(documented).equals(DurationStyle.detectAndParse(expected));
				case "org.springframework.util.unit.DataSize" ->
					DataSize.parse(documented).equals(DataSize.parse(expected));
				case "java.lang.Integer", "java.lang.Long", "java.lang.Short", "int", "long" ->
					Long.parseLong(documented) == Long.parseLong(expected);
				case "java.lang.Boolean", "boolean" -> documented.equalsIgnoreCase(expected);
				case "java.lang.String", "java.nio.file.Path" -> documented.equals(expected);
				default -> {
					if (type.startsWith("java.util.List<") || type.endsWith("[]")) {
						yield items(documented).equals(items(expected));
					}
					if (type.startsWith("java.util.Set<")) {
						yield new HashSet<>(items(documented)).equals(new HashSet<>(items(expected)));
					}
					// Enums and the like, which bind whatever their case.
					yield documented.equalsIgnoreCase(expected);
				}
			};
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	@Test
	void valuesAreComparedAsTheirTypeReadsThem() {
		assertThat(sameValue("java.time.Duration", "60s", "1m")).isTrue();
		assertThat(sameValue("java.time.Duration", "10s", "1m")).isFalse();
		assertThat(sameValue("org.springframework.util.unit.DataSize", "64KB", "65536B")).isTrue();
		assertThat(sameValue("java.util.Set<java.lang.String>", "b,a", "a, b")).isTrue();
		assertThat(sameValue("java.lang.Boolean", "true", "TRUE")).isTrue();
		assertThat(sameValue("java.lang.Integer", "10", "")).isFalse();
		assertThat(sameValue("java.lang.String", "", "")).isTrue();
	}

	private static List<String> items(String list) {
		return Arrays.stream(list.split(",")).map(String::trim).filter((item) -> !item.isEmpty()).toList();
	}

	private static String describe(String value) {
		return value.isEmpty() ? "none" : "`" + value + "`";
	}

	private static void assertNone(String what, List<String> offenders) {
		if (!offenders.isEmpty()) {
			fail(what + ":\n  " + String.join("\n  ", offenders));
		}
	}

	/** Every code span outside code blocks in the README and docs/*.md. */
	private static List<Mention> mentions() throws IOException {
		List<Path> files = new ArrayList<>();
		files.add(Path.of("README.md"));
		try (Stream<Path> docs = Files.list(Path.of("docs"))) {
			docs.filter((path) -> path.toString().endsWith(".md")).sorted().forEach(files::add);
		}
		List<Mention> mentions = new ArrayList<>();
		for (Path file : files) {
			List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
			boolean fenced = false;
			// A code span may run over a line break, as Markdown allows: it is read as
			// one, from the line it starts on, with the break as a space.
			StringBuilder span = null;
			int spanLine = 0;
			for (int i = 0; i < lines.size(); i++) {
				String line = lines.get(i);
				if (line.stripLeading().startsWith("```")) {
					fenced = !fenced;
					span = null;
					continue;
				}
				if (fenced) {
					continue;
				}
				if (line.isBlank()) {
					span = null;
					continue;
				}
				Matcher meter = METER_ROW.matcher(line);
				String meterName = meter.find() ? meter.group(1) : null;
				for (int at = 0; at < line.length(); at++) {
					char c = line.charAt(at);
					if (c != '`') {
						if (span != null) {
							span.append(c);
						}
					}
					else if (span == null) {
						span = new StringBuilder();
						spanLine = i + 1;
					}
					else {
						String mentioned = span.toString().trim();
						mentions.add(new Mention(file, spanLine, mentioned, mentioned.equals(meterName)));
						span = null;
					}
				}
				if (span != null) {
					span.append(' ');
				}
			}
		}
		return mentions;
	}

	/**
	 * Something in backquotes in the docs.
	 *
	 * @param meter whether it is the meter a row of a table of meters is about (its first
	 * cell, with its kind in the second)
	 */
	record Mention(Path file, int line, String code, boolean meter) {

		@Override
		public String toString() {
			return this.file + ":" + this.line + " `" + this.code + "`";
		}

	}

	/**
	 * One row of a table of docs/configuration.md.
	 *
	 * @param line its line number
	 * @param name the property
	 * @param environment the environment variables given for it
	 * @param defaultCell the text of its default column
	 */
	record Row(int line, String name, List<String> environment, String defaultCell) {

		/** Cells are split at a {@code |} that is not escaped. */
		private static final Pattern CELL_BORDER = Pattern.compile("(?<!\\\\)\\|");

		static List<Row> readAll(Path file) {
			List<String> lines;
			try {
				lines = Files.readAllLines(file, StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			List<Row> rows = new ArrayList<>();
			for (int i = 0; i < lines.size(); i++) {
				String line = lines.get(i).trim();
				if (!line.startsWith("|")) {
					continue;
				}
				List<String> cells = Arrays.stream(CELL_BORDER.split(line.substring(1))).map(String::trim).toList();
				Matcher name = Pattern.compile("`(" + PROPERTY_NAME.pattern() + ")`").matcher(cells.get(0));
				if (cells.size() < 4 || !name.matches()) {
					continue;
				}
				List<String> environment = new ArrayList<>();
				Matcher code = CODE.matcher(cells.get(1));
				while (code.find()) {
					environment.add(code.group(1));
				}
				rows.add(new Row(i + 1, name.group(1), environment, cells.get(2)));
			}
			assertThat(rows).as("property rows in " + file).isNotEmpty();
			return rows;
		}

		/**
		 * The default as documented: its first code span, or empty when it says "none" or
		 * "empty"; null when it says neither.
		 */
		@Nullable String documentedDefault() {
			Matcher code = CODE.matcher(this.defaultCell);
			if (code.find()) {
				return code.group(1);
			}
			String text = this.defaultCell.toLowerCase(Locale.ROOT);
			return (text.startsWith("none") || text.startsWith("empty")) ? "" : null;
		}

		@Override
		public String toString() {
			return CONFIGURATION + ":" + this.line + " " + this.name;
		}

	}

	/**
	 * A property of the configuration metadata.
	 *
	 * @param name its name
	 * @param type its type, as the metadata writes it
	 * @param defaultValue its default as text (list items joined with commas), empty for
	 * none
	 * @param description its description, empty for none
	 * @param sourceType the class it is bound to
	 */
	record Property(String name, String type, String defaultValue, String description, String sourceType) {

		boolean isMap() {
			return this.type.startsWith("java.util.Map<");
		}

		/** The type of a value: for a map, that of its entries. */
		String valueType() {
			return isMap() ? this.type.substring(this.type.indexOf(',') + 1, this.type.length() - 1) : this.type;
		}

	}

	/** Every configuration metadata file on the classpath, Parley's own among them. */
	record Metadata(Map<String, Property> properties, Set<String> ownGroups) {

		static Metadata load() {
			Map<String, Property> properties = new TreeMap<>();
			Set<String> ownGroups = new TreeSet<>();
			JsonMapper json = JsonMapper.shared();
			try {
				for (URL url : Collections.list(ConfigurationDocsTests.class.getClassLoader()
					.getResources("META-INF/spring-configuration-metadata.json"))) {
					try (InputStream in = url.openStream()) {
						JsonNode root = json.readTree(in);
						for (JsonNode group : root.path("groups").values()) {
							String name = group.path("name").asString();
							if (name.startsWith("parley.")) {
								ownGroups.add(name);
							}
						}
						for (JsonNode property : root.path("properties").values()) {
							Property read = new Property(property.path("name").asString(),
									property.path("type").asString(""), text(property.path("defaultValue")),
									property.path("description").asString(""),
									property.path("sourceType").asString(""));
							properties.putIfAbsent(read.name(), read);
						}
					}
				}
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			Metadata metadata = new Metadata(properties, ownGroups);
			assertThat(metadata.own())
				.as("parley.* properties in META-INF/spring-configuration-metadata.json "
						+ "(written by spring-boot-configuration-processor when the main code compiles)")
				.isNotEmpty();
			return metadata;
		}

		private static String text(JsonNode value) {
			if (value.isMissingNode() || value.isNull()) {
				return "";
			}
			if (value.isArray()) {
				return value.values().stream().map(JsonNode::asString).collect(Collectors.joining(","));
			}
			return value.asString();
		}

		List<Property> own() {
			return this.properties.values().stream().filter((p) -> p.name().startsWith("parley.")).toList();
		}

		Collection<Property> all() {
			return this.properties.values();
		}

		/** The property of that name, or the map property it is an entry of. */
		@Nullable Property find(String name) {
			Property property = this.properties.get(name);
			if (property != null) {
				return property;
			}
			for (Property map : this.properties.values()) {
				if (map.isMap() && name.startsWith(map.name() + ".")) {
					return map;
				}
			}
			return null;
		}

		/**
		 * A property, an entry of a map property, a group, or a wildcard
		 * ({@code parley.drain.*}) over properties.
		 */
		boolean isKnown(String name) {
			if (name.endsWith(".*")) {
				String prefix = name.substring(0, name.length() - 1);
				return this.properties.keySet().stream().anyMatch((property) -> property.startsWith(prefix));
			}
			return find(name) != null || this.ownGroups.contains(name);
		}

		boolean isUnderOwnGroup(String name) {
			return this.ownGroups.stream().anyMatch((group) -> name.startsWith(group + "."));
		}

	}

	/** What application.properties sets, and the environment variables it reads. */
	record Settings(Map<String, String> values, Map<String, List<String>> placeholders) {

		static Settings read(Path file) {
			Properties properties = new Properties();
			try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
				properties.load(reader);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			Map<String, String> values = new LinkedHashMap<>();
			Map<String, List<String>> placeholders = new LinkedHashMap<>();
			for (String name : properties.stringPropertyNames()) {
				String value = properties.getProperty(name).trim();
				Matcher placeholder = PLACEHOLDER.matcher(value);
				if (placeholder.matches()) {
					placeholders.put(name, List.of(placeholder.group(1)));
					value = (placeholder.group(2) != null) ? placeholder.group(2) : "";
				}
				values.put(name, value);
			}
			return new Settings(values, placeholders);
		}

		/** The value, or a placeholder's default; null when it is not set here. */
		@Nullable String value(String name) {
			return this.values.get(name);
		}

		List<String> placeholders(String name) {
			return this.placeholders.getOrDefault(name, List.of());
		}

		Set<String> allPlaceholders() {
			return this.placeholders.values().stream().flatMap(List::stream).collect(Collectors.toSet());
		}

	}

}

# Parley's container image: `docker build -t parley .` (docs/operations.md, "Running with Docker Compose").
#
# Two stages: the build stage compiles and packages the jar with the Maven wrapper and splits it into Spring
# Boot's layers; the runtime stage holds only a JRE and those layers, one image layer each, so a rebuild that
# changes only Parley's own code ships only the small `application` layer.
#
# The runtime Java version can be raised (Parley targets 17 and runs on 21 and newer):
#   docker build --build-arg JAVA_RUNTIME=21 -t parley .

ARG JAVA_BUILD=17
ARG JAVA_RUNTIME=17

# ---------------------------------------------------------------------------------------------------------------
FROM eclipse-temurin:${JAVA_BUILD}-jdk-noble AS build
WORKDIR /src

# The wrapper and the POM first: the dependency layer below is rebuilt only when they change, not on every edit
# of the sources. go-offline does not resolve every plugin's every dependency, so the package run below is not
# offline; it finds almost everything in this layer's repository already.
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q dependency:go-offline

COPY src src
RUN ./mvnw -B -DskipTests -Djacoco.skip=true package \
 && cp "$(ls target/parley-*.jar | grep -v plain | head -n 1)" /src/app.jar

# Spring Boot's layers (dependencies, spring-boot-loader, snapshot-dependencies, application) and the launcher.
RUN java -Djarmode=tools -jar /src/app.jar extract --layers --launcher --destination /src/extracted

# ---------------------------------------------------------------------------------------------------------------
FROM eclipse-temurin:${JAVA_RUNTIME}-jre-noble

# Temurin's Ubuntu images ship curl; install it should a future base image drop it (the HEALTHCHECK needs it).
RUN if ! command -v curl >/dev/null 2>&1; then \
      apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*; \
    fi \
 && groupadd --system --gid 10001 parley \
 && useradd --system --uid 10001 --gid parley --home-dir /app --no-create-home --shell /usr/sbin/nologin parley \
 && mkdir -p /app/data \
 && chown parley:parley /app/data \
 && chmod 700 /app/data

WORKDIR /app

# Least to most often changed. The files belong to root: the process can read them, not change them.
COPY --from=build /src/extracted/dependencies/ ./
COPY --from=build /src/extracted/spring-boot-loader/ ./
COPY --from=build /src/extracted/snapshot-dependencies/ ./
COPY --from=build /src/extracted/application/ ./

# Parley's working directory is /app, so ./data is /app/data: the H2 database and the generated signing secret
# when neither PostgreSQL nor PARLEY_SECURITY_JWT_SECRET is configured. Mount a volume there to keep them
# (docker run -v parley-data:/app/data ...). No secret is baked into the image.
USER parley:parley

# The heap follows the container's memory limit.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75" \
    PORT=8080

EXPOSE 8080

# Ready = the node can take traffic (database reachable and writable); it answers 503 while draining.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS -o /dev/null "http://127.0.0.1:${PORT}/actuator/health/readiness" || exit 1

# Java is PID 1 (exec form, no shell in between), so SIGTERM reaches the JVM and starts the graceful drain:
# parley.drain.window (10 s) plus up to spring.lifecycle.timeout-per-shutdown-phase (30 s). Give `docker stop`
# at least 45 s (docker stop -t 45; compose: stop_grace_period: 45s), or it kills the node mid-drain.
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]

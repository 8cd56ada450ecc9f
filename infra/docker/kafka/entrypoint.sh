#!/bin/bash
# KRaft broker configured the way the upstream apache/kafka image is: every KAFKA_<NAME>
# variable becomes a server property (prefix dropped, lower case, `___` → `-`, `__` → `_`,
# `_` → `.`), except the JVM ones (KAFKA_HEAP_OPTS, KAFKA_OPTS, …); CLUSTER_ID formats storage.
# With no KAFKA_* settings at all it runs the upstream default single node on localhost:9092.
set -euo pipefail
PROPS=/opt/kafka/config/server.properties
CLUSTER_ID="${CLUSTER_ID:-5L6g3nShT-eMCtK--X86sw}"
JVM_VARS=' KAFKA_HEAP_OPTS KAFKA_OPTS KAFKA_JVM_PERFORMANCE_OPTS KAFKA_GC_LOG_OPTS KAFKA_LOG4J_OPTS KAFKA_JMX_OPTS KAFKA_JMX_PORT KAFKA_JMX_HOSTNAME KAFKA_DEBUG KAFKA_VERSION KAFKA_LOG4J_ROOT_LOGLEVEL KAFKA_LOG4J_LOGGERS KAFKA_TOOLS_LOG4J_LOGLEVEL '

{
  if [ -z "${KAFKA_PROCESS_ROLES:-}" ]; then
    printf '%s\n' process.roles=broker,controller node.id=1 controller.quorum.voters=1@localhost:9093 \
      listeners=PLAINTEXT://:9092,CONTROLLER://:9093 advertised.listeners=PLAINTEXT://localhost:9092 \
      controller.listener.names=CONTROLLER inter.broker.listener.name=PLAINTEXT \
      listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT \
      offsets.topic.replication.factor=1 transaction.state.log.replication.factor=1 transaction.state.log.min.isr=1
  fi
  echo "log.dirs=/var/lib/kafka/data"
  while IFS='=' read -r name _; do
    case "$name" in KAFKA_*) ;; *) continue ;; esac
    case "$JVM_VARS" in *" $name "*) continue ;; esac
    key="${name#KAFKA_}"; key="${key,,}"
    key="${key//___/-}"; key="${key//__/@}"; key="${key//_/.}"; key="${key//@/_}"
    printf '%s=%s\n' "$key" "${!name}"
  done < <(env)
} > "$PROPS.new"
# A later line wins in Java properties, so a KAFKA_LOG_DIRS overrides the default above.
mv "$PROPS.new" "$PROPS"

LOG4J="-Dlog4j.configuration=file:/opt/kafka/config/log4j.properties"
java -Xmx128m $LOG4J -cp '/opt/kafka/libs/*' kafka.tools.StorageTool format -t "$CLUSTER_ID" -c "$PROPS" --ignore-formatted >/dev/null
exec java ${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m} ${KAFKA_JVM_PERFORMANCE_OPTS:--XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true} \
  ${KAFKA_OPTS:-} ${KAFKA_LOG4J_OPTS:-$LOG4J} -cp '/opt/kafka/libs/*' kafka.Kafka "$PROPS"

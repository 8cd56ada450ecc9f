#!/bin/bash
# Same name and arguments as the upstream image's script (health checks call it).
exec java -Xmx64m -XX:TieredStopAtLevel=1 -Dlog4j.configuration=file:/opt/kafka/config/log4j.properties -Dlog4j.rootLogger=WARN \
  -cp '/opt/kafka/libs/*' kafka.admin.BrokerApiVersionsCommand "$@"
